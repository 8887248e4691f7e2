package textproc

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"
)

// decorate finishes sanitized HTML: h1 becomes h2, every image gets
// loading="lazy" decoding="async" (an image left without src is dropped), and
// a link gets rel="noopener" exactly when its href is an absolute http(s)
// URL, which opens another site (any other rel is removed). Other tokens are
// copied as they are. When images is not nil, an image it knows gets its
// width, height, srcset and sizes.
func decorate(src string, images ImageResolver) (string, error) {
	var b strings.Builder
	b.Grow(len(src) + len(src)/16)
	z := xhtml.NewTokenizer(strings.NewReader(src))
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return "", fmt.Errorf("decorate html: %w", err)
			}
			return b.String(), nil
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			// Token, not TagName, reads the tag: TagName would consume the
			// name and attributes that Token needs.
			switch rawTagName(z.Raw()) {
			case "h1":
				tok := z.Token()
				tok.Data = "h2"
				b.WriteString(tok.String())
				continue
			case "img":
				if tt != xhtml.EndTagToken {
					tok := z.Token()
					if decorateImage(&tok, images) {
						b.WriteString(tok.String())
					}
					continue
				}
			case "a":
				if tt != xhtml.EndTagToken {
					tok := z.Token()
					decorateLink(&tok)
					b.WriteString(tok.String())
					continue
				}
			}
		}
		b.Write(z.Raw())
	}
}

// rawTagName returns the name of the tag whose source is raw ("<a href…>",
// "</h1>") if it is one of those decorate changes, and "" otherwise.
func rawTagName(raw []byte) string {
	i := 1
	if i < len(raw) && raw[i] == '/' {
		i++
	}
	j := i
	for j < len(raw) && (isASCIILetter(raw[j]) || j > i && '0' <= raw[j] && raw[j] <= '9') {
		j++
	}
	name := raw[i:j]
	for _, known := range [...]string{"a", "h1", "img"} {
		if bytes.EqualFold(name, []byte(known)) {
			return known
		}
	}
	return ""
}

// decorateImage sets the loading attributes of an img token and reports
// whether it is worth keeping (it has a src). An image images knows gets
// its intrinsic size (so the page does not jump as it loads) and the
// responsive variants.
func decorateImage(tok *xhtml.Token, images ImageResolver) bool {
	var info ImageInfo
	known := false
	if images != nil {
		for _, a := range tok.Attr {
			if a.Key == "src" {
				info, known = images(a.Val)
			}
		}
	}
	attrs, hasSrc := tok.Attr[:0], false
	for _, a := range tok.Attr {
		switch a.Key {
		case "loading", "decoding", "srcset", "sizes":
			continue
		case "width", "height":
			if known {
				continue
			}
		case "src":
			hasSrc = true
		}
		attrs = append(attrs, a)
	}
	if known {
		if info.Width > 0 && info.Height > 0 {
			attrs = append(attrs,
				xhtml.Attribute{Key: "width", Val: strconv.Itoa(info.Width)},
				xhtml.Attribute{Key: "height", Val: strconv.Itoa(info.Height)})
		}
		if info.Srcset != "" {
			attrs = append(attrs,
				xhtml.Attribute{Key: "srcset", Val: info.Srcset},
				xhtml.Attribute{Key: "sizes", Val: ArticleImageSizes})
		}
	}
	attrs = append(attrs,
		xhtml.Attribute{Key: "loading", Val: "lazy"},
		xhtml.Attribute{Key: "decoding", Val: "async"},
	)
	tok.Attr = attrs
	return hasSrc
}

// decorateLink sets rel="noopener" on links to other sites and removes any
// other rel.
func decorateLink(tok *xhtml.Token) {
	attrs, external := tok.Attr[:0], false
	for _, a := range tok.Attr {
		switch a.Key {
		case "rel":
			continue
		case "href":
			external = isAbsoluteHTTP(a.Val)
		}
		attrs = append(attrs, a)
	}
	if external {
		attrs = append(attrs, xhtml.Attribute{Key: "rel", Val: "noopener"})
	}
	tok.Attr = attrs
}

// isAbsoluteHTTP reports whether href is an http(s) URL with a host,
// including the scheme-relative "//host/…" form.
func isAbsoluteHTTP(href string) bool {
	h := strings.ToLower(strings.TrimSpace(href))
	return strings.HasPrefix(h, "http://") || strings.HasPrefix(h, "https://") || strings.HasPrefix(h, "//")
}
