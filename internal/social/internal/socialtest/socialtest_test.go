package socialtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/syndication"
)

// recorder is a testing.TB that notes failures instead of failing; a
// fatal one stops the function run runs, as it would stop a test.
type recorder struct {
	testing.TB
	failed, fatal bool
}

// stopped is what a fatal failure panics with, for run to recover.
type stopped struct{}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed, r.fatal = true, true; panic(stopped{}) }
func (r *recorder) Fatal(...any)          { r.failed, r.fatal = true, true; panic(stopped{}) }

func (r *recorder) run(f func(tb testing.TB)) (same *recorder) {
	same = r
	defer func() {
		if v := recover(); v != nil && v != (stopped{}) {
			panic(v)
		}
	}()
	f(r)
	return same
}

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

func TestCheck(t *testing.T) {
	limited := fmt.Errorf("publish: %w", &syndication.Error{Class: syndication.RateLimited, Message: "publishing limit reached",
		RetryAfter: time.Hour})
	want := Want{Class: syndication.RateLimited, Message: "limit", RetryAfter: time.Hour}
	tests := []struct {
		name         string
		err          error
		want         Want
		secrets      []string
		failed, stop bool
	}{
		{name: "OK", err: limited, want: want, secrets: []string{"tok-123"}},
		{name: "OKAnyWait", err: limited, want: Want{Class: syndication.RateLimited}},
		{name: "ErrClass", err: limited, want: Want{Class: syndication.Transient, Message: "limit"}, failed: true},
		{name: "ErrMessage", err: limited, want: Want{Class: syndication.RateLimited, Message: "quota"}, failed: true},
		{name: "ErrRetryAfter", err: limited, want: Want{Class: syndication.RateLimited, RetryAfter: time.Minute}, failed: true},
		{name: "ErrShowsASecret", err: limited, want: want, secrets: []string{"publishing"}, failed: true},
		{name: "ErrNotClassified", err: errors.New("boom"), want: want, failed: true, stop: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := (&recorder{TB: t}).run(func(tb testing.TB) { Check(tb, tt.err, tt.want, tt.secrets...) })
			if r.failed != tt.failed || r.fatal != tt.stop {
				t.Errorf("failed %v, stopped %v: want %v, %v", r.failed, r.fatal, tt.failed, tt.stop)
			}
		})
	}
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
