// Package stripemock runs Stripe's stripe-mock on loopback for tests, so
// the requests the SDK sends are validated against Stripe's real OpenAPI
// schema rather than against what the test's author believes it to be.
//
// stripe-mock is stateless (a created object is not found again), sends no
// webhooks and always succeeds: it checks request shapes only. Events are
// tested with signed payloads instead.
//
// Install it with `go install github.com/stripe/stripe-mock@v0.203.0`
// (.ci/run does). That version embeds API 2026-08-26.dahlia, newer than
// the SDK's pinned 2025-08-27.basil, so it runs without
// -strict-version-check, which would refuse every request: the parameters
// kiosque sends are checked against the newer schema, which has kept them
// all, and no event kiosque parses comes from stripe-mock (event tests use
// kiosque's own basil-versioned fixtures, signed in the test).
package stripemock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version is the stripe-mock release the tests are written against.
const Version = "v0.203.0"

// SecretKey is a test key stripe-mock accepts: it checks that one is sent,
// not which.
const SecretKey = "sk_test_kiosque" //nolint:gosec // G101: a made-up test key, valid only for stripe-mock

// Start runs a stripe-mock of its own for the calling test on a free
// loopback port, stops it at cleanup, and returns its base URL
// ("http://127.0.0.1:PORT"). Without the binary the test is skipped with a
// message, except under CI=true, where it fails.
func Start(tb testing.TB) string {
	tb.Helper()
	bin, err := binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("stripe-mock is required on CI: %v", err)
		}
		tb.Skipf("skipping: %v (install it with go install github.com/stripe/stripe-mock@%s)", err, Version)
	}

	// -http-addr with port 0 lets the kernel pick the port, which
	// stripe-mock then prints, so no other process can take it between a
	// probe and the start. -https-addr is given too because -http-addr
	// alone does not turn HTTPS off (v0.203.0 only does so for -http,
	// -http-port and -http-unix): it would bind [::]:12112 on every
	// interface, and a second stripe-mock, from a test package running in
	// parallel, would exit on the busy port.
	cmd := exec.Command(bin, "-http-addr", "127.0.0.1:0", "-https-addr", "127.0.0.1:0") //nolint:gosec // G204: the stripe-mock binary found on PATH or in GOPATH/bin
	out := &addrWatcher{found: make(chan string, 1)}
	cmd.Stdout = out
	cmd.Stderr = out
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})

	var base string
	select {
	case a := <-out.found:
		base = "http://" + a
	case <-exited:
		tb.Fatalf("stripe-mock exited before listening: %s", out.String())
	case <-time.After(20 * time.Second):
		tb.Fatalf("stripe-mock did not report its address within 20s: %s", out.String())
	}
	if err := waitReady(base, exited); err != nil {
		tb.Fatalf("stripe-mock at %s: %v: %s", base, err, out.String())
	}
	return base
}

// binary finds stripe-mock on PATH, in GOBIN, or in the first GOPATH's
// bin, where `go install` puts it.
func binary() (string, error) {
	if p, err := exec.LookPath("stripe-mock"); err == nil {
		return p, nil
	}
	var dirs []string
	if gobin := os.Getenv("GOBIN"); gobin != "" {
		dirs = append(dirs, gobin)
	}
	if out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output(); err == nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) == 2 {
			if lines[0] != "" {
				dirs = append(dirs, lines[0])
			}
			if gopath, _, _ := strings.Cut(lines[1], string(os.PathListSeparator)); gopath != "" {
				dirs = append(dirs, filepath.Join(gopath, "bin"))
			}
		}
	}
	for _, d := range dirs {
		p := filepath.Join(d, "stripe-mock")
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 { //nolint:gosec // G703: the developer's own GOBIN and GOPATH
			return p, nil
		}
	}
	return "", errors.New("stripe-mock not found on PATH, in GOBIN or in GOPATH/bin")
}

// waitReady polls until stripe-mock answers an authenticated request.
func waitReady(base string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/balance", nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+SecretKey)
		resp, err := client.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET /v1/balance: %s", resp.Status)
			}
			return nil
		}
		select {
		case <-exited:
			return errors.New("exited")
		case <-ctx.Done():
			return err
		case <-time.After(50 * time.Millisecond):
		}
	}
}

const listening = "Listening for HTTP at address: "

// addrWatcher receives stripe-mock's output: it reports the HTTP address
// stripe-mock prints once listening, and keeps the start of the output
// for failure messages. exec copies into it from its own goroutine while
// the test may read.
type addrWatcher struct {
	found chan string
	mu    sync.Mutex
	buf   bytes.Buffer
	sent  bool
}

func (w *addrWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.buf.Len() < 64<<10 {
		w.buf.Write(p)
	}
	if !w.sent {
		for line := range strings.Lines(w.buf.String()) {
			if a, ok := strings.CutPrefix(line, listening); ok && strings.HasSuffix(line, "\n") {
				w.found <- strings.TrimSpace(a)
				w.sent = true
				break
			}
		}
	}
	return len(p), nil
}

func (w *addrWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
