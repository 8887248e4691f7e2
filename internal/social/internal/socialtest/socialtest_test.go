package socialtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosque/kiosque/internal/syndication"
)

// recorder is a testing.TB that notes failures instead of failing.
type recorder struct {
	testing.TB
	failed, fatal bool
}

func (r *recorder) Helper()                             {}
func (r *recorder) Errorf(string, ...any)               { r.failed = true }
func (r *recorder) Fatalf(string, ...any)               { r.failed, r.fatal = true, true }
func (r *recorder) Fatal(...any)                        { r.failed, r.fatal = true, true }
func (r *recorder) run(f func(tb testing.TB)) *recorder { f(r); return r }

func TestClassOf(t *testing.T) {
	refused := fmt.Errorf("publish: %w", &syndication.Error{Class: syndication.Auth, Message: "token tok-123 revoked"})
	t.Run("OK", func(t *testing.T) {
		var got syndication.Class
		r := (&recorder{TB: t}).run(func(tb testing.TB) { got = ClassOf(tb, refused, "other-secret") })
		if r.failed || got != syndication.Auth {
			t.Errorf("class %v, failed %v: want auth, no failure", got, r.failed)
		}
	})
	t.Run("ErrShowsASecret", func(t *testing.T) {
		r := (&recorder{TB: t}).run(func(tb testing.TB) { ClassOf(tb, refused, "tok-123") })
		if !r.failed || r.fatal {
			t.Errorf("failed %v, fatal %v: want a failure that lets the test go on", r.failed, r.fatal)
		}
	})
	t.Run("ErrNotClassified", func(t *testing.T) {
		if r := (&recorder{TB: t}).run(func(tb testing.TB) { _ = ErrOf(tb, errors.New("boom")) }); !r.fatal {
			t.Error("an unclassified error did not stop the test")
		}
	})
}

func TestGoldenJSON(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("testdata", 0o700); err != nil {
		t.Fatal(err)
	}
	t.Run("OKUpdate", func(t *testing.T) {
		r := (&recorder{TB: t}).run(func(tb testing.TB) { GoldenJSON(tb, "post.json", []byte(`{"a":1}`), true) })
		data, err := os.ReadFile(filepath.Join(dir, "testdata", "post.json"))
		if r.failed || err != nil || string(data) != "{\n  \"a\": 1\n}\n" {
			t.Errorf("wrote %q (%v), failed %v", data, err, r.failed)
		}
	})
	t.Run("OKSame", func(t *testing.T) {
		if r := (&recorder{TB: t}).run(func(tb testing.TB) { GoldenJSON(tb, "post.json", []byte(`{"a": 1}`), false) }); r.failed {
			t.Error("the same JSON differs")
		}
	})
	t.Run("ErrDiffers", func(t *testing.T) {
		if r := (&recorder{TB: t}).run(func(tb testing.TB) { GoldenJSON(tb, "post.json", []byte(`{"a":2}`), false) }); !r.failed {
			t.Error("another JSON passes")
		}
	})
}
