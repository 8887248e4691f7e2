package web

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/kiosque/kiosque/internal/locale"
)

// TestTemplatesUseKnownMessages checks every message key the templates
// name, including those with arguments that are translated at render time.
func TestTemplatesUseKnownMessages(t *testing.T) {
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	use := regexp.MustCompile(`[{(]-?\s*(?:t|n) "([a-z0-9_.]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	admin, aerr := fs.Glob(templateFS, "templates/admin/*.html")
	if err != nil || aerr != nil || len(files) == 0 || len(admin) == 0 {
		t.Fatalf("templates: %v %v", err, aerr)
	}
	files = append(files, admin...)
	for _, f := range files {
		src, _ := templateFS.ReadFile(f)
		for _, m := range use.FindAllSubmatch(src, -1) {
			for _, l := range locale.Langs() {
				if !cat.Printer(l).Has(string(m[1])) {
					t.Errorf("%s uses %q, missing in %s", f, m[1], l)
				}
			}
		}
	}
	assets, err := NewAssets()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewViews(cat, assets); err != nil {
		t.Fatal(err)
	}
}
