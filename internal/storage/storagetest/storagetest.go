// Package storagetest opens real databases for tests: SQLite in a
// temporary directory, and PostgreSQL in a schema of its own per test, so
// the same suite runs unchanged on both and tests never see each other's
// data.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kiosque/kiosque/internal/storage"
)

// DefaultPostgresURL is the server CI and the team's machines run.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Backend names a database a test runs on.
type Backend struct {
	Name string
	// DSN returns a fresh, empty database for the calling test.
	DSN func(tb testing.TB) string
}

var (
	pgOnce sync.Once
	pgURL  string
	errPG  error
)

// PostgresURL returns the URL of the PostgreSQL server for tests:
// KIOSQUE_TEST_PG, or the local default when it answers. When none is
// reachable the test is skipped with a message, except under CI=true,
// where PostgreSQL is mandatory and the test fails.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	pgOnce.Do(func() {
		u := os.Getenv("KIOSQUE_TEST_PG")
		if u == "" {
			u = DefaultPostgresURL
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			errPG = err
			return
		}
		_ = conn.Close(ctx)
		pgURL = u
	})
	if pgURL == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("PostgreSQL is required on CI but unreachable (set KIOSQUE_TEST_PG): %v", errPG)
		}
		tb.Skipf("skipping PostgreSQL case: no server at KIOSQUE_TEST_PG or %s (%v)", DefaultPostgresURL, errPG)
	}
	return pgURL
}

// SQLiteDSN returns the path of a new SQLite file in a temporary directory.
func SQLiteDSN(tb testing.TB) string {
	tb.Helper()
	return filepath.Join(tb.TempDir(), "kiosque.db")
}

// PostgresDSN creates a schema for the calling test, dropped at cleanup,
// and returns a URL whose search_path selects it.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := PostgresURL(tb)
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to postgres: %v", err)
	}
	defer func() { _ = conn.Close(ctx) }()
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		c, err := pgx.Connect(ctx, base)
		if err != nil {
			return
		}
		defer func() { _ = c.Close(ctx) }()
		_, _ = c.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse postgres url: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Backends returns SQLite and PostgreSQL.
func Backends() []Backend {
	return []Backend{{Name: "sqlite", DSN: SQLiteDSN}, {Name: "postgres", DSN: PostgresDSN}}
}

// ForEach runs fn as a subtest on each backend.
func ForEach(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, b := range Backends() {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, b.DSN(t))
		})
	}
}

// MustOpen opens and migrates the database at dsn (with the job queue's
// tables when migrateJobs is given), closed at cleanup.
func MustOpen(tb testing.TB, dsn string, migrateJobs func(context.Context, *storage.DB) error) *storage.DB {
	tb.Helper()
	ctx := context.Background()
	if !storage.IsPostgresURL(dsn) {
		if _, err := os.Stat(dsn); errors.Is(err, fs.ErrNotExist) {
			// Migrating SQLite takes over a second under -race: a fresh
			// file starts as a copy of one migrated once, and the
			// migration below finds nothing left to do.
			if err := migrated.copyTo(dsn, migrateJobs); err != nil {
				tb.Fatalf("copy a migrated database: %v", err)
			}
		}
	}
	db, err := storage.Open(ctx, dsn, storage.Options{})
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	var extra func(context.Context) error
	if migrateJobs != nil {
		extra = func(ctx context.Context) error { return migrateJobs(ctx, db) }
	}
	if err := db.Migrate(ctx, extra); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	return db
}

// migrated holds migrated, empty SQLite databases, with and without the
// job queue's tables: a cache of fixtures shared by one test binary.
var migrated sqliteTemplates

type sqliteTemplates struct {
	mu    sync.Mutex
	files map[bool][]byte
}

// copyTo writes at path an empty database migrated like MustOpen's,
// migrating one the first time.
func (m *sqliteTemplates) copyTo(path string, migrateJobs func(context.Context, *storage.DB) error) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	withJobs := migrateJobs != nil
	b, ok := m.files[withJobs]
	if !ok {
		var err error
		if b, err = migrateOnce(migrateJobs); err != nil {
			return err
		}
		if m.files == nil {
			m.files = map[bool][]byte{}
		}
		m.files[withJobs] = b
	}
	return os.WriteFile(path, b, 0o600)
}

func migrateOnce(migrateJobs func(context.Context, *storage.DB) error) ([]byte, error) {
	dir, err := os.MkdirTemp("", "kiosque-migrated-")
	if err != nil {
		return nil, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "kiosque.db")
	ctx := context.Background()
	db, err := storage.Open(ctx, path, storage.Options{})
	if err != nil {
		return nil, err
	}
	var extra func(context.Context) error
	if migrateJobs != nil {
		extra = func(ctx context.Context) error { return migrateJobs(ctx, db) }
	}
	err = db.Migrate(ctx, extra)
	// Close folds the write-ahead log into the file.
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return os.ReadFile(path)
}
