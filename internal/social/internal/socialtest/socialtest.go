// Package socialtest holds the helpers the social clients' tests share:
// the check that a failure is a classified *syndication.Error showing no
// secret, with the class, words and wait a test expects, and the comparison of a request body with its golden file.
package socialtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/syndication"
)

// ErrOf returns err as a *syndication.Error, and stops the test when it
// is not one: every failure of a client must be classified.
func ErrOf(tb testing.TB, err error) *syndication.Error {
	tb.Helper()
	var e *syndication.Error
	if !errors.As(err, &e) {
		tb.Fatalf("err = %v (%T), want a *syndication.Error", err, err)
	}
	return e
}

// ClassOf returns err's class as ErrOf does, and fails the test when the
// error's text shows one of secrets (a token, a refresh token, a client
// secret), since errors reach the logs and the delivery log.
func ClassOf(tb testing.TB, err error, secrets ...string) syndication.Class {
	tb.Helper()
	e := ErrOf(tb, err)
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			tb.Errorf("error %q shows a secret", err)
		}
	}
	return e.Class
}

// Want is what a test expects of a failure.
type Want struct {
	Class syndication.Class
	// Message is words the error's message must contain ("" for any).
	Message string
	// RetryAfter is the wait it must ask for (0 for any).
	RetryAfter time.Duration
}

// Check fails the test unless err is a *syndication.Error of want's
// class, message and wait that shows none of secrets; it stops the test
// when err is not classified at all.
func Check(tb testing.TB, err error, want Want, secrets ...string) {
	tb.Helper()
	e := ErrOf(tb, err)
	if e.Class != want.Class || !strings.Contains(e.Message, want.Message) {
		tb.Errorf("err = %v (%s), want %s with %q", err, e.Class, want.Class, want.Message)
	}
	if want.RetryAfter != 0 && e.RetryAfter != want.RetryAfter {
		tb.Errorf("RetryAfter %v, want %v", e.RetryAfter, want.RetryAfter)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(err.Error(), s) {
			tb.Errorf("error %q shows a secret", err)
		}
	}
}

// GoldenJSON compares got, indented, with testdata/name; update (the
// test's -update flag) rewrites the file first.
func GoldenJSON(tb testing.TB, name string, got []byte, update bool) {
	tb.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, got, "", "  "); err != nil {
		tb.Fatal(err)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", name)
	if update {
		if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		tb.Errorf("%s (-want +got):\n%s", path, diff)
	}
}
