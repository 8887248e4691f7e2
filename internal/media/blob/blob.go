// Package blob stores media files on local disk, under one root directory,
// with names chosen by the caller (for example "2026/11/3f2a…-640.jpg").
//
// Every operation goes through an os.Root, so even a symbolic link planted
// inside the directory cannot lead a name outside it; names are also checked
// up front, so a traversal attempt is refused with a clear error rather than
// a confusing one from the file system.
package blob

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrInvalidName means a name is empty, absolute, or contains "..", ".",
// an empty element, a backslash or a NUL byte, or has a last element
// containing ".tmp-", which is kept for Put's temporary files. It also
// matches fs.ErrInvalid.
var ErrInvalidName = fmt.Errorf("invalid blob name: %w", fs.ErrInvalid)

// File and directory modes: the group may read, so that a front web server
// run in the same group can serve the files directly.
const (
	fileMode = 0o640
	dirMode  = 0o750
)

// tmpMarker starts the suffix of temporary files, which no valid name can
// produce by accident since names are chosen by the application.
const tmpMarker = ".tmp-"

// Dir stores files under a root directory. It holds only the root's path, so
// one Dir may serve concurrent calls.
type Dir struct {
	root string
}

// NewDir returns a Dir storing files under root, creating it if needed.
func NewDir(root string) (*Dir, error) {
	if root == "" {
		return nil, errors.New("open blob dir: empty root")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open blob dir %q: %w", root, err)
	}
	if err := os.MkdirAll(abs, dirMode); err != nil {
		return nil, fmt.Errorf("open blob dir %q: %w", root, err)
	}
	return &Dir{root: abs}, nil
}

// Root returns the absolute path of the directory d stores files in.
func (d *Dir) Root() string { return d.root }

// Put stores data as name, creating its directories. It is atomic: data goes
// to a temporary file in the same directory, is synced, then renamed over
// name, so a reader sees either the old file or the whole new one, never
// half of it, even after a crash; concurrent Puts of one name leave one of
// the complete files. A bad name gives ErrInvalidName.
func (d *Dir) Put(ctx context.Context, name string, data []byte) (err error) {
	if err := checkName(name); err != nil {
		return fmt.Errorf("put %q: %w", name, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %q: %w", name, err)
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return fmt.Errorf("put %q: %w", name, err)
	}
	defer root.Close()

	dir := path.Dir(name)
	if err := root.MkdirAll(dir, dirMode); err != nil {
		return fmt.Errorf("put %q: create directory: %w", name, err)
	}
	tmp, f, err := createTemp(root, name)
	if err != nil {
		return fmt.Errorf("put %q: %w", name, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = root.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("put %q: write: %w", name, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("put %q: sync: %w", name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("put %q: close: %w", name, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put %q: %w", name, err)
	}
	if err := root.Rename(tmp, name); err != nil {
		return fmt.Errorf("put %q: rename: %w", name, err)
	}
	// The rename lives in the directory: sync it too, or a crash may
	// forget the new name.
	if err := syncDir(root, dir); err != nil {
		return fmt.Errorf("put %q: %w", name, err)
	}
	return nil
}

// Open opens the file stored as name for reading; the caller closes it. A
// missing file gives an error matching fs.ErrNotExist, a bad name
// ErrInvalidName.
func (d *Dir) Open(name string) (*os.File, error) {
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("open %q: %w", name, err)
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", name, err)
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		return nil, fmt.Errorf("open %q: %w", name, err)
	}
	return f, nil
}

// Delete removes the file stored as name; a missing file is not an error, so
// a retried delete succeeds. Emptied directories are left in place. A bad
// name gives ErrInvalidName.
func (d *Dir) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return fmt.Errorf("delete %q: %w", name, err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %q: %w", name, err)
	}
	root, err := os.OpenRoot(d.root)
	if err != nil {
		return fmt.Errorf("delete %q: %w", name, err)
	}
	defer root.Close()
	if err := root.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %q: %w", name, err)
	}
	return nil
}

// checkName refuses any name that could leave the root or that means
// something else on another system: it must be a slash-separated relative
// path of non-empty elements other than "." and "..", without backslashes
// or NUL bytes.
func checkName(name string) error {
	if !fs.ValidPath(name) || name == "." || strings.ContainsAny(name, "\\\x00") {
		return ErrInvalidName
	}
	if strings.Contains(path.Base(name), tmpMarker) {
		return ErrInvalidName
	}
	return nil
}

// createTemp creates a new, empty temporary file beside name, with a random
// suffix so that concurrent writers of one name never share a file.
func createTemp(root *os.Root, name string) (string, *os.File, error) {
	for range 10 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", nil, fmt.Errorf("create temporary file: %w", err)
		}
		tmp := name + tmpMarker + hex.EncodeToString(b[:])
		f, err := root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", nil, fmt.Errorf("create temporary file: %w", err)
		}
		return tmp, f, nil
	}
	return "", nil, errors.New("create temporary file: too many collisions")
}

// syncDir flushes the directory entry changes of dir to disk.
func syncDir(root *os.Root, dir string) error {
	f, err := root.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	return nil
}
