package textproc

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
)

// aRel ends the opening tag of every link in a comment, after its href.
const aRel = `" rel="nofollow ugc noopener">`

func TestRenderComment(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		style     Style
		want      string
		wantLinks []string
	}{
		// Blocks.
		{name: "OKParagraphs", in: "Un.\n\n\nDeux.", want: "<p>Un.</p>\n<p>Deux.</p>\n"},
		{name: "OKNewlineIsBreak", in: "Un\nDeux", want: "<p>Un<br>\nDeux</p>\n"},
		{name: "OKCarriageReturns", in: "Un\r\nDeux\r\rTrois", want: "<p>Un<br>\nDeux</p>\n<p>Trois</p>\n"},
		{name: "OKLinesTrimmed", in: "  Un  \n\tDeux\t\n\n", want: "<p>Un<br>\nDeux</p>\n"},
		{name: "OKBackslashNewlineIsBreak", in: "Un\\\nDeux", want: "<p>Un<br>\nDeux</p>\n"},
		{
			name: "OKQuoteThenAnswer",
			in:   "> Citation\n>suite\nMa réponse",
			want: "<blockquote>\n<p>Citation<br>\nsuite</p>\n</blockquote>\n<p>Ma réponse</p>\n",
		},
		{
			name: "OKNestedQuotes",
			in:   "> a\n> > b\n> c",
			want: "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n</blockquote>\n<p>c</p>\n</blockquote>\n",
		},
		{
			name: "OKQuoteDepthCapped",
			in:   "> > > > > x\n>>>>y",
			want: "<blockquote>\n<blockquote>\n<blockquote>\n<p>&gt; &gt; x<br>\n&gt;y</p>\n</blockquote>\n</blockquote>\n</blockquote>\n",
		},
		{
			name: "OKQuoteWithTwoParagraphs",
			in:   "> a\n>\n> b",
			want: "<blockquote>\n<p>a</p>\n<p>b</p>\n</blockquote>\n",
		},
		{
			name: "OKTwoQuotes",
			in:   "> a\n\n> b",
			want: "<blockquote>\n<p>a</p>\n</blockquote>\n<blockquote>\n<p>b</p>\n</blockquote>\n",
		},
		{name: "OKEmptyQuoteLeftOut", in: "a\n\n> \n>>\n\nb", want: "<p>a</p>\n<p>b</p>\n"},

		// Emphasis.
		{
			name: "OKEmphasis",
			in:   "*a* _b_ **c** __d__ ***e***",
			want: "<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <em><strong>e</strong></em></p>\n",
		},
		{name: "OKEmphasisAcrossLines", in: "*un\ndeux*", want: "<p><em>un<br>\ndeux</em></p>\n"},
		{name: "OKIntrawordUnderscore", in: "snake_case_name", want: "<p>snake_case_name</p>\n"},
		{name: "OKUnclosedEmphasis", in: "**a *b", want: "<p>**a *b</p>\n"},
		{name: "OKBackslashEscapes", in: `\*pas\* \_non\_ \[x\](https://a.fr) \\`, want: `<p>*pas* _non_ [x](<a href="https://a.fr` + aRel + `https://a.fr</a>) \</p>` + "\n", wantLinks: []string{"https://a.fr"}},

		// Links.
		{
			name:      "OKLink",
			in:        "Lire [l’enquête](https://www.exemple.fr/enquete?id=3&p=2).",
			want:      `<p>Lire <a href="https://www.exemple.fr/enquete?id=3&amp;p=2` + aRel + `l’enquête</a>.</p>` + "\n",
			wantLinks: []string{"https://www.exemple.fr/enquete?id=3&p=2"},
		},
		{
			name:      "OKLinkWithTitle",
			in:        `[x](https://a.fr "titre") [y](https://b.fr 'titre')`,
			want:      `<p><a href="https://a.fr` + aRel + `x</a> <a href="https://b.fr` + aRel + `y</a></p>` + "\n",
			wantLinks: []string{"https://a.fr", "https://b.fr"},
		},
		{
			name:      "OKLinkWithParentheses",
			in:        "[Paris](https://fr.wikipedia.org/wiki/Paris_(homonymie))",
			want:      `<p><a href="https://fr.wikipedia.org/wiki/Paris_(homonymie)` + aRel + `Paris</a></p>` + "\n",
			wantLinks: []string{"https://fr.wikipedia.org/wiki/Paris_(homonymie)"},
		},
		{
			name:      "OKLinkTextWithEmphasis",
			in:        "[*en* **gras**](https://a.fr)",
			want:      `<p><a href="https://a.fr` + aRel + `<em>en</em> <strong>gras</strong></a></p>` + "\n",
			wantLinks: []string{"https://a.fr"},
		},
		{
			name:      "OKEmphasisAroundLink",
			in:        "*[a](https://a.fr)*",
			want:      `<p><em><a href="https://a.fr` + aRel + `a</a></em></p>` + "\n",
			wantLinks: []string{"https://a.fr"},
		},
		{
			name:      "OKBlankLinkTextShowsURL",
			in:        "[](https://a.fr) [ ](https://b.fr)",
			want:      `<p><a href="https://a.fr` + aRel + `https://a.fr</a> <a href="https://b.fr` + aRel + ` https://b.fr</a></p>` + "\n",
			wantLinks: []string{"https://a.fr", "https://b.fr"},
		},
		{
			name:      "OKImageIsPlainLink",
			in:        "![Une photo](https://a.fr/p.jpg) ![](https://a.fr/q.jpg)",
			want:      `<p><a href="https://a.fr/p.jpg` + aRel + `Une photo</a> <a href="https://a.fr/q.jpg` + aRel + `https://a.fr/q.jpg</a></p>` + "\n",
			wantLinks: []string{"https://a.fr/p.jpg", "https://a.fr/q.jpg"},
		},
		{
			name:      "OKImageInLinkIsItsText",
			in:        "[![logo](https://a.fr/l.png)](https://a.fr)",
			want:      `<p><a href="https://a.fr` + aRel + `logo</a></p>` + "\n",
			wantLinks: []string{"https://a.fr"},
		},
		{
			name: "OKLabelShowingAnotherSiteIsText",
			in:   "[https://banque.fr](https://evil.example/banque)",
			want: `<p>[<a href="https://banque.fr` + aRel + `https://banque.fr</a>](<a href="https://evil.example/banque` + aRel +
				`https://evil.example/banque</a>)</p>` + "\n",
			wantLinks: []string{"https://banque.fr", "https://evil.example/banque"},
		},
		{
			name:      "OKLabelShowingSameSite",
			in:        "[https://a.fr](https://a.fr/x)",
			want:      `<p><a href="https://a.fr/x` + aRel + `https://a.fr</a></p>` + "\n",
			wantLinks: []string{"https://a.fr/x"},
		},
		{name: "OKMailtoIsText", in: "[écrire](mailto:a@b.fr) a@b.fr", want: "<p>[écrire](mailto:a@b.fr) a@b.fr</p>\n"},
		{name: "OKRelativeIsText", in: "[x](/admin) [y](//a.fr) [z](#top)", want: "<p>[x](/admin) [y](//a.fr) [z](#top)</p>\n"},
		{name: "OKOtherSchemeIsText", in: "[x](ftp://a.fr/f) [y](tel:+33100000000)", want: "<p>[x](ftp://a.fr/f) [y](tel:+33100000000)</p>\n"},
		{name: "OKLinkNeedsParentheses", in: "[a] [a][b] [a]: https", want: "<p>[a] [a][b] [a]: https</p>\n"},
		{name: "OKLinkNotAcrossLines", in: "[a](https://a.fr\n)", want: `<p>[a](<a href="https://a.fr` + aRel + `https://a.fr</a><br>` + "\n)</p>\n", wantLinks: []string{"https://a.fr"}},
		{name: "OKLinksDoNotNest", in: "[[a](https://a.fr)](https://b.fr)", want: `<p>[<a href="https://a.fr` + aRel + `a</a>](<a href="https://b.fr` + aRel + `https://b.fr</a>)</p>` + "\n", wantLinks: []string{"https://a.fr", "https://b.fr"}},

		// Bare URLs.
		{
			name:      "OKBareURL",
			in:        "Voir https://exemple.fr/a?b=c#d",
			want:      `<p>Voir <a href="https://exemple.fr/a?b=c#d` + aRel + `https://exemple.fr/a?b=c#d</a></p>` + "\n",
			wantLinks: []string{"https://exemple.fr/a?b=c#d"},
		},
		{
			name:      "OKBareURLTrailingPunctuation",
			in:        "https://a.fr/x. https://a.fr/y, https://a.fr/z! https://a.fr/w… 'https://a.fr/v'",
			want:      `<p><a href="https://a.fr/x` + aRel + `https://a.fr/x</a>. <a href="https://a.fr/y` + aRel + `https://a.fr/y</a>, <a href="https://a.fr/z` + aRel + `https://a.fr/z</a>! <a href="https://a.fr/w` + aRel + `https://a.fr/w</a>… &#39;<a href="https://a.fr/v` + aRel + `https://a.fr/v</a>&#39;</p>` + "\n",
			wantLinks: []string{"https://a.fr/x", "https://a.fr/y", "https://a.fr/z", "https://a.fr/w", "https://a.fr/v"},
		},
		{
			name:      "OKBareURLParentheses",
			in:        "(voir https://fr.wikipedia.org/wiki/Paris_(homonymie)) (https://a.fr/x)",
			want:      `<p>(voir <a href="https://fr.wikipedia.org/wiki/Paris_(homonymie)` + aRel + `https://fr.wikipedia.org/wiki/Paris_(homonymie)</a>) (<a href="https://a.fr/x` + aRel + `https://a.fr/x</a>)</p>` + "\n",
			wantLinks: []string{"https://fr.wikipedia.org/wiki/Paris_(homonymie)", "https://a.fr/x"},
		},
		{
			name:      "OKBareURLInGuillemets",
			in:        "« https://exemple.fr » «https://exemple.fr/a» «\u00a0https://exemple.fr/b\u00a0»",
			want:      `<p>« <a href="https://exemple.fr` + aRel + `https://exemple.fr</a> » «<a href="https://exemple.fr/a` + aRel + `https://exemple.fr/a</a>» «` + nbsp + `<a href="https://exemple.fr/b` + aRel + `https://exemple.fr/b</a>` + nbsp + `»</p>` + "\n",
			wantLinks: []string{"https://exemple.fr", "https://exemple.fr/a", "https://exemple.fr/b"},
		},
		{
			name:      "OKBareURLInGuillemetsFrench",
			in:        "« https://exemple.fr »",
			style:     StyleFrench,
			want:      `<p>«` + nnbsp + `<a href="https://exemple.fr` + aRel + `https://exemple.fr</a>` + nnbsp + `»</p>` + "\n",
			wantLinks: []string{"https://exemple.fr"},
		},
		{
			name:      "OKBareURLInQuotesAndBrackets",
			in:        `"https://a.fr" <https://b.fr> [https://c.fr]`,
			want:      `<p>&#34;<a href="https://a.fr` + aRel + `https://a.fr</a>&#34; &lt;<a href="https://b.fr` + aRel + `https://b.fr</a>&gt; [<a href="https://c.fr` + aRel + `https://c.fr</a>]</p>` + "\n",
			wantLinks: []string{"https://a.fr", "https://b.fr", "https://c.fr"},
		},
		{
			name:      "OKBareURLInEmphasis",
			in:        "*https://a.fr/x_y* _https://b.fr_",
			want:      `<p><em><a href="https://a.fr/x_y` + aRel + `https://a.fr/x_y</a></em> <em><a href="https://b.fr` + aRel + `https://b.fr</a></em></p>` + "\n",
			wantLinks: []string{"https://a.fr/x_y", "https://b.fr"},
		},
		{name: "OKBareURLNotInsideWord", in: "xhttps://a.fr éhttp://b.fr", want: "<p>xhttps://a.fr éhttp://b.fr</p>\n"},
		{
			name:      "OKBareURLEndsAtFormatCharacter",
			in:        "https://evil.example/\u202erf.euqnab https://a.fr/\u200bx",
			want:      `<p><a href="https://evil.example/` + aRel + "https://evil.example/</a>\u202erf.euqnab " + `<a href="https://a.fr/` + aRel + "https://a.fr/</a>\u200bx</p>\n",
			wantLinks: []string{"https://evil.example/", "https://a.fr/"},
		},
		{name: "OKNoBareWWW", in: "www.exemple.fr", want: "<p>www.exemple.fr</p>\n"},
		{name: "OKBareURLWithUserIsText", in: "https://www.banque.fr@evil.example/x", want: "<p>https://www.banque.fr@evil.example/x</p>\n"},
		{name: "OKBareURLWithoutHostIsText", in: "http:// https:///x", want: "<p>http:// https:///x</p>\n"},
		{
			name:      "OKNormalizedLinks",
			in:        "HTTPS://EXEMPLE.FR/A https://étude.fr/été?q=é http://a.fr:80/ https://a.fr:8443/",
			want:      `<p><a href="https://exemple.fr/A` + aRel + `HTTPS://EXEMPLE.FR/A</a> <a href="https://xn--tude-9oa.fr/%C3%A9t%C3%A9?q=%C3%A9` + aRel + `https://étude.fr/été?q=é</a> <a href="http://a.fr/` + aRel + `http://a.fr:80/</a> <a href="https://a.fr:8443/` + aRel + `https://a.fr:8443/</a></p>` + "\n",
			wantLinks: []string{"https://exemple.fr/A", "https://xn--tude-9oa.fr/%C3%A9t%C3%A9?q=%C3%A9", "http://a.fr/", "https://a.fr:8443/"},
		},

		// Everything else is text.
		{
			name: "OKMarkdownBlocksAreText",
			in:   "# Titre\n## Sous-titre\n- un\n1. deux\n    code\n```go\n| a | b |\n---\n===",
			want: "<p># Titre<br>\n## Sous-titre<br>\n- un<br>\n1. deux<br>\ncode<br>\n```go<br>\n| a | b |<br>\n---<br>\n===</p>\n",
		},
		{name: "OKCodeSpanIsText", in: "`*x*`", want: "<p>`<em>x</em>`</p>\n"},
		{name: "OKEntitiesAreText", in: "&amp; &lt;b&gt; &#60;i&#62; &eacute;", want: "<p>&amp;amp; &amp;lt;b&amp;gt; &amp;#60;i&amp;#62; &amp;eacute;</p>\n"},

		// Attacks.
		{name: "OKScriptIsText", in: "<script>alert(1)</script>", want: "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"},
		{name: "OKImgOnerrorIsText", in: `<img src=x onerror="alert(1)">`, want: "<p>&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</p>\n"},
		{name: "OKJavascriptLinkIsText", in: "[x](javascript:alert(1))", want: "<p>[x](javascript:alert(1))</p>\n"},
		{name: "OKMixedCaseJavascriptLinkIsText", in: "[x](JaVaScRiPt:alert(1))", want: "<p>[x](JaVaScRiPt:alert(1))</p>\n"},
		{name: "OKDataLinkIsText", in: "[x](data:text/html;base64,PHNjcmlwdD4=)", want: "<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>\n"},
		{name: "OKEntityJavascriptIsText", in: "[x](&#106;avascript:alert(1))", want: "<p>[x](&amp;#106;avascript:alert(1))</p>\n"},
		{name: "OKEscapedJavascriptIsText", in: `[x](java\script:alert(1)) [y](\javascript:alert(1))`, want: `<p>[x](java\script:alert(1)) [y](\javascript:alert(1))</p>` + "\n"},
		{name: "OKSpacedJavascriptIsText", in: "[x]( javascript:alert(1)) [y](<javascript:alert(1)>)", want: "<p>[x]( javascript:alert(1)) [y](&lt;javascript:alert(1)&gt;)</p>\n"},
		{name: "OKJavascriptImageIsText", in: "![x](javascript:alert(1))", want: "<p>![x](javascript:alert(1))</p>\n"},
		{
			name:      "OKQuoteInHrefEncoded",
			in:        `[x](https://a.fr/"onmouseover="alert(1))`,
			want:      `<p><a href="https://a.fr/%22onmouseover=%22alert%281%29` + aRel + `x</a></p>` + "\n",
			wantLinks: []string{"https://a.fr/%22onmouseover=%22alert%281%29"},
		},
		{
			name:      "OKQuoteInHostIsText",
			in:        `[x](https://a.fr"onmouseover="alert(1))`,
			want:      `<p>[x](<a href="https://a.fr` + aRel + `https://a.fr</a>&#34;onmouseover=&#34;alert(1))</p>` + "\n",
			wantLinks: []string{"https://a.fr"},
		},
		{
			name:      "OKTagInBareURLIsText",
			in:        "https://a.fr/<script>alert(1)</script>",
			want:      `<p><a href="https://a.fr/` + aRel + `https://a.fr/</a>&lt;script&gt;alert(1)&lt;/script&gt;</p>` + "\n",
			wantLinks: []string{"https://a.fr/"},
		},
		{
			name:      "OKTagInLinkTextIsText",
			in:        `[<img src=x onerror=alert(1)>](https://a.fr)`,
			want:      `<p><a href="https://a.fr` + aRel + `&lt;img src=x onerror=alert(1)&gt;</a></p>` + "\n",
			wantLinks: []string{"https://a.fr"},
		},

		// Typography.
		{name: "OKFrenchSpacing", in: "Bonjour ! Vraiment ? Oui : « non ».", style: StyleFrench, want: "<p>Bonjour" + nnbsp + "! Vraiment" + nnbsp + "? Oui" + nbsp + ": «" + nnbsp + "non" + nnbsp + "».</p>\n"},
		{name: "OKCanadianSpacing", in: "Bonjour ! Oui : non", style: StyleFrenchCanada, want: "<p>Bonjour! Oui" + nbsp + ": non</p>\n"},
		{name: "OKNoSpacing", in: "Bonjour !", style: StyleNone, want: "<p>Bonjour !</p>\n"},
		{name: "OKSpacingAfterEmphasis", in: "*Bonjour* !", style: StyleFrench, want: "<p><em>Bonjour</em>" + nnbsp + "!</p>\n"},
		{
			name:      "OKURLUnchanged",
			in:        "Voir https://exemple.fr/a?b=c:d;e!f'g ! Oui",
			style:     StyleFrench,
			want:      `<p>Voir <a href="https://exemple.fr/a?b=c:d;e!f&#39;g` + aRel + `https://exemple.fr/a?b=c:d;e!f&#39;g</a>` + nnbsp + "! Oui</p>\n",
			wantLinks: []string{"https://exemple.fr/a?b=c:d;e!f'g"},
		},
		{
			name:      "OKApostropheInLinkTextNotInHref",
			in:        "[l'article](https://a.fr/l'article)",
			style:     StyleFrench,
			want:      `<p><a href="https://a.fr/l&#39;article` + aRel + `l’article</a></p>` + "\n",
			wantLinks: []string{"https://a.fr/l'article"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RenderComment(tt.in, tt.style)
			if err != nil {
				t.Fatalf("RenderComment(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got.HTML); diff != "" {
				t.Errorf("RenderComment(%q) HTML mismatch (-want +got):\n%s", tt.in, diff)
			}
			if diff := cmp.Diff(tt.wantLinks, got.Links); diff != "" {
				t.Errorf("RenderComment(%q) Links mismatch (-want +got):\n%s", tt.in, diff)
			}
			if err := checkCommentHTML(got); err != nil {
				t.Errorf("RenderComment(%q) = %q: %v", tt.in, got.HTML, err)
			}
		})
	}
}

func TestRenderCommentErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		style   Style
		wantKey string // "" for an error that is not an apperr
	}{
		{name: "ErrEmpty", in: "", wantKey: "error.comment.empty"},
		{name: "ErrBlank", in: " \n\t\r\n\u00a0\u202f ", wantKey: "error.comment.empty"},
		{name: "ErrOnlyQuoteMarkers", in: "> \n>>\n>", wantKey: "error.comment.empty"},
		{name: "ErrInvalidUTF8", in: "Bonjour \xff !", wantKey: "error.comment.bad_text"},
		{name: "ErrTruncatedUTF8", in: "Bonjour \xc3", wantKey: "error.comment.bad_text"},
		{name: "ErrNUL", in: "a\x00b", wantKey: "error.comment.bad_text"},
		{name: "ErrEscape", in: "a\x1b[31mb", wantKey: "error.comment.bad_text"},
		{name: "ErrC1Control", in: "a\u0085b", wantKey: "error.comment.bad_text"},
		{name: "ErrUnknownStyle", in: "Bonjour", style: Style(42)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := RenderComment(tt.in, tt.style)
			if err == nil {
				t.Fatalf("RenderComment(%q) = %q, want an error", tt.in, got.HTML)
			}
			if tt.wantKey == "" {
				if !errors.Is(err, ErrUnknownStyle) {
					t.Errorf("RenderComment(%q) error = %v, want ErrUnknownStyle", tt.in, err)
				}
				return
			}
			if k := apperr.KindOf(err); k != apperr.Invalid {
				t.Errorf("RenderComment(%q) error kind = %v, want invalid", tt.in, k)
			}
			if key, _ := apperr.Message(err); key != tt.wantKey {
				t.Errorf("RenderComment(%q) error key = %q, want %q", tt.in, key, tt.wantKey)
			}
		})
	}
}

