package blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// mustNewDir returns a Dir over a fresh temporary directory.
func mustNewDir(tb testing.TB) *Dir {
	tb.Helper()
	d, err := NewDir(filepath.Join(tb.TempDir(), "media"))
	if err != nil {
		tb.Fatalf("NewDir: %v", err)
	}
	return d
}

// readAll returns the content stored as name.
func readAll(tb testing.TB, d *Dir, name string) []byte {
	tb.Helper()
	f, err := d.Open(name)
	if err != nil {
		tb.Fatalf("Open(%q): %v", name, err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		tb.Fatalf("read %q: %v", name, err)
	}
	return b
}

// files lists every regular file under d's root, slash-separated.
func files(tb testing.TB, d *Dir) []string {
	tb.Helper()
	var names []string
	err := fs.WalkDir(os.DirFS(d.Root()), ".", func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return names
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		puts []string // written in order, each with its own content
	}{
		{name: "OKTopLevel", puts: []string{"logo.png"}},
		{name: "OKSubdirectories", puts: []string{"2026/11/3f2a9c-640.jpg"}},
		{name: "OKOverwrite", puts: []string{"2026/11/a.jpg", "2026/11/a.jpg"}},
		{name: "OKDotsInName", puts: []string{"2026/11/a..b.jpg"}},
		{name: "OKUnicode", puts: []string{"2026/été/photo.jpg"}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustNewDir(t)
			var want []byte
			for i, name := range tt.puts {
				want = []byte(fmt.Sprintf("content %d of %s", i, name))
				if err := d.Put(ctx, name, want); err != nil {
					t.Fatalf("Put(%q): %v", name, err)
				}
			}
			name := tt.puts[len(tt.puts)-1]
			if diff := cmp.Diff(want, readAll(t, d, name)); diff != "" {
				t.Errorf("content (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{name}, files(t, d)); diff != "" {
				t.Errorf("files on disk (-want +got):\n%s", diff)
			}
			if err := d.Delete(ctx, name); err != nil {
				t.Fatalf("Delete(%q): %v", name, err)
			}
			if _, err := d.Open(name); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("Open after Delete error = %v, want fs.ErrNotExist", err)
			}
			if err := d.Delete(ctx, name); err != nil {
				t.Errorf("second Delete(%q) = %v, want nil", name, err)
			}
		})
	}
}

func TestOpenMissing(t *testing.T) {
	d := mustNewDir(t)
	for _, name := range []string{"absent.jpg", "no/such/dir.jpg"} {
		if _, err := d.Open(name); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) error = %v, want fs.ErrNotExist", name, err)
		}
	}
}

func TestInvalidNames(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "ErrParent", in: "../x"},
		{name: "ErrAbsolute", in: "/etc/passwd"},
		{name: "ErrParentInside", in: "a/../../b"},
		{name: "ErrParentLast", in: "a/.."},
		{name: "ErrBackslash", in: `a\b`},
		{name: "ErrBackslashTraversal", in: `..\..\x`},
		{name: "ErrEmpty", in: ""},
		{name: "ErrDot", in: "."},
		{name: "ErrDotElement", in: "a/./b"},
		{name: "ErrEmptyElement", in: "a//b"},
		{name: "ErrTrailingSlash", in: "a/"},
		{name: "ErrNUL", in: "a\x00.jpg"},
		{name: "ErrTemporaryName", in: "a.jpg.tmp-0123456789abcdef"},
	}
	ctx := context.Background()
	d := mustNewDir(t)
	outside := filepath.Join(filepath.Dir(d.Root()), "x")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops := map[string]error{
				"Put":    d.Put(ctx, tt.in, []byte("pwned")),
				"Delete": d.Delete(ctx, tt.in),
			}
			_, ops["Open"] = d.Open(tt.in)
			for op, err := range ops {
				if !errors.Is(err, ErrInvalidName) {
					t.Errorf("%s(%q) error = %v, want ErrInvalidName", op, tt.in, err)
				}
				if !errors.Is(err, fs.ErrInvalid) {
					t.Errorf("%s(%q) error = %v, want fs.ErrInvalid", op, tt.in, err)
				}
			}
			if _, err := os.Stat(outside); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a file was written outside the root: %v", err)
			}
			if got := files(t, d); len(got) != 0 {
				t.Errorf("files on disk = %q, want none", got)
			}
		})
	}
}

