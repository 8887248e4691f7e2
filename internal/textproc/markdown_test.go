package textproc

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		style Style
		want  string
	}{
		{
			name: "OKHeadingOneBecomesTwo",
			in:   "# Titre\n## Sous-titre\n### Partie",
			want: "<h2>Titre</h2>\n<h2>Sous-titre</h2>\n<h3>Partie</h3>\n",
		},
		{
			name: "OKRawHeadingOneBecomesTwo",
			in:   `<h1 class="x">Brut</h1>`,
			want: "<h2>Brut</h2>",
		},
		{
			name:  "OKFigureFromTitledImage",
			in:    `![Palmyre](/img/p.jpg "Le théâtre : vue")`,
			style: StyleFrench,
			want:  `<figure><img src="/img/p.jpg" alt="Palmyre" loading="lazy" decoding="async"><figcaption>Le théâtre` + nbsp + `: vue</figcaption></figure>` + "\n",
		},
		{
			name: "OKFigureCaptionEscaped",
			in:   `![a](/a.jpg "x < y & <b>z</b>")`,
			want: `<figure><img src="/a.jpg" alt="a" loading="lazy" decoding="async"><figcaption>x &lt; y &amp; &lt;b&gt;z&lt;/b&gt;</figcaption></figure>` + "\n",
		},
		{
			name: "OKImageWithoutTitleStaysInParagraph",
			in:   "![Palmyre](/img/p.jpg)",
			want: `<p><img src="/img/p.jpg" alt="Palmyre" loading="lazy" decoding="async"></p>` + "\n",
		},
		{
			name: "OKInlineImageWithTitleIsNotAFigure",
			in:   `Texte ![a](/a.png "t") texte`,
			want: `<p>Texte <img src="/a.png" alt="a" title="t" loading="lazy" decoding="async"> texte</p>` + "\n",
		},
		{
			name: "OKLinks",
			in:   `[site](https://exemple.fr "Titre") [local](/a) [mail](mailto:a@b.fr) [proto](//cdn.fr/x) [ancre](#x)`,
			want: `<p><a href="https://exemple.fr" title="Titre" rel="noopener">site</a> <a href="/a">local</a> ` +
				`<a href="mailto:a@b.fr">mail</a> <a href="//cdn.fr/x" rel="noopener">proto</a> <a href="#x">ancre</a></p>` + "\n",
		},
		{
			name: "OKRawLinkRelReplaced",
			in:   `<a href="https://a.fr" rel="nofollow" target="_blank">x</a> <a href="/b" rel="noopener">y</a>`,
			want: `<p><a href="https://a.fr" rel="noopener">x</a> <a href="/b">y</a></p>` + "\n",
		},
		{
			name: "OKBareURLsLinked",
			in:   "Voir www.exemple.fr et https://exemple.fr/a.",
			want: `<p>Voir <a href="http://www.exemple.fr" rel="noopener">www.exemple.fr</a> et <a href="https://exemple.fr/a" rel="noopener">https://exemple.fr/a</a>.</p>` + "\n",
		},
		{
			name: "OKTableAlignment",
			in:   "| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |",
			want: "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"center\">b</th>\n<th align=\"right\">c</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td align=\"left\">1</td>\n<td align=\"center\">2</td>\n<td align=\"right\">3</td>\n</tr>\n</tbody>\n</table>\n",
		},
		{
			name: "OKStrikethrough",
			in:   "~~barré~~",
			want: "<p><del>barré</del></p>\n",
		},
		{
			name: "OKFootnotes",
			in:   "Note[^n].\n\n[^n]: Détail.",
			want: `<p>Note<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>.</p>` + "\n" +
				`<div class="footnotes" role="doc-endnotes">` + "\n<hr>\n<ol>\n" + `<li id="fn:1">` + "\n" +
				`<p>Détail.` + nbsp + `<a href="#fnref:1" class="footnote-backref" role="doc-backlink">↩︎</a></p>` + "\n</li>\n</ol>\n</div>\n",
		},
		{
			name: "OKOrderedListStart",
			in:   "3. trois\n4. quatre",
			want: "<ol start=\"3\">\n<li>trois</li>\n<li>quatre</li>\n</ol>\n",
		},
		{
			name: "OKBlockquoteWithCite",
			in:   `<blockquote cite="https://a.fr/source">x</blockquote>`,
			want: `<blockquote cite="https://a.fr/source">x</blockquote>`,
		},
		{
			name: "OKPhrasingElements",
			in:   `<p>a<sub>2</sub> <small>s</small> <mark>m</mark> <abbr title="Organisation des Nations unies">ONU</abbr> <cite>c</cite> <q cite="/s">q</q> <s>s</s></p>`,
			want: `<p>a<sub>2</sub> <small>s</small> <mark>m</mark> <abbr title="Organisation des Nations unies">ONU</abbr> <cite>c</cite> <q cite="/s">q</q> <s>s</s></p>`,
		},
		{
			name: "OKRawFigureWithDimensions",
			in:   `<figure><img src="/a.jpg" alt="a" width="640" height="480" loading="eager"><figcaption>Légende</figcaption></figure>`,
			want: `<figure><img src="/a.jpg" alt="a" width="640" height="480" loading="lazy" decoding="async"><figcaption>Légende</figcaption></figure>`,
		},
		{
			name: "OKRuleAndHardBreak",
			in:   "---\n\nx  \ny",
			want: "<hr>\n<p>x<br>\ny</p>\n",
		},
		{
			name:  "OKCodeNotTypeset",
			in:    "`code ! ici` et l'a :\n\n```go\nfmt.Println(\"l'an ; ici !\")\n```",
			style: StyleFrench,
			want:  "<p><code>code ! ici</code> et l’a" + nbsp + ":</p>\n<pre><code class=\"language-go\">fmt.Println(&#34;l&#39;an ; ici !&#34;)\n</code></pre>\n",
		},
		{
			name:  "OKTypographyAcrossEmphasis",
			in:    "*Bonjour* ! « **texte** » : fin",
			style: StyleFrench,
			want:  "<p><em>Bonjour</em>" + nnbsp + "! «" + nnbsp + "<strong>texte</strong>" + nnbsp + "»" + nbsp + ": fin</p>\n",
		},
		{
			name:  "OKLinkedURLKeptWhole",
			in:    "Note : 14:30, voir https://exemple.fr/a?b=c!",
			style: StyleFrench,
			want:  "<p>Note" + nbsp + `: 14:30, voir <a href="https://exemple.fr/a?b=c" rel="noopener">https://exemple.fr/a?b=c</a>!</p>` + "\n",
		},
		{
			name:  "OKCanada",
			in:    "Bonjour ! « oui »",
			style: StyleFrenchCanada,
			want:  "<p>Bonjour! «" + nbsp + "oui" + nbsp + "»</p>\n",
		},
		{
			name:  "OKNoStyleNoTypography",
			in:    "Bonjour ! l'an",
			style: StyleNone,
			want:  "<p>Bonjour ! l&#39;an</p>\n",
		},
		{
			name: "OKNoEnglishQuotes",
			in:   `He said "hello" -- and 'bye'...`,
			want: "<p>He said &#34;hello&#34; -- and &#39;bye&#39;...</p>\n",
		},
		{
			name: "OKEmpty",
			in:   "",
			want: "",
		},
	}
	r := NewRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.in, tt.style)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Render(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if err := checkSafeHTML(got); err != nil {
				t.Errorf("Render(%q) output is unsafe: %v", tt.in, err)
			}
			again, err := r.Render(got, tt.style)
			if err != nil {
				t.Fatalf("Render on its output: %v", err)
			}
			if diff := cmp.Diff(got, again); diff != "" {
				t.Errorf("Render is not idempotent (-first +second):\n%s", diff)
			}
		})
	}
}

