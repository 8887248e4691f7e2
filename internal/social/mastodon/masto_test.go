package mastodon_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
)

// mastoVersion is the masto release the check installs: 8.0.0 needs
// Node 22, and the machines that run this have Node 20.
const mastoVersion = "7.1.0"

// TestMastoClient checks the fake against masto, the Mastodon client
// library published on npm, so that the fake answers what a client written
// against the real API expects (testdata/masto_check.cjs). It is optional:
// it needs node, and masto either already installed (KIOSQUE_MASTO_DIR, a
// directory holding node_modules/masto) or installed from the npm registry
// into a temporary directory (KIOSQUE_MASTO_INSTALL=1).
func TestMastoClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("skipping: node is not installed; the masto check needs it")
	}
	dir := os.Getenv("KIOSQUE_MASTO_DIR")
	switch {
	case dir != "":
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "masto")); err != nil {
			t.Skipf("skipping: KIOSQUE_MASTO_DIR=%s holds no node_modules/masto", dir)
		}
	case os.Getenv("KIOSQUE_MASTO_INSTALL") == "1":
		dir = installMasto(t)
	default:
		t.Skip("skipping: set KIOSQUE_MASTO_INSTALL=1 (installs masto@" + mastoVersion +
			" from the npm registry into a temporary directory) or KIOSQUE_MASTO_DIR to check the fake against the masto client")
	}

	s := mastodontest.NewServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("testdata", "masto_check.cjs"), s.URL, s.Token) //nolint:gosec // test input
	cmd.Env = append(os.Environ(), "MASTO_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("masto check: %v\n%s", err, out)
	}
	if strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("masto check printed %q, want ok", out)
	}

	// What masto sent, as the fake saw it.
	posts := s.Posts()
	if len(posts) != 1 || posts[0].Visibility != "unlisted" || posts[0].Language != "fr" ||
		posts[0].IdempotencyKey != "masto-1" || !posts[0].Deleted {
		t.Errorf("posts = %+v, want one deleted unlisted French status with key masto-1", posts)
	}
}

func installMasto(t *testing.T) string {
	t.Helper()
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("skipping: npm is not installed; it installs masto")
	}
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, npm, "install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund",
		"--ignore-scripts", "masto@"+mastoVersion) //nolint:gosec // fixed arguments
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("skipping: cannot install masto@%s from the npm registry: %v\n%s", mastoVersion, err, out)
	}
	return dir
}