// TestSymlinkEscape checks that a link planted inside the root cannot lead a
// valid name outside it.
func TestSymlinkEscape(t *testing.T) {
	d := mustNewDir(t)
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(d.Root(), "link")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := d.Put(context.Background(), "link/x.jpg", []byte("pwned")); err == nil {
		t.Error("Put through a symlink out of the root succeeded, want an error")
	}
	entries, err := os.ReadDir(outside)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("files written outside the root: %v", entries)
	}
}

// TestConcurrentPut writes one name from many goroutines while others read
// it: every read and the final file must be one writer's complete content.
func TestConcurrentPut(t *testing.T) {
	const (
		writers = 8
		size    = 256 << 10
		name    = "2026/11/same.jpg"
	)
	d := mustNewDir(t)
	ctx := context.Background()
	contents := make(map[string]bool, writers)
	payloads := make([][]byte, writers)
	for i := range payloads {
		payloads[i] = bytes.Repeat([]byte{byte('a' + i)}, size)
		contents[string(payloads[i])] = true
	}

	var wg sync.WaitGroup
	errs := make(chan error, 2*writers)
	for i := range writers {
		wg.Go(func() {
			for range 5 {
				if err := d.Put(ctx, name, payloads[i]); err != nil {
					errs <- err
					return
				}
			}
		})
		wg.Go(func() {
			for range 5 {
				f, err := d.Open(name)
				if errors.Is(err, fs.ErrNotExist) {
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				b, err := io.ReadAll(f)
				_ = f.Close()
				if err != nil {
					errs <- err
					return
				}
				if !contents[string(b)] {
					errs <- fmt.Errorf("read a mixed or partial file of %d bytes", len(b))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := readAll(t, d, name); !contents[string(got)] {
		t.Errorf("final file of %d bytes is no writer's complete content", len(got))
	}
	if diff := cmp.Diff([]string{name}, files(t, d)); diff != "" {
		t.Errorf("files on disk, temporary files left (-want +got):\n%s", diff)
	}
}

func TestContextCanceled(t *testing.T) {
	d := mustNewDir(t)
	if err := d.Put(context.Background(), "kept.jpg", []byte("x")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		op   func() error
	}{
		{name: "ErrPut", op: func() error { return d.Put(ctx, "new.jpg", []byte("x")) }},
		{name: "ErrDelete", op: func() error { return d.Delete(ctx, "kept.jpg") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.op(); !errors.Is(err, context.Canceled) {
				t.Errorf("error = %v, want context.Canceled", err)
			}
		})
	}
	if diff := cmp.Diff([]string{"kept.jpg"}, files(t, d)); diff != "" {
		t.Errorf("files on disk (-want +got):\n%s", diff)
	}
}

func TestNewDir(t *testing.T) {
	base := t.TempDir()
	plainFile := filepath.Join(base, "file")
	if err := os.WriteFile(plainFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		root    string
		wantErr bool
	}{
		{name: "OKCreated", root: filepath.Join(base, "a", "b")},
		{name: "OKExisting", root: base},
		{name: "ErrEmpty", root: "", wantErr: true},
		{name: "ErrFile", root: plainFile, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := NewDir(tt.root)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("NewDir(%q) = %v, want an error", tt.root, d.Root())
				}
				return
			}
			if err != nil {
				t.Fatalf("NewDir(%q): %v", tt.root, err)
			}
			if fi, err := os.Stat(d.Root()); err != nil || !fi.IsDir() {
				t.Errorf("root %q is not a directory: %v", d.Root(), err)
			}
		})
	}
}
