package wpcontent

import (
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	xhtml "golang.org/x/net/html"

	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/wxr"
)

// commentRel ends the opening tag of every link RenderComment makes, after
// its href.
const commentRel = `" rel="nofollow ugc noopener">`

// nnbsp is the narrow no-break space French typography puts before ! ? ;
// and inside « ».
const nnbsp = "\u202F"

func TestCommentText(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		// html is what textproc.RenderComment makes of want with the
		// default style of a site (fr-FR); "" for not checked.
		html string
	}{
		// Blocks.
		{name: "OKPlain", in: "Merci pour cet article.", want: "Merci pour cet article.", html: "<p>Merci pour cet article.</p>\n"},
		{
			name: "OKParagraphsAndBreaks",
			in:   "Un\n\nDeux\nTrois<br />\nQuatre<br>Cinq<br><br>Six\n \nSept",
			want: "Un\n\nDeux\nTrois\nQuatre\nCinq\n\nSix\n\nSept",
			html: "<p>Un</p>\n<p>Deux<br>\nTrois<br>\nQuatre<br>\nCinq</p>\n<p>Six</p>\n<p>Sept</p>\n",
		},
		{
			name: "OKParagraphTags",
			in:   "<p>Un</p><p>Deux<br/>trois</p>\n\n<p> </p>Quatre",
			want: "Un\n\nDeux\ntrois\n\nQuatre",
			html: "<p>Un</p>\n<p>Deux<br>\ntrois</p>\n<p>Quatre</p>\n",
		},
		{name: "OKCRLF", in: "Un\r\n\r\nDeux\r\nTrois\rQuatre", want: "Un\n\nDeux\nTrois\nQuatre"},
		{name: "OKTrimmed", in: " \n\n <br> Un   deux\t\n <br>\n\n", want: "Un deux"},
		{name: "OKNoBreakSpaceKept", in: "«&nbsp;oui&nbsp;» \u00a0 non", want: "«\u00a0oui\u00a0»\u00a0non"},

		// Quotes.
		{
			name: "OKQuote",
			in:   "<blockquote cite=\"https://a.fr\">Il a dit\n\nceci.</blockquote>\nJe réponds.",
			want: "> Il a dit\n>\n> ceci.\n\nJe réponds.",
			html: "<blockquote>\n<p>Il a dit</p>\n<p>ceci.</p>\n</blockquote>\n<p>Je réponds.</p>\n",
		},
		{
			name: "OKNestedQuotes",
			in:   "<blockquote><blockquote>Premier</blockquote>Second</blockquote><blockquote>Autre</blockquote>",
			want: "> > Premier\n>\n> Second\n\n> Autre",
			html: "<blockquote>\n<blockquote>\n<p>Premier</p>\n</blockquote>\n<p>Second</p>\n</blockquote>\n" +
				"<blockquote>\n<p>Autre</p>\n</blockquote>\n",
		},
		{
			name: "OKQuoteDepthCapped",
			in:   "<blockquote>1<blockquote>2<blockquote>3<blockquote>4</blockquote></blockquote></blockquote></blockquote>",
			want: "> 1\n>\n> > 2\n> >\n> > > 3\n> > >\n> > > 4",
		},
		{name: "OKEmptyQuote", in: "a<blockquote> </blockquote>b", want: "a\n\nb"},

		// Emphasis.
		{
			name: "OKEmphasis",
			in:   "<strong>Fort</strong>, <b>gras</b>, <em>penché</em> et <i>italique</i>.",
			want: "**Fort**, **gras**, *penché* et *italique*.",
			html: "<p><strong>Fort</strong>, <strong>gras</strong>, <em>penché</em> et <em>italique</em>.</p>\n",
		},
		{
			name: "OKNestedEmphasis",
			in:   "<strong>a <em>b</em></strong> <em>c <strong>d</strong> e</em> <b><i>f</i></b>",
			want: "**a *b*** *c **d** e **f***",
			html: "<p><strong>a <em>b</em></strong> <em>c <strong>d</strong> e <strong>f</strong></em></p>\n",
		},
		{name: "OKSameEmphasisNested", in: "<em>a <i>b</i> c</em>", want: "*a b c*"},
		{name: "OKMisnestedTags", in: "<b>a <i>b</b> c</i> d", want: "**a *b*** *c* d"},
		{name: "OKSpacesOutsideEmphasis", in: "a<em> b </em>c<strong><br>d</strong>", want: "a *b* c\n**d**"},
		{name: "OKEmptyEmphasisDropped", in: "a <em> </em><strong></strong>b", want: "a b"},
		{
			name: "OKEmphasisAcrossParagraphs",
			in:   "<em>un\n\ndeux</em>",
			want: "*un*\n\n*deux*",
			html: "<p><em>un</em></p>\n<p><em>deux</em></p>\n",
		},
		{name: "OKEmphasisAcrossLines", in: "<em>un<br>deux</em>", want: "*un\ndeux*", html: "<p><em>un<br>\ndeux</em></p>\n"},
		{name: "OKIntrawordEmphasisDropped", in: "re<em>lire</em>, <em>(x)</em>y", want: "relire, (x)y", html: "<p>relire, (x)y</p>\n"},
		{name: "OKEmphasisBeforePunctuation", in: "<em>« Non »</em> !", want: "*« Non »* !"},

		// Links.
		{
			name: "OKLink",
			in:   `Lire <a href="https://www.exemple.fr/enquete?id=3&amp;p=2" title="Titre" rel="nofollow">l’enquête</a>.`,
			want: "Lire [l’enquête](https://www.exemple.fr/enquete?id=3&p=2).",
			html: `<p>Lire <a href="https://www.exemple.fr/enquete?id=3&amp;p=2` + commentRel + `l’enquête</a>.</p>` + "\n",
		},
		{
			name: "OKLinkWithParenthesesAndSpaces",
			in:   `<a href=" https://fr.wikipedia.org/wiki/Paris_(homonymie) a ">Paris</a>`,
			want: `[Paris](https://fr.wikipedia.org/wiki/Paris_\(homonymie\)%20a)`,
			html: `<p><a href="https://fr.wikipedia.org/wiki/Paris_(homonymie)%20a` + commentRel + `Paris</a></p>` + "\n",
		},
		{
			name: "OKJavascriptLinkDropped",
			in:   `<a href="javascript:alert(1)">cliquez</a> <a href=" JavaScript:x">ici</a> <a href="/relatif">là</a>`,
			want: "cliquez ici là",
			html: "<p>cliquez ici là</p>\n",
		},
		{name: "OKMailtoLinkKeepsText", in: `<a href="mailto:a@b.fr">écrivez-moi</a>`, want: "écrivez-moi"},
		{name: "OKLinkWithUserDropped", in: `<a href="https://banque.fr@evil.example">banque</a>`, want: "banque"},
		{
			name: "OKLinkShowingURLIsBareURL",
			in:   `<a href="https://evil.example">https://banque.fr</a>`,
			want: "https://banque.fr",
			html: `<p><a href="https://banque.fr` + commentRel + `https://banque.fr</a></p>` + "\n",
		},
		{
			name: "OKEmphasisInAndAroundLinks",
			in:   `<em><a href="https://a.fr">a</a></em> <a href="https://b.fr"><strong>b</strong> c</a> <em>d <a href="https://c.fr">e</a> f</em>`,
			want: "[*a*](https://a.fr) [**b** c](https://b.fr) *d [e](https://c.fr) f*",
			html: `<p><a href="https://a.fr` + commentRel + `<em>a</em></a> <a href="https://b.fr` + commentRel + `<strong>b</strong> c</a> ` +
				`<em>d <a href="https://c.fr` + commentRel + `e</a> f</em></p>` + "\n",
		},
		{name: "OKEmphasisEndingInLink", in: `<em>a <a href="https://a.fr">b</em> c</a>`, want: "*a [b](https://a.fr)* [c](https://a.fr)"},
		{name: "OKLinkShowingSplitURL", in: `<a href="https://a.fr">ht<em>tp://b.fr</em></a>`, want: "http://b.fr"},
		{name: "OKLinkAfterExclamationMark", in: `Wow!<a href="https://a.fr">ici</a>`, want: `Wow\![ici](https://a.fr)`},
		{name: "OKNestedLinks", in: `<a href="https://a.fr">a <a href="https://b.fr">b</a> c</a>`, want: "[a](https://a.fr) [b](https://b.fr) c"},

		// Text.
		{
			name: "OKMarkdownEscaped",
			in:   "2*3*4 _a_ snake_case [note] \\o/ !\n> pas une citation",
			want: `2\*3\*4 \_a\_ snake_case \[note\] \\o/ !` + "\n" + `\> pas une citation`,
			html: "<p>2*3*4 _a_ snake_case [note] \\o/" + nnbsp + "!<br>\n&gt; pas une citation</p>\n",
		},
		{
			name: "OKMarkdownLinkShownAsWritten",
			in:   "[x](https://a.fr) ![y](https://b.fr)",
			want: `\[x\](https://a.fr) !\[y\](https://b.fr)`,
			html: `<p>[x](<a href="https://a.fr` + commentRel + `https://a.fr</a>)` + nnbsp + `![y](<a href="https://b.fr` + commentRel + `https://b.fr</a>)</p>` + "\n",
		},
		{
			name: "OKURLKeptWhole",
			in:   "Voir https://a.fr/x_y*z_ et http://b.fr/_c_.",
			want: `Voir https://a.fr/x_y*z\_ et http://b.fr/_c\_.`,
			html: `<p>Voir <a href="https://a.fr/x_y*z` + commentRel + `https://a.fr/x_y*z</a>_ et <a href="http://b.fr/_c` + commentRel + `http://b.fr/_c</a>_.</p>` + "\n",
		},
		{
			name: "OKEntitiesDecoded",
			in:   "C&#8217;est &laquo;&nbsp;vrai&nbsp;&raquo; &amp; &lt;b&gt; &amp;lt; &eacute;t&eacute; &foo;",
			want: "C’est «\u00a0vrai\u00a0» & <b> &lt; été &foo;",
			html: "<p>C’est «" + nnbsp + "vrai" + nnbsp + "» &amp; &lt;b&gt; &amp;lt" + nnbsp + "; été &amp;foo" + nnbsp + ";</p>\n",
		},
		{name: "OKControlCharactersRemoved", in: "a\x01b\x7f c&#1;d \xff", want: "ab cd \uFFFD"},

		// Other elements.
		{name: "OKCode", in: "Tapez <code>a*b</code> ou <code></code>.", want: "Tapez `a\\*b` ou ."},
		{name: "OKQ", in: "Il a dit <q>oui</q>.", want: `Il a dit "oui".`},
		{name: "OKStruckTextKept", in: "Je <del>déteste</del> <s>hais</s> <strike>x</strike> adore.", want: "Je déteste hais x adore."},
		{name: "OKOtherTagsDropped", in: `<span class="x">a</span><abbr title="t">b</abbr> <cite>c</cite> <img src="x.jpg" alt="d"> e`, want: "ab c e"},
		{name: "OKBlockElements", in: "<h2>Titre</h2><ul>\n<li>un</li>\n<li>deux</li></ul><table><tr><td>a</td><td>b</td></tr></table>", want: "Titre\n\nun\ndeux\n\na b"},
		{name: "OKScriptDropped", in: "a<script>alert('*')</script><style>p{}</style> b<!-- note -->c", want: "a bc"},

		// Malformed HTML.
		{name: "OKUnclosedTags", in: "<strong>fort <em>et penché", want: "**fort *et penché***", html: "<p><strong>fort <em>et penché</em></strong></p>\n"},
		{name: "OKUnclosedCode", in: "<code>x", want: "`x`"},
		{name: "OKStrayEndTags", in: "</em>a</strong></blockquote></a></code> b", want: "a b"},
		{name: "OKBrokenMarkup", in: "a < b <b c=\"d\">e 1<2 <<>> <", want: "a < b **e 1<2 <<>> <**"},
		{name: "OKUnclosedScript", in: "a <script>b", want: "a"},

		// Nothing to show.
		{name: "OKEmpty", in: "", want: ""},
		{name: "OKOnlyMarkup", in: "<p> </p><br><img src=x><em></em>", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CommentText(tt.in)
			if got != tt.want {
				t.Errorf("CommentText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if tt.html != "" {
				c, err := textproc.RenderComment(got, textproc.StyleFrench)
				if err != nil {
					t.Fatalf("RenderComment(%q): %v", got, err)
				}
				if c.HTML != tt.html {
					t.Errorf("RenderComment(%q)\n got %q\nwant %q", got, c.HTML, tt.html)
				}
			}
			checkCommentRender(t, tt.in)
		})
	}
}

