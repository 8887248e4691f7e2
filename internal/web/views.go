// Package web holds what every HTTP surface of kiosque shares: the
// template engine, static assets with checksum URLs, middleware, the page
// cache front and response helpers. The surfaces themselves (web/site,
// web/api) build on it; package app mounts them.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"regexp"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageTemplates are the pages the engine knows; each is parsed with the
// shared layout and partials, and all are checked at boot.
var pageTemplates = []string{"home", "article", "list", "archives", "about", "error"}

// Views renders pages from the embedded templates, one compiled set per
// language. It is safe for concurrent use.
type Views struct {
	assets *Assets
	sets   map[locale.Lang]map[string]*template.Template
}

// constMessage matches a translation without arguments, {{t "nav.home"}}.
var constMessage = regexp.MustCompile(`\{\{t "([a-z0-9_.]+)"\}\}`)

// NewViews compiles every page template in every language, and fails if
// one does not parse or uses an unknown message, so a broken template stops
// the program at boot rather than a reader's page.
func NewViews(catalog *locale.Catalog, assets *Assets) (*Views, error) {
	v := &Views{assets: assets, sets: map[locale.Lang]map[string]*template.Template{}}
	shared, err := fs.Glob(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	for _, l := range locale.Langs() {
		p := catalog.Printer(l)
		set := map[string]*template.Template{}
		for _, name := range pageTemplates {
			funcs := template.FuncMap{"t": p.T, "n": p.N}
			t := template.New(name + ".html").Funcs(funcs)
			for _, file := range append([]string{"templates/" + name + ".html"}, shared...) {
				src, err := templateFS.ReadFile(file)
				if err != nil {
					return nil, err
				}
				src, err = translateConstants(src, p)
				if err != nil {
					return nil, fmt.Errorf("template %s: %w", file, err)
				}
				target := t
				if base := strings.TrimPrefix(file, "templates/"); base != name+".html" {
					target = t.New(base).Funcs(funcs)
				}
				if _, err := target.Parse(string(src)); err != nil {
					return nil, fmt.Errorf("parse template %s: %w", file, err)
				}
			}
			set[name] = t
		}
		v.sets[l] = set
	}
	return v, nil
}

// translateConstants replaces each {{t "key"}} without arguments by its
// escaped translation, once at boot: a page has dozens of them, and a
// template function call costs a reflective call at every render.
func translateConstants(src []byte, p *locale.Printer) ([]byte, error) {
	var missing []string
	out := constMessage.ReplaceAllFunc(src, func(m []byte) []byte {
		key := string(constMessage.FindSubmatch(m)[1])
		if !p.Has(key) {
			missing = append(missing, key)
			return m
		}
		msg := p.T(key)
		if strings.Contains(msg, "%") {
			return m
		}
		return []byte(html.EscapeString(msg))
	})
	if len(missing) > 0 {
		return nil, fmt.Errorf("unknown messages %s", strings.Join(missing, ", "))
	}
	return out, nil
}

// Render executes page name with data into buf, in language l. Rendering
// into a buffer means a failed render never sends half a page.
func (v *Views) Render(buf *bytes.Buffer, l locale.Lang, name string, data any) error {
	set, ok := v.sets[l]
	if !ok {
		set = v.sets[locale.French]
	}
	t, ok := set[name]
	if !ok {
		return fmt.Errorf("render: no template %q", name)
	}
	if err := t.ExecuteTemplate(buf, name+".html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// AssetURL returns the fingerprinted URL of a static file.
func (v *Views) AssetURL(name string) string { return v.assets.URL(name) }