func TestRenderErrUnknownStyle(t *testing.T) {
	_, err := NewRenderer().Render("x", Style(99))
	if !errors.Is(err, ErrUnknownStyle) {
		t.Errorf("Render error = %v, want %v", err, ErrUnknownStyle)
	}
}

// TestRenderArticle renders a full French article and checks what must hold
// everywhere in it.
func TestRenderArticle(t *testing.T) {
	src := readArticle(t)
	r := NewRenderer()
	got, err := r.Render(src, StyleFrench)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if err := checkSafeHTML(got); err != nil {
		t.Fatalf("output is unsafe: %v", err)
	}
	// The inline code "14:30 ; ok !" is rightly left as written.
	text := strings.ReplaceAll(PlainText(got), "14:30 ; ok !", "")
	for _, bad := range []string{" !", " ?", " ;", " :", "« ", " »", "l'", "d'", "qu'"} {
		if strings.Contains(text, bad) {
			t.Errorf("rendered text still contains %q", bad)
		}
	}
	for _, want := range []string{
		"<h2>", "<blockquote>", "<ul>", "<ol>", `rel="noopener"`, "<figure>", "<table>", "footnote-ref",
		"«" + nnbsp + "Nous avons repris la ville" + nnbsp + "»",
		"Qu’en pensez-vous" + nnbsp + "?",
		"<code>14:30 ; ok !</code>",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered article lacks %q", want)
		}
	}
	again, err := r.Render(got, StyleFrench)
	if err != nil {
		t.Fatalf("Render on its output: %v", err)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("Render is not idempotent on the article (-first +second):\n%s", diff)
	}
}

