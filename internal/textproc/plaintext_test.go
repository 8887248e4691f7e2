package textproc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "OKBlocksSeparated", in: "<h2>Titre</h2><p>Un</p><p>Deux</p>", want: "Titre Un Deux"},
		{name: "OKListItemsAndCells", in: "<ul><li>a</li><li>b</li></ul><table><tr><td>1</td><td>2</td></tr></table>", want: "a b 1 2"},
		{name: "OKLineBreak", in: "<p>un<br>deux</p>", want: "un deux"},
		{name: "OKPhrasingJoined", in: "<p>XIX<sup>e</sup> siècle, <em>qu</em>atre, l’<a href=\"/x\">État</a></p>", want: "XIXe siècle, quatre, l’État"},
		{name: "OKWhitespaceCollapsed", in: "<p>  un \n\t deux  </p>\n\n<p>\ntrois</p>", want: "un deux trois"},
		{name: "OKEntitiesDecoded", in: "<p>Tom &amp; Jerry &lt;3 l&#39;an</p>", want: "Tom & Jerry <3 l'an"},
		{name: "OKNoBreakSpacesKept", in: "<p>Bonjour" + nnbsp + "! Note&nbsp;: oui</p>", want: "Bonjour" + nnbsp + "! Note" + nbsp + ": oui"},
		{name: "OKHiddenContentLeftOut", in: "<p>a</p><script>var x = 1;</script><style>p{}</style><template><p>t</p></template><p>b</p>", want: "a b"},
		{name: "OKCodeKept", in: "<p>Tapez <code>ls -l</code>.</p><pre><code>x := 1\n</code></pre>", want: "Tapez ls -l. x := 1"},
		{name: "OKImageAltLeftOut", in: `<p>avant<img src="/a.jpg" alt="photo">après</p>`, want: "avantaprès"},
		{
			name: "OKFootnoteMarkersLeftOut",
			in: `<p>Note<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>.</p>` +
				`<div class="footnotes" role="doc-endnotes"><hr><ol><li id="fn:1"><p>Détail.&#160;<a href="#fnref:1" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a></p></li></ol></div>`,
			want: "Note. Détail.",
		},
		{name: "OKOrdinaryLinkKept", in: `<p><a href="/x" class="autre">lien</a></p>`, want: "lien"},
		{name: "OKSelfClosingSVGDoesNotHideTheRest", in: `<p>a<svg/>b</p>`, want: "a b"},
		{name: "OKPlainTextInput", in: "déjà du texte", want: "déjà du texte"},
		{name: "OKEmpty", in: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PlainText(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("PlainText(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestReadingMinutes(t *testing.T) {
	words := func(n int) string { return "<p>" + strings.Repeat("mot ", n) + "</p>" }
	tests := []struct {
		name string
		in   string
		want int
	}{
		{name: "OKEmptyIsOneMinute", in: "", want: 1},
		{name: "OKShort", in: words(10), want: 1},
		{name: "OKRoundsDown", in: words(344), want: 1},
		{name: "OKRoundsUp", in: words(345), want: 2},
		{name: "OKExactly", in: words(690), want: 3},
		{name: "OKPunctuationIsNotAWord", in: "<p>" + strings.Repeat("oui ! — ? ", 230) + "</p>", want: 1},
		{name: "OKNarrowSpaceSeparates", in: "<p>" + strings.Repeat("mot"+nnbsp, 460) + "</p>", want: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ReadingMinutes(tt.in); got != tt.want {
				t.Errorf("ReadingMinutes = %d, want %d", got, tt.want)
			}
		})
	}
	t.Run("OKArticle", func(t *testing.T) {
		html, err := NewRenderer().Render(readArticle(t), StyleFrench)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if got, want := ReadingMinutes(html), 3; got != want { // about 780 words
			t.Errorf("ReadingMinutes(article) = %d, want %d", got, want)
		}
	})
}
