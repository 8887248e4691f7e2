package app_test

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/config"
)

// TestGracefulShutdown asks the server to stop while a request is being
// handled, and checks that the request is answered before the server exits.
func TestGracefulShutdown(t *testing.T) {
	cfg := config.Default()
	cfg.Data = t.TempDir()
	cfg.ShutdownTimeout = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inHandler := make(chan struct{})
	release := make(chan struct{})
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" {
				close(inHandler)
				<-release
			}
			next.ServeHTTP(w, r)
		})
	}
	a, err := app.New(ctx, cfg, app.Options{Serve: true, Logger: apptest.Logger(t), Middleware: slow})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = a.Close() }()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	if _, err := conn.Write([]byte("GET /healthz HTTP/1.1\r\nHost: example.org\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	<-inHandler
	cancel()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("server exited with a request in flight: %v", err)
	default:
	}
	close(release)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request not answered: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("status %d", resp.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop after the last request")
	}
	// New connections are refused once stopped.
	if c, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		_ = c.Close()
		t.Error("server still accepts connections")
	}
}
