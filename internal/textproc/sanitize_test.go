package textproc

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	xhtml "golang.org/x/net/html"
)

func TestRenderRemovesDangerousMarkup(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "OKScriptBlock", in: "<script>alert(1)</script>\n\nTexte", want: "\n<p>Texte</p>\n"},
		{name: "OKInlineScript", in: "Texte <script>alert(1)</script> suite", want: "<p>Texte  suite</p>\n"},
		{name: "OKSplitScriptTag", in: "<scr<script>ipt>alert(1)</script>", want: "<p>&lt;scr</p>\n"},
		{name: "OKStyleBlock", in: "<style>body{display:none}</style>\n\nTexte", want: "\n<p>Texte</p>\n"},
		{name: "OKEventAttribute", in: "<img src=x onerror=alert(1)>", want: `<img src="x" loading="lazy" decoding="async">`},
		{name: "OKEventAttributeOnAllowedElement", in: `<details open ontoggle=alert(1)>x</details>`, want: "x"},
		{name: "OKMarkdownJavascriptLink", in: "[x](javascript:alert(1))", want: "<p>x</p>\n"},
		{name: "OKMixedCaseJavascript", in: `<a href="JaVaScRiPt:alert(1)">x</a>`, want: "<p>x</p>\n"},
		{name: "OKEncodedTabInJavascript", in: `<a href="java&#x09;script:alert(1)">x</a>`, want: "<p>x</p>\n"},
		{name: "OKLeadingSpaceJavascript", in: `<a href=" javascript:alert(1)">x</a>`, want: "<p>x</p>\n"},
		{name: "OKVBScriptLink", in: "[x](vbscript:msgbox)", want: "<p>x</p>\n"},
		{name: "OKDataLink", in: "[x](data:text/html;base64,PHNjcmlwdD4=)", want: "<p>x</p>\n"},
		{name: "OKIframe", in: `<iframe src="https://evil.example">texte</iframe>`, want: ""},
		{name: "OKSVGOnload", in: "<svg onload=alert(1)><circle r=1 /></svg>", want: "<p></p>\n"},
		{name: "OKMathML", in: `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`, want: "<p></p>\n"},
		{name: "OKMarkdownDataImage", in: "![x](data:image/png;base64,AAAA)", want: "<p></p>\n"},
		{name: "OKRawDataImage", in: `<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d">`, want: ""},
		{name: "OKMailtoImage", in: `<img src="mailto:a@b.fr" alt="m">`, want: ""},
		{name: "OKStyleAndEventAttributes", in: `<p style="color:red" onclick="x()">z</p>`, want: "<p>z</p>"},
		{name: "OKMediaAndObjects", in: "<object data=x>o</object><embed src=x><video src=x>v</video><audio src=x>a</audio>", want: "<p></p>\n"},
		{name: "OKForms", in: `<form action="/x"><input name=a><button>Envoyer</button></form>`, want: "Envoyer"},
		{name: "OKPageLevelTags", in: `<base href="https://evil/"><link rel=stylesheet href=x><meta http-equiv=refresh content=0>`, want: ""},
		{name: "OKNoscriptMutation", in: `<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`, want: `<p><img src="x" loading="lazy" decoding="async">&#34;&gt;</p>` + "\n"},
		{name: "OKForeignAttributesDropped", in: `<a href="https://a.fr" onmouseover="x" class="evil" id="y">lien</a>`, want: `<p><a href="https://a.fr" rel="noopener">lien</a></p>` + "\n"},
		{name: "OKFootnoteLookalikeIdDropped", in: `<p id="main"><sup id="fnref:1" class="x">1</sup></p>`, want: `<p><sup id="fnref:1">1</sup></p>`},
		{name: "OKBareDivDropped", in: "<div>bloc</div>\n\n<span>s</span>", want: "bloc\n<p>s</p>\n"},
	}
	r := NewRenderer()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := r.Render(tt.in, StyleFrench)
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Render(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if err := checkSafeHTML(got); err != nil {
				t.Errorf("Render(%q) output is unsafe: %v", tt.in, err)
			}
		})
	}
}

func TestCheckSafeHTML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantErr bool
	}{
		{name: "OKArticleMarkup", in: `<p><a href="/x" title="onload=x javascript:">a</a> javascript: onclick=</p>`},
		{name: "ErrScript", in: "<script>x</script>", wantErr: true},
		{name: "ErrUnknownElement", in: "<iframe></iframe>", wantErr: true},
		{name: "ErrHeadingOne", in: "<h1>x</h1>", wantErr: true},
		{name: "ErrEventAttribute", in: `<p onclick="x">`, wantErr: true},
		{name: "ErrStyleAttribute", in: `<p style="x">`, wantErr: true},
		{name: "ErrJavascriptURL", in: `<a href=" JavaScript:x">`, wantErr: true},
		{name: "ErrDataURL", in: `<img src="DATA:image/png,x">`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkSafeHTML(tt.in)
			if (err != nil) != tt.wantErr {
				t.Errorf("checkSafeHTML(%q) = %v, want error: %v", tt.in, err, tt.wantErr)
			}
		})
	}
}

// checkSafeHTML returns an error if the markup of src (not its text: an
// article may well mention "javascript:") could run code or style the page:
// an element outside the allow-list, an event handler or style attribute, or
// a javascript:, vbscript: or data: URL in any attribute.
func checkSafeHTML(src string) error {
	if strings.Contains(strings.ToLower(src), "<script") {
		return fmt.Errorf("contains <script")
	}
	z := xhtml.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return err
			}
			return nil
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			tok := z.Token()
			if !allowedElements[tok.Data] {
				return fmt.Errorf("element <%s> is not allowed", tok.Data)
			}
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				if strings.HasPrefix(key, "on") || key == "style" {
					return fmt.Errorf("<%s> has attribute %s", tok.Data, a.Key)
				}
				val := strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1 // browsers ignore these inside a scheme
					}
					return r
				}, strings.ToLower(a.Val))
				for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
					if strings.HasPrefix(val, scheme) {
						return fmt.Errorf("<%s %s=%q> uses %s", tok.Data, a.Key, a.Val, scheme)
					}
				}
			}
		}
	}
}

// allowedElements is the allow-list of Render's output, as documented.
var allowedElements = map[string]bool{
	"p": true, "br": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "ul": true, "ol": true, "li": true, "a": true, "img": true,
	"figure": true, "figcaption": true, "em": true, "strong": true, "del": true, "s": true,
	"code": true, "pre": true, "hr": true, "table": true, "thead": true, "tbody": true,
	"tr": true, "th": true, "td": true, "sup": true, "sub": true, "abbr": true, "cite": true,
	"q": true, "small": true, "mark": true, "div": true,
}