// TestRenderCommentLinearTime checks that rendering stays linear on inputs
// that make naive Markdown parsers quadratic (goldmark's own parsers take
// seconds on 100 KB of several of these): four times the input must take
// about four times as long, far from the sixteen of a quadratic parse.
func TestRenderCommentLinearTime(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	patterns := []string{
		"*", "_", "[", "]", ">", "> ", "\\", "(", "<", "a*", "*a", "_a*", "a*b_", "**_a",
		"[a", "[](", "[x](", "![a](", "[*a*](", `[](a "`, "[](a '", "[](a (", "(https://a.fr/(",
		"http://", "https://a.fr/*", "«", " «", "[\n", "*\n", "> a\n",
		"[a](https://a.fr)", "[![a](https://a.fr)](https://b.fr)",
	}
	const small, large = 25_000, 100_000
	// Collections are made between runs, not during them: their cost
	// depends on the heap, which makes a run of 100 KB jump in time
	// without the parse being any less linear.
	// The memory limit still has the collector run if a broken parse
	// allocates without end.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(1 << 30))
	best := func(src string) time.Duration {
		d := time.Duration(1<<63 - 1)
		for range 5 {
			runtime.GC()
			start := time.Now()
			_, _ = RenderComment(src, StyleFrench)
			d = min(d, time.Since(start))
		}
		return d
	}
	for _, p := range patterns {
		t.Run(fmt.Sprintf("%q", p), func(t *testing.T) {
			var ratio float64
			// A busy machine can slow one measure down: a quadratic
			// parse fails every attempt, a linear one rarely fails one.
			for range 3 {
				s, l := best(strings.Repeat(p, small/len(p))), best(strings.Repeat(p, large/len(p)))
				// Linear is 4; quadratic is 16 and more. A loaded machine
				// (the race detector, other jobs) stretches the larger
				// input's time through cache misses: 13 leaves room.
				if ratio = float64(l) / float64(max(s, time.Microsecond)); ratio < 13 {
					return
				}
			}
			t.Errorf("rendering %d bytes of %q takes %.1f times as long as %d bytes, want about 4", large, p, ratio, small)
		})
	}
}

