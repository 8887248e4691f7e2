package textproc_test

import (
	"fmt"

	"github.com/kiosque/kiosque/internal/textproc"
)

func ExampleTypography() {
	// %q shows the no-break spaces: \u202f (narrow) and \u00a0.
	fmt.Printf("%q\n", textproc.Typography("« Qu'en pensez-vous ? » Note : 14:30", textproc.StyleFrench))
	fmt.Printf("%q\n", textproc.Typography("« Qu'en pensez-vous ? »", textproc.StyleFrenchCanada))
	// Output:
	// "«\u202fQu’en pensez-vous\u202f?\u202f» Note\u00a0: 14:30"
	// "«\u00a0Qu’en pensez-vous?\u00a0»"
}

func ExampleRenderer_Render() {
	r := textproc.NewRenderer() // once, at start-up
	html, err := r.Render("# Palmyre\n\n*Bonjour* ! [Voir](https://exemple.fr)<script>alert(1)</script>", textproc.StyleFrench)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n", html)
	// Output:
	// "<h2>Palmyre</h2>\n<p><em>Bonjour</em>\u202f! <a href=\"https://exemple.fr\" rel=\"noopener\">Voir</a></p>\n"
}

func ExampleSlugify() {
	fmt.Println(textproc.Slugify("L'État islamique reprend Palmyre !"))
	// Output: l-etat-islamique-reprend-palmyre
}

func ExampleExcerpt() {
	fmt.Println(textproc.Excerpt("<p>Les habitants reviennent, <em>un à un</em>.</p><p>Suite.</p>", 30))
	// Output: Les habitants reviennent, un…
}
