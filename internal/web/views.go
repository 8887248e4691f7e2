// Package web holds what every HTTP surface of kiosque shares: the
// template engine, static assets with checksum URLs, middleware, the page
// cache front and response helpers. The surfaces themselves (web/site,
// web/api) build on it; package app mounts them.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/textproc"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates are the pages the engine knows; each is parsed with the
// shared layout and partials, and all are checked at boot.
var pageTemplates = []string{"home", "article", "list", "archives", "about", "error"}

// Locale selects the language and typography a page is rendered in.
type Locale struct {
	Lang  locale.Lang
	Style textproc.Style
}

// Views renders pages from the embedded templates. Template sets are built
// once per locale and reused; Views is safe for concurrent use.
type Views struct {
	catalog *locale.Catalog
	assets  *Assets
	base    map[string]*template.Template
	sets    sync.Map // Locale → map[string]*template.Template
}

// NewViews parses every page template and fails if one does not parse, so
// a broken template stops the program at boot rather than a reader's page.
func NewViews(catalog *locale.Catalog, assets *Assets) (*Views, error) {
	v := &Views{catalog: catalog, assets: assets, base: map[string]*template.Template{}}
	shared, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range pageTemplates {
		files := append([]string{"templates/" + name + ".html"}, shared...)
		t, err := template.New(name+".html").Funcs(v.funcs(Locale{Lang: locale.French})).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		v.base[name] = t
	}
	// Build the default locales now, so that errors show at boot.
	for _, l := range locale.Langs() {
		if _, err := v.set(Locale{Lang: l, Style: textproc.StyleNone}); err != nil {
			return nil, err
		}
	}
	return v, nil
}

func (v *Views) set(l Locale) (map[string]*template.Template, error) {
	if s, ok := v.sets.Load(l); ok {
		return s.(map[string]*template.Template), nil
	}
	s := make(map[string]*template.Template, len(v.base))
	for name, t := range v.base {
		c, err := t.Clone()
		if err != nil {
			return nil, fmt.Errorf("clone template %s: %w", name, err)
		}
		s[name] = c.Funcs(v.funcs(l))
	}
	actual, _ := v.sets.LoadOrStore(l, s)
	return actual.(map[string]*template.Template), nil
}

// Render executes page name with data into buf, in locale l. Rendering into
// a buffer means a failed render never sends half a page.
func (v *Views) Render(buf *bytes.Buffer, l Locale, name string, data any) error {
	s, err := v.set(l)
	if err != nil {
		return err
	}
	t, ok := s[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	if err := t.ExecuteTemplate(buf, name+".html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// funcs are the template functions, bound to a locale so templates stay
// short: {{t "nav.home"}}, {{date .PublishedAt "full"}}.
func (v *Views) funcs(l Locale) template.FuncMap {
	p := v.catalog.Printer(l.Lang)
	return template.FuncMap{
		"t": p.T,
		"n": p.N,
		"date": func(t time.Time, style string) string {
			switch style {
			case "full":
				return p.Date(t, locale.DateFull)
			case "short":
				return p.Date(t, locale.DateShort)
			case "month":
				return p.Date(t, locale.MonthYear)
			}
			return p.Date(t, locale.DateLong)
		},
		"time":       p.Time,
		"number":     func(n int) string { return p.Number(int64(n)) },
		"month":      p.MonthName,
		"capitalize": locale.Capitalize,
		"typo":       func(s string) string { return textproc.Typography(s, l.Style) },
		"iso":        func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"asset":      v.assets.URL,
		"safe":       func(s string) template.HTML { return template.HTML(s) }, //nolint:gosec // only for HTML sanitized at save time
		"add":        func(a, b int) int { return a + b },
		"join":       strings.Join,
	}
}
