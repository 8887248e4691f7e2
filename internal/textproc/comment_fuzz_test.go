package textproc

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"github.com/kiosque/kiosque/internal/apperr"
)

// commentSeeds are the starting points of FuzzRenderComment: the attacks
// RenderComment must stop, and the syntax it must get right.
var commentSeeds = []string{
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	"[x](JaVaScRiPt:alert(1))",
	"[x](java\tscript:alert(1)) [y](java&#x09;script:alert(1))",
	"[x](data:text/html;base64,PHNjcmlwdD4=) ![y](data:image/png;base64,AAAA)",
	"[x](&#106;avascript:alert(1)) &#60;script&#62;",
	`[x](https://a.fr/"onmouseover="alert(1)) [y](https://a.fr"><script>)`,
	"[x](https://www.banque.fr@evil.example) https://u:p@a.fr",
	"[https://banque.fr](https://evil.example)",
	"[a]: javascript:alert(1)\n\n[a] [b][a]",
	"<a href=\"https://a.fr\" onclick=\"x\">a</a> <https://a.fr> <javascript:alert(1)>",
	"> > > > > > profond\n> retour\nsuite",
	"> a\n>\n> b\n\n> c",
	"« https://exemple.fr » «https://exemple.fr/a» «\u00a0https://b.fr\u00a0»",
	"(https://fr.wikipedia.org/wiki/Paris_(homonymie)) https://a.fr/x. https://a.fr/y…",
	"*em* _em_ **fort** ***tous*** __x__ *a **b** c* snake_case 2*3*4",
	"[*a* **b**](https://a.fr) *[c](https://b.fr)* [![i](https://i.fr/i.png)](https://a.fr)",
	"[](https://a.fr) ![](https://b.fr) [ ](https://c.fr)",
	"# Titre\n- liste\n`code`\n```\n    indent\n| a | b |",
	"Bonjour ! Vraiment ? Oui : « non ». l'article https://a.fr/?a=b!",
	"\\*x\\* \\[y\\](https://a.fr) \\\\ a\\\nb",
	"https://étude.fr/été?q=é#x HTTPS://A.FR:443/ http://127.0.0.1:8080/ https://[::1]/",
	"[a](https://a.fr \"titre\") [b](https://b.fr 't') [c](https://c.fr (t))",
}

// FuzzRenderComment checks that whatever the text, RenderComment either
// refuses it with an Invalid error or returns HTML (see checkCommentHTML)
// made only of the allowed elements and attributes, whose links are all
// absolute http(s) URLs and are the ones listed in Links.
func FuzzRenderComment(f *testing.F) {
	for _, s := range commentSeeds {
		f.Add(s, uint8(StyleFrench))
	}
	f.Fuzz(func(t *testing.T, src string, style uint8) {
		checkRenderComment(t, src, Style(style%3))
		// Most mutations break UTF-8: render what is left of them too, so
		// that they also exercise the parser.
		if valid := strings.Map(func(r rune) rune {
			if isBadCommentRune(r) {
				return -1
			}
			return r
		}, strings.ToValidUTF8(src, "")); valid != src {
			checkRenderComment(t, valid, Style(style%3))
		}
	})
}

// checkRenderComment renders src and fails t if the result breaks the
// rules FuzzRenderComment checks.
func checkRenderComment(t *testing.T, src string, style Style) {
	t.Helper()
	// Go's fuzzer has no time limit per input, and a slow input is a bug
	// here (RenderComment must be linear): crash with it.
	watchdog := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("RenderComment(%q) takes more than 10s", src))
	})
	got, err := RenderComment(src, style)
	watchdog.Stop()
	if err != nil {
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != apperr.Invalid ||
			ae.Key != "error.comment.empty" && ae.Key != "error.comment.bad_text" {
			t.Fatalf("RenderComment(%q): unexpected error %v", src, err)
		}
		if ae.Key == "error.comment.bad_text" && utf8.ValidString(src) && !strings.ContainsFunc(src, isBadCommentRune) {
			t.Fatalf("RenderComment(%q): %v, but the text is valid", src, err)
		}
		return
	}
	if err := checkCommentHTML(got); err != nil {
		t.Fatalf("RenderComment(%q) = %q: %v", src, got.HTML, err)
	}
}