// TestCommentLinkDestAgreesWithTextproc checks that commentLinkDest makes
// a link of an href exactly when RenderComment does.
func TestCommentLinkDestAgreesWithTextproc(t *testing.T) {
	for _, href := range []string{
		"https://a.fr", "HTTP://A.FR/x?q=1&r=(2)", "https://étude.fr/été", "http://127.0.0.1:8080/", "https://[::1]/",
		"https://[fe80::1%25eth0]/", "https://a.fr/a b", "https://a.fr/\\x", "https://a_b.fr", "https://-.fr",
		"https://a.fr/%zz", "https://u:p@a.fr", "https://", "http:a.fr", "http:///a", "ftp://a.fr", "mailto:a@b.fr",
		"javascript:alert(1)", "//a.fr/x", "/x", "", "https://a..fr", "https://a$.fr", "https://xn--.fr", "https://a.fr#x y",
	} {
		dest, ok := commentLinkDest(href)
		if !ok {
			dest = strings.NewReplacer(" ", "%20", "(", `\(`, ")", `\)`, `\`, `\\`).Replace(href)
		}
		c, err := textproc.RenderComment("[x]("+dest+")", textproc.StyleNone)
		if err != nil {
			t.Fatalf("RenderComment(%q): %v", dest, err)
		}
		if made := len(c.Links) == 1; made != ok {
			t.Errorf("commentLinkDest(%q) = %q, %v; RenderComment makes a link: %v (%q)", href, dest, ok, made, c.HTML)
		}
	}
}

// TestBareURLLenAgreesWithTextproc checks that textproc.BareURLLen ends a URL where
// RenderComment ends the link it makes of it.
func TestBareURLLenAgreesWithTextproc(t *testing.T) {
	for _, s := range []string{
		"https://a.fr", "https://a.fr/x.", "https://a.fr/x_*", "https://a.fr/(x)).", "(https://a.fr/x)",
		"https://a.fr/x…", "https://a.fr/«x»", "https://a.fr/x\u200by", "https://a.fr/x\\y", "https://a.fr/x?a=b!",
		"https://a.fr/x'", "https://a.fr/x~y~", "https://a.fr/é;",
	} {
		start := strings.Index(s, "http")
		want := s[start : start+textproc.BareURLLen(s[start:])]
		c, err := textproc.RenderComment(strings.ReplaceAll(s, `\`, `\\`), textproc.StyleNone)
		if err != nil {
			t.Fatalf("RenderComment(%q): %v", s, err)
		}
		got := ""
		if i := strings.Index(c.HTML, commentRel); i >= 0 {
			got, _, _ = strings.Cut(c.HTML[i+len(commentRel):], "</a>")
			got = xhtml.UnescapeString(got)
		}
		if got != want {
			t.Errorf("bareURLLen(%q) keeps %q, RenderComment links %q", s, want, got)
		}
	}
}

// styledRune is a visible character of a comment and the emphasis and link
// it is in.
type styledRune struct {
	r                  rune
	em, strong, inLink bool
}

// checkCommentRender checks that textproc.RenderComment shows the text
// CommentText read from content, every visible character of it with the
// emphasis CommentText kept and in the links it made, and nothing else: no
// Markdown syntax left over, no character lost.
func checkCommentRender(t *testing.T, content string) {
	t.Helper()
	r := readComment(content)
	md := r.markdown()
	if md != strings.TrimSpace(md) {
		t.Errorf("CommentText(%q) = %q: white space around it", content, md)
	}
	var want []styledRune
	for _, p := range r.paras {
		for _, it := range p.items {
			for _, c := range it.s {
				if !unicode.IsSpace(c) {
					want = append(want, styledRune{c, it.fmt&fmtEm != 0, it.fmt&fmtStrong != 0, it.href != ""})
				}
			}
		}
	}
	if md == "" {
		if len(want) > 0 {
			t.Errorf("CommentText(%q) is empty, but it has text", content)
		}
		return
	}
	c, err := textproc.RenderComment(md, textproc.StyleNone)
	if err != nil {
		t.Fatalf("RenderComment(CommentText(%q) = %q): %v", content, md, err)
	}
	got := renderedRunes(c.HTML)
	for i := range max(len(got), len(want)) {
		var g, w styledRune
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		// A link made from a bare URL has no href of CommentText's.
		if g.r != w.r || g.em != w.em || g.strong != w.strong || w.inLink && !g.inLink {
			t.Fatalf("CommentText(%q) = %q\nrenders %q\ncharacter %d is %+v, want %+v", content, md, c.HTML, i, g, w)
		}
	}
}

// renderedRunes returns the visible characters of comment HTML.
func renderedRunes(html string) []styledRune {
	var out []styledRune
	var em, strong, link int
	z := xhtml.NewTokenizer(strings.NewReader(html))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return out
		}
		name, _ := z.TagName()
		d := 1
		switch tt {
		case xhtml.EndTagToken:
			d = -1
		case xhtml.TextToken:
			for _, c := range string(z.Text()) {
				if !unicode.IsSpace(c) {
					out = append(out, styledRune{c, em > 0, strong > 0, link > 0})
				}
			}
			continue
		}
		switch string(name) {
		case "em":
			em += d
		case "strong":
			strong += d
		case "a":
			link += d
		}
	}
}

// inlineElements are the elements inside which, or around which, text
// runs on: "H<sub>2</sub>O" is one word.
var inlineElements = map[string]bool{
	"a": true, "abbr": true, "acronym": true, "b": true, "big": true, "cite": true, "code": true,
	"del": true, "em": true, "font": true, "i": true, "ins": true, "kbd": true, "mark": true, "q": true,
	"s": true, "small": true, "span": true, "strike": true, "strong": true, "sub": true, "sup": true,
	"tt": true, "u": true, "var": true,
}

// commentWords returns the words (runs of letters and digits) of the text
// of the HTML s, outside skippedElements, as a reader sees them: inline
// elements do not split a word, other elements do.
func commentWords(s string) []string {
	var text strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := ""
	for {
		tt := z.Next()
		name, _ := z.TagName()
		switch tt {
		case xhtml.ErrorToken:
			return strings.FieldsFunc(text.String(), func(r rune) bool {
				return !unicode.IsLetter(r) && !unicode.IsDigit(r)
			})
		case xhtml.StartTagToken:
			if skip == "" && skippedElements[string(name)] {
				skip = string(name)
			}
		case xhtml.EndTagToken:
			if string(name) == skip {
				skip = ""
			}
		case xhtml.TextToken:
			if skip == "" {
				text.Write(z.Text())
			}
			continue
		}
		if !inlineElements[string(name)] {
			text.WriteByte(' ')
		}
	}
}

// exportComments returns the comments of the WXR file at path.
func exportComments(t *testing.T, path string) []wxr.Comment {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := wxr.NewReader(f)
	if err != nil {
		t.Skipf("%s is not read by wxr: %v", path, err)
	}
	var comments []wxr.Comment
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			return comments
		}
		var ie *wxr.ItemError
		if errors.As(err, &ie) {
			continue
		}
		if err != nil {
			return comments
		}
		comments = append(comments, it.Comments...)
	}
}

// TestCommentTextRealExports converts every comment of the real exports:
// RenderComment accepts the text, shows what CommentText read (see
// checkCommentRender) and keeps every word of the comment, in order.
func TestCommentTextRealExports(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(sharedExports, "*", "*.xml"))
	if len(paths) == 0 {
		t.Skipf("no exports in %s: the shared test data is absent", sharedExports)
	}
	total := 0
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			for _, c := range exportComments(t, path) {
				total++
				text := CommentText(c.Content)
				in := commentWords(c.Content)
				if text == "" {
					if len(in) > 0 {
						t.Errorf("comment %d: no text, but %q in %q", c.ID, in, c.Content)
					}
					continue
				}
				rendered, err := textproc.RenderComment(text, textproc.StyleFrench)
				if err != nil {
					t.Errorf("comment %d: RenderComment(%q): %v", c.ID, text, err)
					continue
				}
				if w := missingWord(in, commentWords(rendered.HTML)); w != "" {
					t.Errorf("comment %d: word %q lost:\n%s\n→ %s", c.ID, w, c.Content, rendered.HTML)
				}
				checkCommentRender(t, c.Content)
			}
		})
	}
	if total == 0 {
		t.Log("the exports hold no comment")
	}
}

// TestCommentTextRandomMarkup checks (see checkCommentRender) comments
// made at random of the tags, characters and URLs whose meeting CommentText
// must get right: emphasis next to emphasis, links, URLs, punctuation and
// Markdown syntax, quotes and breaks.
func TestCommentTextRandomMarkup(t *testing.T) {
	parts := []string{
		"<em>", "</em>", "<i>", "</i>", "<strong>", "</strong>", "<b>", "</b>", `<a href="https://a.fr/x">`,
		`<a href="https://b.fr">`, "</a>", "<blockquote>", "</blockquote>", "<p>", "</p>", "<br>", "\n", "\n\n",
		" ", "\u00a0", "a", "bc", "é", "1", "*", "_", "[", "]", "(", ")", "!", ">", "\\", "`", "http://x.fr/",
		"https://y.fr/a_b", ".", ",", "«", "»", "'", `"`, "<code>", "</code>", "<q>", "</q>", "~", "&amp;", "&lt;",
		":", "?", "-", "#",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for k := rng.IntN(30) + 1; k > 0; k-- {
			b.WriteString(parts[rng.IntN(len(parts))])
		}
		checkCommentRender(t, b.String())
		if t.Failed() {
			return
		}
	}
}

// FuzzCommentText checks that any content gives text that RenderComment
// accepts and shows as CommentText read it (see checkCommentRender).
func FuzzCommentText(f *testing.F) {
	for _, s := range []string{
		"<strong>a <em>b</em></strong> <em>c <strong>d</strong> e</em>", "<b><i>x</b></i>", "re<em>lire</em>",
		`<a href="https://a.fr">a <em>b</a> c</em>`, `<a href="javascript:x">y</a>`, `<a href="https://a.fr/(x">https://b.fr</a>`,
		"<blockquote><blockquote>a</blockquote>b</blockquote>\n\n> c", "*_[]\\!>`~", "http://a.fr/*x*<em>y</em>z",
		"<em>http://a.fr</em>b", "a_<em>b</em>_c", "<code>x", "<q></q>", "&#0;&#1;&amp;&nbsp;", "\r\n\r\n<br><br>",
		"<p><em>a</p><p>b</em></p>", "!<a href=\"https://a.fr\">x</a>", "<strong>**</strong>", "<em>*</em>*",
		"0\v0", "<script/>x</script>y", "<q><code><q>", "<a href=\"https://a.fr\">a<br>b</a>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkCommentRender(t, s)
	})
}