func TestRenderCommentConcurrent(t *testing.T) {
	want, err := RenderComment(benchComment, StyleFrench)
	if err != nil {
		t.Fatalf("RenderComment: %v", err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := RenderComment(benchComment, StyleFrench)
				if err != nil || !cmp.Equal(got, want) {
					t.Errorf("concurrent RenderComment = %q, %v; want %q", got.HTML, err, want.HTML)
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchComment is a typical reader comment: 600 characters of French,
// a quote, emphasis, a link and a bare URL.
const benchComment = `> Les habitants reviennent, un à un, dans la vieille ville.

Merci pour cet article, très *juste* sur le fond ! Mais j'ai l'impression qu'il manque une chose : ` +
	`les chiffres de la préfecture, publiés la semaine dernière, racontent une autre histoire. ` +
	`On les trouve [sur le site officiel](https://www.prefecture.gouv.fr/actualites/retour-habitants) ` +
	`et le rapport complet est là : https://www.exemple.fr/rapport-2024.pdf.
Pourquoi ne pas en parler ? Les **associations** de quartier, elles, le disent depuis des mois, ` +
	`et personne ne les écoute vraiment… Bref, j'y reviendrai la semaine prochaine !`

func BenchmarkRenderComment(b *testing.B) {
	b.SetBytes(int64(len(benchComment)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderComment(benchComment, StyleFrench); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleRenderComment() {
	c, err := RenderComment("> Un *beau* quartier.\n\nVraiment ? Voir https://exemple.fr/a.", StyleFrench)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%q\n%q\n", c.HTML, c.Links)
	// Output:
	// "<blockquote>\n<p>Un <em>beau</em> quartier.</p>\n</blockquote>\n<p>Vraiment\u202f? Voir <a href=\"https://exemple.fr/a\" rel=\"nofollow ugc noopener\">https://exemple.fr/a</a>.</p>\n"
	// ["https://exemple.fr/a"]
}
