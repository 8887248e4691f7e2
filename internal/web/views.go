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
	"time"

	"github.com/kiosque/kiosque/internal/locale"
)

//go:embed templates/*.html templates/admin/*.html
var templateFS embed.FS

// templateGroups are the directories of pages: each page is parsed with the
// shared files (named _*.html) of its directory, and all are checked at
// boot. Admin pages are named "admin/…".
var templateGroups = []string{"templates", "templates/admin"}

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
	type page struct{ name, file string }
	var pages []page
	sharedOf := map[string][]string{}
	for _, dir := range templateGroups {
		shared, err := fs.Glob(templateFS, dir+"/_*.html")
		if err != nil {
			return nil, err
		}
		files, err := fs.Glob(templateFS, dir+"/*.html")
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			base := strings.TrimSuffix(strings.TrimPrefix(f, dir+"/"), ".html")
			if strings.HasPrefix(base, "_") {
				continue
			}
			name := strings.TrimPrefix(strings.TrimPrefix(dir, "templates"), "/")
			if name != "" {
				name += "/"
			}
			pages = append(pages, page{name: name + base, file: f})
			sharedOf[name+base] = shared
		}
	}
	for _, l := range locale.Langs() {
		p := catalog.Printer(l)
		set := map[string]*template.Template{}
		for _, pg := range pages {
			name := pg.name
			funcs := v.funcs(p)
			t := template.New(pageFile(name)).Funcs(funcs)
			for _, file := range append([]string{pg.file}, sharedOf[name]...) {
				src, err := templateFS.ReadFile(file)
				if err != nil {
					return nil, err
				}
				src, err = translateConstants(src, p)
				if err != nil {
					return nil, fmt.Errorf("template %s: %w", file, err)
				}
				target := t
				if file != pg.file {
					target = t.New(strings.TrimPrefix(file, "templates/")).Funcs(funcs)
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
	if err := t.ExecuteTemplate(buf, pageFile(name), data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return nil
}

// pageFile is the name of a page's own template: its file name.
func pageFile(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return name + ".html"
}

// funcs are the template functions: translations, and small helpers the
// back office's forms need. Public pages use few (see web/site/head.go).
func (v *Views) funcs(p *locale.Printer) template.FuncMap {
	return template.FuncMap{
		"t":     p.T,
		"n":     p.N,
		"asset": v.assets.URL,
		"date": func(t time.Time, style string) string {
			if t.IsZero() {
				return ""
			}
			switch style {
			case "full":
				return p.Date(t, locale.DateFull)
			case "short":
				return p.Date(t, locale.DateShort)
			}
			return p.Date(t, locale.DateLong)
		},
		"clock": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return p.Time(t)
		},
		"number": func(n any) (string, error) {
			switch n := n.(type) {
			case int:
				return p.Number(int64(n)), nil
			case int64:
				return p.Number(n), nil
			}
			return "", fmt.Errorf("number: %T is not an integer", n)
		},
		"eq64": func(a, b int64) bool { return a == b },
		// list makes a slice of strings, for a range over fixed choices.
		"list": func(items ...string) []string { return items },
		"has": func(list []int64, id int64) bool {
			for _, x := range list {
				if x == id {
					return true
				}
			}
			return false
		},
	}
}

// AssetURL returns the fingerprinted URL of a static file.
func (v *Views) AssetURL(name string) string { return v.assets.URL(name) }
