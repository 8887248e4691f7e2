package site

import (
	"bytes"
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
)

// Fragments repeated many times per page (cards, bylines, tag lists,
// related links) are written here rather than in templates, like the head
// (see head.go): html/template makes a reflective call per interpolated
// value, and a listing of ten cards had about a hundred of them. The
// markup is kept simple and every value goes through html.EscapeString.

// htmlWriter accumulates escaped HTML in its Builder or, when out is set,
// appends it to a page's buffer (a long discussion, written in place).
type htmlWriter struct {
	strings.Builder
	out     *bytes.Buffer
	scratch [64]byte
}

// num writes n.
func (w *htmlWriter) num(n int64) { w.bytes(strconv.AppendInt(w.scratch[:0], n, 10)) }

// bytes writes trusted markup held in b.
func (w *htmlWriter) bytes(b []byte) {
	if w.out != nil {
		w.out.Write(b)
		return
	}
	w.Write(b)
}

// msgTemplate is a translated message with its arguments left as markers
// (\x00 for the first, \x01 for the second), escaped: written many times
// per page, it costs no formatting.
type msgTemplate string

// markers are the arguments msgTemplate asks the catalogue to print.
var markers = []any{"\x00", "\x01"}

// newTemplate looks up key once, for messages of up to two %s arguments.
func newTemplate(p *locale.Printer, key string) msgTemplate {
	return msgTemplate(html.EscapeString(p.T(key, markers...)))
}

// write writes m with args, escaped, in place of its markers.
func (m msgTemplate) write(w *htmlWriter, args ...string) {
	s := string(m)
	for {
		i := strings.IndexAny(s, "\x00\x01")
		if i < 0 {
			w.write(s)
			return
		}
		w.write(s[:i])
		if n := int(s[i]); n < len(args) {
			w.text(args[n])
		}
		s = s[i+1:]
	}
}

// raw writes trusted markup.
func (w *htmlWriter) raw(parts ...string) {
	for _, p := range parts {
		w.write(p)
	}
}

func (w *htmlWriter) write(s string) {
	if w.out != nil {
		w.out.WriteString(s)
		return
	}
	w.WriteString(s)
}

// text writes s escaped, for element content and quoted attribute values.
func (w *htmlWriter) text(s string) { w.write(html.EscapeString(s)) }

func (w *htmlWriter) html() template.HTML { return template.HTML(w.String()) } //nolint:gosec // built from escaped parts

// bylineHTML is "Par Claire Morel · dimanche 11 décembre 2016".
func bylineHTML(w *htmlWriter, a *articleView, byPrefix string) {
	w.raw(`<p class="byline">`)
	if len(a.Authors) > 0 {
		w.raw(`<span class="authors">`)
		w.text(byPrefix)
		w.raw(" ")
		for i, au := range a.Authors {
			if i > 0 {
				w.raw(", ")
			}
			w.raw(`<a href="/author/`)
			w.text(au.Slug)
			w.raw(`/" rel="author">`)
			w.text(au.Name)
			w.raw(`</a>`)
		}
		w.raw(`</span> · `)
	}
	w.raw(`<time datetime="`, a.ISO, `">`)
	w.text(a.DateFull)
	w.raw("</time></p>")
}

// cardHTML is an article in a listing.
func cardHTML(w *htmlWriter, a *articleView, byPrefix string) {
	w.raw(`<article class="card`)
	if a.Featured {
		w.raw(` featured`)
	}
	w.raw("\">\n")
	if a.Kicker != nil {
		w.raw(`<p class="kicker"><a href="/category/`)
		w.text(a.Kicker.Slug)
		w.raw(`/">`)
		w.text(a.Kicker.Name)
		w.raw("</a></p>\n")
	}
	w.raw(`<h3 class="card-title"><a href="`)
	w.text(a.URL)
	w.raw(`">`)
	w.text(a.Title)
	w.raw("</a></h3>\n")
	if a.Excerpt != "" {
		w.raw(`<p class="excerpt">`)
		w.text(a.Excerpt)
		w.raw("</p>\n")
	}
	bylineHTML(w, a, byPrefix)
	w.raw("\n</article>\n")
}

// cardsHTML is a grid of cards.
func cardsHTML(arts []*articleView, p *locale.Printer) template.HTML {
	if len(arts) == 0 {
		return ""
	}
	var w htmlWriter
	w.Grow(700 * len(arts))
	by := p.T("article.by_prefix")
	for _, a := range arts {
		cardHTML(&w, a, by)
	}
	return w.html()
}

// articleFragments fills the byline, tags and related links of an
// article page.
func (v *pageView) articleFragments(p *locale.Printer) {
	a := v.Article
	var w htmlWriter
	bylineHTML(&w, a, p.T("article.by_prefix"))
	v.Byline = w.html()

	if len(a.Tags) > 0 {
		var t htmlWriter
		for _, tag := range a.Tags {
			t.raw(`<a href="/tag/`)
			t.text(tag.Slug)
			t.raw(`/" rel="tag">`)
			t.text(tag.Name)
			t.raw("</a> ")
		}
		v.TagLinks = t.html()
	}
	if len(v.Related) > 0 {
		var r htmlWriter
		for _, rel := range v.Related {
			r.raw(`<li><a href="`)
			r.text(rel.URL)
			r.raw(`">`)
			r.text(rel.Title)
			r.raw(`</a> <time datetime="`, rel.ISO, `">`)
			r.text(rel.DateLong)
			r.raw("</time></li>\n")
		}
		v.RelatedLinks = r.html()
	}
}
