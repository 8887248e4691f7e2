package wpcontent

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/wxr"
	"github.com/kiosque/kiosque/internal/wxr/wxrtest"
)

// sharedExports is where the real WordPress exports are kept, beside the
// repository.
const sharedExports = "../../../shared/testdata/wxr"

// reHandledMarkup matches the markup of the shortcodes Convert handles,
// which is meant to disappear.
var reHandledMarkup = regexp.MustCompile(`\[/?(?:caption|wp_caption|gallery|embed|audio|video)\b[^\]]*\]`)

// exportItems returns the items with content of the WXR file at path.
func exportItems(t *testing.T, path string) []*wxr.Item {
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
	var items []*wxr.Item
	for {
		it, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var ie *wxr.ItemError
		if errors.As(err, &ie) {
			continue
		}
		if err != nil {
			break
		}
		if it.Content != "" {
			items = append(items, it)
		}
	}
	return items
}

// TestRealExports converts every post of the real exports: none panics,
// every word of a post (shortcode markup apart) is still there in order,
// both after Convert and after textproc renders it, and the output is one
// Markdown HTML block.
func TestRealExports(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(sharedExports, "*", "*.xml"))
	if len(paths) == 0 {
		t.Skipf("no exports in %s: the shared test data is absent", sharedExports)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			for _, it := range exportItems(t, path) {
				converted, _ := Convert(it.Content, Options{})
				in := words(reHandledMarkup.ReplaceAllString(it.Content, " "))
				if w := missingWord(in, words(converted)); w != "" {
					t.Errorf("item %d %q: word %q lost by Convert:\n%s", it.PostID, it.Title, w, converted)
					continue
				}
				if converted != "" && (hasBlankLine(converted) || !reBlockStart.MatchString(converted)) {
					t.Errorf("item %d %q: not one HTML block:\n%s", it.PostID, it.Title, converted)
				}
				if w := missingWord(words(converted), words(render(t, converted))); w != "" {
					t.Errorf("item %d %q: word %q lost by the renderer", it.PostID, it.Title, w)
				}
			}
		})
	}
}

// TestThemeUnitTestData checks known posts of WordPress's theme unit test
// data.
func TestThemeUnitTestData(t *testing.T) {
	path := filepath.Join(sharedExports, "theme-test-data", "themeunittestdata.wordpress.xml")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s is absent: %v", path, err)
	}
	byTitle := make(map[string]*wxr.Item)
	for _, it := range exportItems(t, path) {
		byTitle[it.Title] = it
	}
	tests := []struct {
		title string
		check func(t *testing.T, html string, rep Report)
	}{
		{"Template: More Tag", func(t *testing.T, _ string, rep Report) {
			if !rep.MoreTag {
				t.Error("no more tag reported")
			}
		}},
		{"Template: Paginated", func(t *testing.T, _ string, rep Report) {
			if rep.PageBreaks == 0 {
				t.Error("no page break reported")
			}
		}},
		{"Post Format: Gallery", func(t *testing.T, _ string, rep Report) {
			if len(rep.UnresolvedGalleryIDs) == 0 && len(rep.Warnings) == 0 {
				t.Error("gallery neither unresolved nor warned about")
			}
		}},
		{"Markup: Image Alignment", func(t *testing.T, html string, _ Report) {
			if n := strings.Count(html, "<figcaption>"); n < 3 {
				t.Errorf("%d captions, want at least 3:\n%s", n, html)
			}
		}},
		{"Block: Image", func(t *testing.T, html string, rep Report) {
			if !rep.BlockEditor || !strings.Contains(html, "<figure") || strings.Contains(html, "wp:image") {
				t.Errorf("block editor %v:\n%s", rep.BlockEditor, html)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			it, ok := byTitle[tt.title]
			if !ok {
				t.Fatalf("no post %q", tt.title)
			}
			html, rep := Convert(it.Content, Options{})
			tt.check(t, html, rep)
		})
	}
}

// BenchmarkConvert converts the content of 10,000 generated posts (classic
// and block editor), what one import of a large site does.
func BenchmarkConvert(b *testing.B) {
	var buf bytes.Buffer
	if err := wxrtest.Generate(&buf, wxrtest.Options{Posts: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	r, err := wxr.NewReader(&buf)
	if err != nil {
		b.Fatal(err)
	}
	var contents []string
	for it, err := range r.All() {
		if err != nil {
			b.Fatal(err)
		}
		contents = append(contents, it.Content)
	}
	opts := Options{
		Attachments: func(id int64) (Attachment, bool) {
			return Attachment{URL: "/media/x.jpg", Alt: "x"}, true
		},
		RewriteURL:  func(u string) (string, bool) { return u, strings.Contains(u, "/wp-content/uploads/") },
		UploadsBase: wxrtest.Site + "/wp-content/uploads/",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, c := range contents {
			Convert(c, opts)
		}
	}
	b.ReportMetric(float64(len(contents)), "posts/op")
}