// TestRenderConcurrent shares one Renderer between goroutines; run with -race.
func TestRenderConcurrent(t *testing.T) {
	src := readArticle(t)
	r := NewRenderer()
	want, err := r.Render(src, StyleFrench)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				got, err := r.Render(src, StyleFrench)
				if err != nil {
					t.Errorf("Render: %v", err)
					return
				}
				if got != want {
					t.Error("concurrent Render gave a different result")
					return
				}
			}
		})
	}
	wg.Wait()
}

// readArticle returns testdata/article.md, a French news article of about
// 800 words written for these tests.
func readArticle(tb testing.TB) string {
	tb.Helper()
	b, err := os.ReadFile("testdata/article.md")
	if err != nil {
		tb.Fatalf("read article: %v", err)
	}
	return string(b)
}

func TestRenderWithImages(t *testing.T) {
	known := func(src string) (ImageInfo, bool) {
		if src != "/media/2026/11/abc-quai.jpg" {
			return ImageInfo{}, false
		}
		return ImageInfo{Width: 1600, Height: 900, Srcset: "/media/2026/11/abc-quai-640w.jpg 640w, /media/2026/11/abc-quai.jpg 1600w"}, true
	}
	tests := []struct {
		name, in, want string
	}{
		{
			name: "OK/known image gets size and srcset",
			in:   "![Le quai](/media/2026/11/abc-quai.jpg)",
			want: `<p><img src="/media/2026/11/abc-quai.jpg" alt="Le quai" width="1600" height="900" srcset="/media/2026/11/abc-quai-640w.jpg 640w, /media/2026/11/abc-quai.jpg 1600w" sizes="(max-width: 44rem) 100vw, 42rem" loading="lazy" decoding="async"></p>` + "\n",
		},
		{
			name: "OK/known image overrides written size",
			in:   `<img src="/media/2026/11/abc-quai.jpg" alt="x" width="10" height="10" srcset="/evil.jpg 1w">`,
			want: `<img src="/media/2026/11/abc-quai.jpg" alt="x" width="1600" height="900" srcset="/media/2026/11/abc-quai-640w.jpg 640w, /media/2026/11/abc-quai.jpg 1600w" sizes="(max-width: 44rem) 100vw, 42rem" loading="lazy" decoding="async">`,
		},
		{
			name: "OK/other image left as written",
			in:   "![Ailleurs](https://example.org/a.jpg)",
			want: `<p><img src="https://example.org/a.jpg" alt="Ailleurs" loading="lazy" decoding="async"></p>` + "\n",
		},
	}
	r := NewRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.RenderWith(tt.in, StyleNone, known)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
			again, err := r.RenderWith(got, StyleNone, known)
			if err != nil || again != got {
				t.Errorf("not idempotent: %v\n%s", err, again)
			}
		})
	}
}
