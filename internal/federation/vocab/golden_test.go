package vocab_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenPath is where the golden file of a document lives.
func goldenPath(name string) string {
	return filepath.Join("testdata", "golden", name+".json")
}

// readGolden returns a golden file decoded as generic JSON.
func readGolden(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(goldenPath(name))
	if err != nil {
		t.Fatalf("read golden (go test -update writes it): %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("golden %s: %v", name, err)
	}
	return m
}

// TestGolden compares every emitted document, indented, with its golden
// file in testdata/golden (go test -update rewrites them), and checks that
// the compact form served is the same document.
func TestGolden(t *testing.T) {
	docs := emitted(t)
	names := make([]string, 0, len(docs))
	for name := range docs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			got, err := vocab.MarshalIndent(docs[name])
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := goldenPath(name)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("read golden (go test -update writes it): %v", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from its golden file (go test -update rewrites it):\n got: %s\nwant: %s", name, got, want)
			}
			served, err := vocab.Marshal(docs[name])
			if err != nil {
				t.Fatal(err)
			}
			var compact bytes.Buffer
			if err := json.Compact(&compact, want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(served, compact.Bytes()) {
				t.Errorf("served form differs from the golden file compacted:\n got: %s\nwant: %s", served, compact.Bytes())
			}
		})
	}
}

// TestGoldenFilesAllUsed fails on a golden file no document writes any
// more, so that a renamed document does not leave a stale one behind.
func TestGoldenFilesAllUsed(t *testing.T) {
	docs := emitted(t)
	paths, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if _, ok := docs[strings.TrimSuffix(filepath.Base(p), ".json")]; !ok {
			t.Errorf("%s is written by no test: delete it", p)
		}
	}
}

// TestFrenchText checks that accents, guillemets, non-breaking spaces and
// the typographic apostrophe go out as UTF-8, and that HTML is not escaped
// to \u003c.
func TestFrenchText(t *testing.T) {
	b, err := vocab.Marshal(emitted(t)["note"])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"l’écologie", "«\u00a0à l’épreuve\u00a0»", "<p><strong>Municipales\u00a0:", "#<span>ÉlectionsMunicipales</span>"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("served note lacks %q:\n%s", want, b)
		}
	}
	if bytes.Contains(b, []byte(`\u003c`)) || bytes.Contains(b, []byte(`\u00e9`)) {
		t.Errorf("served note escapes HTML or accents:\n%s", b)
	}
}
