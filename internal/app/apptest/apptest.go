// Package apptest boots a whole kiosque for tests: a real database, the
// demo newsroom, and the HTTP handler behind an httptest server.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/demo"
	"github.com/kiosque/kiosque/internal/users"
)

// Site is a running kiosque under test.
type Site struct {
	App  *app.App
	URL  string
	Demo *demo.Result
	// Client does not follow redirects, so tests see them.
	Client *http.Client

	stopOnce sync.Once
	stop     func()
}

// Stop shuts a site started with Options.Serve down, as at the end of the
// test: for tests that restart a site on the same data.
func (s *Site) Stop() {
	s.stopOnce.Do(func() {
		if s.stop != nil {
			s.stop()
		}
	})
}

// Options tune New.
type Options struct {
	// PostgresURL selects PostgreSQL; empty means SQLite in Data.
	PostgresURL string
	// NoDemo leaves the database empty.
	NoDemo bool
	// NoCache turns the page cache off.
	NoCache bool
	// Clock fixes the time; nil is the system clock.
	Clock clock.Clock
	// Configure, when set, changes the configuration before boot.
	Configure func(*config.Config)
	// SMTPURL, when set, sends the site's emails there (see package
	// mailtest) instead of to the log.
	SMTPURL string
	// Serve runs the real server with its job queue (for scheduling and
	// shutdown tests) instead of an httptest server without jobs.
	Serve bool
	// Data is the data directory; empty means a temporary one.
	Data string
}

// Logger returns a logger writing to the test log when -v is given, and
// discarding otherwise.
func Logger(tb testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.DiscardHandler)
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// New boots a site, seeded with the demo unless opts.NoDemo.
func New(tb testing.TB, opts Options) *Site {
	tb.Helper()
	cfg := config.Default()
	cfg.Data = opts.Data
	if cfg.Data == "" {
		cfg.Data = tb.TempDir()
	}
	cfg.DatabaseURL = opts.PostgresURL
	if opts.SMTPURL != "" {
		cfg.SMTPURL, cfg.MailFrom = opts.SMTPURL, "Le Veilleur <redaction@le-veilleur.example>"
	}
	cfg.PageCache = !opts.NoCache
	// The networks' test servers listen on loopback.
	cfg.AllowPrivateNetworks = true
	cfg.ShutdownTimeout = 5 * time.Second

	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	// Listen first, so the site knows its own address for absolute URLs.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	var seeded *demo.Result
	if !opts.NoDemo && opts.PostgresURL == "" && opts.Data == "" && nearNow(opts.Clock) {
		// The seeded demo is copied rather than seeded again.
		seeded = demoTemplate.copyTo(tb, cfg)
	}
	a, err := app.New(ctx, cfg, app.Options{Logger: Logger(tb), Clock: opts.Clock, Serve: true, SweepInterval: time.Second,
		PasswordCost: users.TestPasswordCost()})
	if err != nil {
		cancel()
		tb.Fatalf("boot kiosque: %v", err)
	}
	s := &Site{App: a, Demo: seeded, Client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}}
	if !opts.NoDemo && seeded == nil {
		res, err := demo.Seed(ctx, demo.Services{Content: a.Content, Users: a.Users, Settings: a.Settings, Comments: a.Comments, Redirects: a.Redirects, Federation: a.Federation, Donations: a.Donations, Shop: a.Shop,
			Syndication: a.Syndication, BaseURL: a.Config.PublicBaseURL()})
		if err != nil {
			cancel()
			_ = a.Close()
			tb.Fatalf("seed demo: %v", err)
		}
		s.Demo = res
	}
	if opts.Serve {
		done := make(chan error, 1)
		go func() { done <- a.Serve(ctx, ln) }()
		s.URL = "http://" + ln.Addr().String()
		s.stop = func() {
			cancel()
			if err := <-done; err != nil {
				tb.Errorf("serve: %v", err)
			}
			_ = a.Close()
		}
		tb.Cleanup(s.Stop)
		return s
	}
	srv := httptest.NewUnstartedServer(a.Handler())
	_ = srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	s.URL = srv.URL
	tb.Cleanup(func() {
		srv.Close()
		cancel()
		_ = a.Close()
	})
	return s
}

// nearNow reports whether clk, nil for the system clock, tells about the
// present time, which a copy of the seeded demo (see demoTemplate) suits: a
// test that fixed its clock at another date seeds the demo at that date.
func nearNow(clk clock.Clock) bool {
	if clk == nil {
		return true
	}
	d := time.Until(clk.Now())
	return d > -time.Minute && d < time.Minute
}

// Get fetches path and returns the response with its body read.
func (s *Site) Get(tb testing.TB, path string, header ...string) (*http.Response, string) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+path, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp, string(b)
}

// MustGet fetches path and fails unless the status is want.
func (s *Site) MustGet(tb testing.TB, path string, want int) string {
	tb.Helper()
	resp, body := s.Get(tb, path)
	if resp.StatusCode != want {
		tb.Fatalf("GET %s: status %d, want %d; body:\n%.500s", path, resp.StatusCode, want, body)
	}
	return body
}

// Env returns the value of an environment variable, for tests that need
// external tools.
func Env(name string) string { return os.Getenv(name) }
