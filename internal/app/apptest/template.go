package apptest

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/demo"
	"github.com/kiosque/kiosque/internal/secretbox"
	"github.com/kiosque/kiosque/internal/users"
)

// templateMaxAge bounds how old a copied demo is: the demo's scheduled
// article appears demo.ScheduledDelay after seeding, and a test expects to
// find it still scheduled.
const templateMaxAge = time.Minute

// demoTemplate is the demo's SQLite database, seeded once and copied for
// each site that asks for the demo on SQLite with the system clock. Under
// the race detector seeding takes seconds and a copy milliseconds, and the
// back office's and the site's suites boot a site per test. It is the one
// package-level variable here: a cache of test fixtures shared by the
// tests of one binary.
var demoTemplate template

type template struct {
	mu     sync.Mutex
	db     []byte
	key    []byte
	res    demo.Result
	base   string
	seeded time.Time
}

// copyTo writes a copy of the seeded demo into cfg's data directory, with
// its absolute links moved to cfg's address, seeding it first when there
// is none or it is too old, and returns what the seeding made.
func (t *template) copyTo(tb testing.TB, cfg config.Config) *demo.Result {
	tb.Helper()
	t.mu.Lock()
	if t.db == nil || time.Since(t.seeded) > templateMaxAge {
		if err := t.seed(tb); err != nil {
			t.mu.Unlock()
			tb.Fatalf("seed demo template: %v", err)
		}
	}
	db, key, res, base := t.db, t.key, t.res, t.base
	t.mu.Unlock()

	path := cfg.DatabaseDSN()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, db, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Data, secretbox.KeyFile), key, 0o600); err != nil {
		tb.Fatal(err)
	}
	if err := rebase(path, base, cfg.PublicBaseURL()); err != nil {
		tb.Fatalf("copy demo template: %v", err)
	}
	return &res
}

// seed boots a site in a temporary directory, seeds the demo and keeps
// the database file. Called with t.mu held.
func (t *template) seed(tb testing.TB) error {
	dir, err := os.MkdirTemp("", "kiosque-demo-")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	cfg := config.Default()
	cfg.Data, cfg.Addr = dir, "127.0.0.1:1"
	ctx := context.Background()
	a, err := app.New(ctx, cfg, app.Options{Logger: Logger(tb), PasswordCost: users.TestPasswordCost()})
	if err != nil {
		return err
	}
	res, err := demo.Seed(ctx, demo.Services{Content: a.Content, Users: a.Users, Settings: a.Settings, Comments: a.Comments, Redirects: a.Redirects, Federation: a.Federation,
		Donations: a.Donations, Shop: a.Shop, Syndication: a.Syndication, BaseURL: a.Config.PublicBaseURL()})
	// Close folds the write-ahead log into the file.
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	db, err := os.ReadFile(cfg.DatabaseDSN())
	if err != nil {
		return err
	}
	// The key that sealed the demo's social secrets goes with them.
	key, err := os.ReadFile(filepath.Join(dir, secretbox.KeyFile))
	if err != nil {
		return err
	}
	t.db, t.key, t.res, t.base, t.seeded = db, key, *res, cfg.PublicBaseURL(), time.Now()
	return nil
}

// rebase moves the absolute links the demo stored (the readers' reports
// name the comment they report) from the template's address to the
// site's.
func rebase(path, from, to string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	_, err = db.Exec("UPDATE comment_reports SET url = replace(url, ?, ?)", from, to)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}
