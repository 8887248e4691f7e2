package wpcontent

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzConvert checks that any content converts without panicking into one
// Markdown HTML block.
func FuzzConvert(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"[[", "[caption", "[caption]]", "[/caption]", "<pre>", "<pre>\n\n</pre>\n\n<pre>", "<!-- wp:", "<!-- wp:x {\"a\":\"}\"} /-->",
		"<!--", "<p>\n \n</p>", "http://", "\nhttps://x\n", "[gallery ids=\",,\"]", "<img src=\"\n\n\">", "<b><i>x</b></i>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, _ := Convert(s, fixtureOptions())
		if out == "" {
			return
		}
		if hasBlankLine(out) {
			t.Errorf("Convert(%q) holds a blank line:\n%s", s, out)
		}
		if !reBlockStart.MatchString(out) {
			t.Errorf("Convert(%q) starts with %.20q", s, out)
		}
	})
}