// isBadCommentRune reports whether RenderComment refuses r.
func isBadCommentRune(r rune) bool {
	return r != '\t' && r != '\n' && r != '\r' && (r < ' ' || r >= 0x7f && r <= 0x9f)
}

// checkCommentHTML returns an error unless c.HTML is valid UTF-8 made of
// text and of the elements a comment may hold, properly nested as a browser
// would build them: blockquote and p at the top or in a blockquote; em,
// strong, a and br in a p; no a in an a. An a has exactly an href, an
// absolute http(s) URL without user name, and rel="nofollow ugc noopener";
// no other element has attributes. The hrefs are c.Links, in order.
func checkCommentHTML(c CommentText) error {
	if !utf8.ValidString(c.HTML) {
		return errors.New("invalid UTF-8")
	}
	var (
		stack []string
		hrefs []string
	)
	z := xhtml.NewTokenizer(strings.NewReader(c.HTML))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return fmt.Errorf("tokenize: %w", err)
			}
			if len(stack) > 0 {
				return fmt.Errorf("unclosed %v", stack)
			}
			if !slices.Equal(hrefs, c.Links) {
				return fmt.Errorf("hrefs %q, Links %q", hrefs, c.Links)
			}
			return nil
		case xhtml.TextToken:
			if len(stack) == 0 && strings.TrimSpace(string(z.Text())) != "" {
				return fmt.Errorf("text %q outside any paragraph", z.Text())
			}
		case xhtml.StartTagToken:
			tok := z.Token()
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			switch tok.Data {
			case "blockquote", "p":
				if parent != "" && parent != "blockquote" {
					return fmt.Errorf("<%s> in <%s>", tok.Data, parent)
				}
			case "em", "strong", "a", "br":
				if parent == "" || parent == "blockquote" {
					return fmt.Errorf("<%s> outside a paragraph", tok.Data)
				}
				if tok.Data == "a" && slices.Contains(stack, "a") {
					return errors.New("<a> in <a>")
				}
			default:
				return fmt.Errorf("element <%s> is not allowed", tok.Data)
			}
			if tok.Data == "a" {
				href, err := checkCommentLinkAttrs(tok.Attr)
				if err != nil {
					return err
				}
				hrefs = append(hrefs, href)
			} else if len(tok.Attr) > 0 {
				return fmt.Errorf("<%s> has attributes %v", tok.Data, tok.Attr)
			}
			if tok.Data != "br" {
				stack = append(stack, tok.Data)
			}
		case xhtml.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				return fmt.Errorf("</%s> closes %v", name, stack)
			}
			stack = stack[:len(stack)-1]
		default:
			return fmt.Errorf("unexpected %q", z.Raw())
		}
	}
}

// checkCommentLinkAttrs checks the attributes of a comment's <a> and
// returns its href.
func checkCommentLinkAttrs(attrs []xhtml.Attribute) (string, error) {
	var href, rel []string
	for _, a := range attrs {
		switch a.Key {
		case "href":
			href = append(href, a.Val)
		case "rel":
			rel = append(rel, a.Val)
		default:
			return "", fmt.Errorf("<a> has attribute %s", a.Key)
		}
	}
	if len(href) != 1 || len(rel) != 1 || rel[0] != commentLinkRel {
		return "", fmt.Errorf("<a> has href %q and rel %q", href, rel)
	}
	u, err := url.Parse(href[0])
	if err != nil {
		return "", fmt.Errorf("<a href=%q>: %w", href[0], err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", fmt.Errorf("<a href=%q> is not an absolute http(s) URL", href[0])
	}
	return href[0], nil
}
