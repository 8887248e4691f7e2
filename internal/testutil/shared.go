// Package testutil holds helpers shared by the test suites of several packages.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedDir returns the path of the team's shared test data directory
// (../shared/testdata next to the repository), or skips the test with a clear
// message when it is absent, as on a user's machine. KIOSQUE_SHARED_TESTDATA
// overrides the location.
func SharedDir(tb testing.TB) string {
	tb.Helper()
	if dir := os.Getenv("KIOSQUE_SHARED_TESTDATA"); dir != "" {
		return dir
	}
	root, err := RepoRoot()
	if err == nil {
		dir := filepath.Join(root, "..", "shared", "testdata")
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return dir
		}
	}
	tb.Skip("skipping: shared test data (../shared/testdata) is not present on this machine; set KIOSQUE_SHARED_TESTDATA to run it")
	return ""
}

// RepoRoot returns the directory holding go.mod, found by walking up from the
// working directory (a package directory when run by go test).
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
