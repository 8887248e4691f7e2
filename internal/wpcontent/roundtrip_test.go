package wpcontent

import (
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	xhtml "golang.org/x/net/html"

	"github.com/kiosque/kiosque/internal/textproc"
)

// skippedElements are the elements whose content textproc's sanitizer
// removes with them; their text is not expected to survive.
var skippedElements = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "applet": true, "noscript": true, "noembed": true, "noframes": true,
	"template": true, "svg": true, "math": true, "audio": true, "video": true,
	"canvas": true, "select": true, "textarea": true, "title": true, "head": true, "xmp": true,
}

// words returns the words (runs of letters and digits) of the text of the
// HTML s, outside skippedElements and comments.
func words(s string) []string {
	var out []string
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := ""
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return out
		case xhtml.StartTagToken:
			name, _ := z.TagName()
			if skip == "" && skippedElements[string(name)] {
				skip = string(name)
			}
		case xhtml.EndTagToken:
			if name, _ := z.TagName(); string(name) == skip {
				skip = ""
			}
		case xhtml.TextToken:
			if skip == "" {
				out = append(out, strings.FieldsFunc(string(z.Text()), func(r rune) bool {
					return !unicode.IsLetter(r) && !unicode.IsDigit(r)
				})...)
			}
		}
	}
}

// missingWord returns the first word of want that is not found, in order,
// in got, and "" if all are.
func missingWord(want, got []string) string {
	j := 0
	for _, w := range want {
		for j < len(got) && got[j] != w {
			j++
		}
		if j == len(got) {
			return w
		}
		j++
	}
	return ""
}

func render(t testing.TB, html string) string {
	t.Helper()
	out, err := textproc.NewRenderer().Render(html, textproc.StyleNone)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRoundTrip renders each converted fixture with textproc, as kiosque
// renders an article's body, and checks that what WordPress showed is
// still there: the structure (selectors) and every word.
func TestRoundTrip(t *testing.T) {
	type sel struct {
		selector string
		count    int
	}
	tests := map[string]struct {
		sels []sel
		text []string // substrings of the rendered HTML
	}{
		"classic": {sels: []sel{{"p", 6}, {"br", 1}, {"h2", 1}, {"blockquote p", 1},
			{`figure img[src="/media/2019/03/mairie-1024x683.jpg"][alt="La mairie"]`, 1},
			{"figure figcaption em", 1}, {`a[href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"]`, 1}}},
		"blocks": {sels: []sel{{"p", 3}, {"h3", 1}, {`figure img[alt="Une photo"]`, 1}, {"figure figcaption", 1},
			{"ul li", 2}, {`figure a[href="https://vimeo.com/76979871"]`, 1}, {"figure table th", 2}, {"hr", 1}}},
		"gallery": {sels: []sel{{"figure img", 2}, {`img[alt="Le cortège"]`, 1}, {"figcaption em", 1}, {"p", 2}}},
		"nested": {sels: []sel{{"figure", 2}, {"figure > a > img", 1}, {"figcaption", 2},
			{`a[href="https://ex.fr/wp-content/uploads/son.mp3"]`, 1}, {`a[href="https://vimeo.com/12345"]`, 1}},
			text: []string{`[tabs][tab title=&#34;Un&#34;]Premier onglet[/tab]`}},
		"escaped": {text: []string{`[gallery ids=&#34;1,2&#34;]`, "[sic]", "[1]", `[[contact-form-7 id=&#34;3&#34;]]`}},
		"pre": {sels: []sel{{"pre", 1}, {"p", 2}},
			text: []string{"fmt.Println(&#34;a&#34;)\n\n\tfmt.Println(&#34;b&#34;)\n}\n\n\n// fin</pre>", "*qui n&#39;est pas*", "# pas un titre"}},
		"list":      {sels: []sel{{"ul > li", 2}, {"ul ol li", 1}, {`ol[start="3"] li`, 1}, {"table td", 2}}},
		"malformed": {sels: []sel{{"script", 0}, {"p strong", 1}, {"div", 0}}, text: []string{"Sans image ni fin"}},
	}
	for _, name := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			tt, ok := tests[name]
			if !ok {
				t.Fatalf("no expectations for fixture %s", name)
			}
			converted, _ := Convert(readFixture(t, name), fixtureOptions())
			rendered := render(t, converted)
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(rendered))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.sels {
				if got := doc.Find(s.selector).Length(); got != s.count {
					t.Errorf("%s: %d, want %d in\n%s", s.selector, got, s.count, rendered)
				}
			}
			for _, s := range tt.text {
				if !strings.Contains(rendered, s) {
					t.Errorf("rendered HTML lacks %q:\n%s", s, rendered)
				}
			}
			if w := missingWord(words(converted), words(rendered)); w != "" {
				t.Errorf("word %q lost by the renderer:\n%s\n---\n%s", w, converted, rendered)
			}
		})
	}
}
