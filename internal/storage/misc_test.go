package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/jobs"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

func TestSettingsRoundTrip(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		if err := e.settings.Reload(ctx); err != nil {
			t.Fatalf("reload of an empty database: %v", err)
		}
		if got := e.settings.Get().Title; got != "kiosque" {
			t.Errorf("default title = %q", got)
		}
		st := settings.Defaults()
		st.Title = "Le Veilleur"
		st.Appeal = "Cet article vous a plu ? Merci de votre soutien !"
		if err := e.settings.Update(ctx, st); err != nil {
			t.Fatal(err)
		}
		other := settings.NewService(storage.NewSettingsStore(e.db), e.clock, nil)
		if err := other.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		got := other.Get()
		if got.Title != "Le Veilleur" || got.AppealHTML != "<p>Cet article vous a plu\u202f? Merci de votre soutien\u202f!</p>\n" {
			t.Errorf("reloaded = %q / %q", got.Title, got.AppealHTML)
		}
		bad := st
		bad.Timezone = "Mars/Olympus"
		if err := e.settings.Update(ctx, bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("bad time zone: err = %v, want Invalid", err)
		}
	})
}

func TestUsers(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		u, err := e.users.Create(ctx, users.NewUser{Email: "Ines@Example.org", Name: "Inès Lambert", Role: users.RoleEditor, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ines@example.org" || u.Slug != "ines-lambert" {
			t.Errorf("created %q %q", u.Email, u.Slug)
		}
		tests := []struct {
			name string
			in   users.NewUser
			kind apperr.Kind
		}{
			{"ErrDuplicateEmail", users.NewUser{Email: "INES@example.org", Name: "Autre", Role: users.RoleAuthor, Password: "a long enough password"}, apperr.Conflict},
			{"ErrBadEmail", users.NewUser{Email: "not an email", Name: "X", Role: users.RoleAuthor, Password: "a long enough password"}, apperr.Invalid},
			{"ErrShortPassword", users.NewUser{Email: "x@example.org", Name: "X", Role: users.RoleAuthor, Password: "short"}, apperr.Invalid},
			{"ErrBadRole", users.NewUser{Email: "x@example.org", Name: "X", Role: "king", Password: "a long enough password"}, apperr.Invalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if _, err := e.users.Create(ctx, tt.in); !apperr.Is(err, tt.kind) {
					t.Errorf("err = %v, want %s", err, tt.kind)
				}
			})
		}
		// Same name, other person: the slug gets a suffix.
		u2, err := e.users.Create(ctx, users.NewUser{Email: "ines2@example.org", Name: "Inès Lambert", Role: users.RoleAuthor, Password: "a long enough password"})
		if err != nil || u2.Slug != "ines-lambert-2" {
			t.Errorf("homonym slug = %q, %v", u2.Slug, err)
		}
		if err := e.users.SetPassword(ctx, "ines@example.org", "another long password"); err != nil {
			t.Fatal(err)
		}
		got, err := e.users.ByEmail(ctx, "INES@EXAMPLE.ORG")
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := users.CheckPassword(got.PasswordHash, "another long password"); err != nil || !ok {
			t.Errorf("new password does not check: %v %v", ok, err)
		}
		if err := e.users.SetPassword(ctx, "nobody@example.org", "another long password"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("password of unknown account: err = %v, want NotFound", err)
		}
	})
}

// recorder collects change notices.
type recorder struct {
	mu      sync.Mutex
	changes []storage.Change
	notify  chan struct{}
}

func newRecorder(db *storage.DB) *recorder {
	r := &recorder{notify: make(chan struct{}, 100)}
	db.OnChange(func(cs []storage.Change) {
		r.mu.Lock()
		r.changes = append(r.changes, cs...)
		r.mu.Unlock()
		r.notify <- struct{}{}
	})
	return r
}

func (r *recorder) wait(t *testing.T, pred func(storage.Change) bool) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		r.mu.Lock()
		for _, c := range r.changes {
			if pred(c) {
				r.mu.Unlock()
				return
			}
		}
		r.mu.Unlock()
		select {
		case <-r.notify:
		case <-deadline:
			t.Fatalf("no matching change notice; got %+v", r.changes)
		}
	}
}

func TestChangeNotices(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		rec := newRecorder(e.db)
		a := e.article(t, content.ArticleInput{Title: "Notice"})
		rec.wait(t, func(c storage.Change) bool {
			return c.Entity == storage.EntityArticle && len(c.IDs) == 1 && c.IDs[0] == a.ID
		})
		// A failed write notifies nothing.
		rec.mu.Lock()
		rec.changes = nil
		rec.mu.Unlock()
		store := storage.NewContentStore(e.db)
		dup := &content.Article{Slug: a.Slug, Title: "x", Status: content.StatusDraft, CreatedAt: epoch, UpdatedAt: epoch}
		if err := store.CreateArticle(context.Background(), dup, "", content.Effects{}); err == nil {
			t.Fatal("duplicate slug accepted")
		}
		time.Sleep(100 * time.Millisecond)
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if len(rec.changes) != 0 {
			t.Errorf("rolled-back write notified %+v", rec.changes)
		}
	})
}

// TestChangesReachOtherInstances opens the same PostgreSQL database twice,
// as two kiosque instances would, and checks that a write through one is
// announced to the other.
func TestChangesReachOtherInstances(t *testing.T) {
	dsn := storagetest.PostgresDSN(t)
	e := newEnv(t, dsn)
	other := storagetest.MustOpen(t, dsn, jobs.Migrate)
	rec := newRecorder(other)
	time.Sleep(200 * time.Millisecond) // let the listener connect
	a := e.article(t, content.ArticleInput{Title: "Vu d'ailleurs"})
	rec.wait(t, func(c storage.Change) bool {
		return c.Entity == storage.EntityArticle && len(c.IDs) == 1 && c.IDs[0] == a.ID
	})
	if err := e.db.NotifyAll(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec.wait(t, func(c storage.Change) bool { return c.Entity == storage.EntityAll })
}

func TestBackupSQLite(t *testing.T) {
	e := newEnv(t, storagetest.SQLiteDSN(t))
	e.article(t, content.ArticleInput{Title: "Sauvegardé"})
	dst := filepath.Join(t.TempDir(), "backup.db")
	ctx := context.Background()
	if err := e.db.Backup(ctx, dst); err != nil {
		t.Fatal(err)
	}
	if err := e.db.Backup(ctx, dst); err == nil {
		t.Error("backup over an existing file: no error")
	}
	restored := storagetest.MustOpen(t, dst, jobs.Migrate)
	got, err := storage.NewContentStore(restored).ArticleBySlug(ctx, "sauvegarde")
	if err != nil || got.Title != "Sauvegardé" {
		t.Fatalf("restored article = %+v, %v", got, err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		db := storagetest.MustOpen(t, dsn, jobs.Migrate)
		ctx := context.Background()
		if err := db.ExecForTest(ctx, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, TRUE)"); err != nil {
			t.Fatal(err)
		}
		err := db.Migrate(ctx, nil)
		if !errors.Is(err, storage.ErrSchemaTooNew) || !strings.Contains(err.Error(), "9999") {
			t.Fatalf("err = %v, want ErrSchemaTooNew naming version 9999", err)
		}
	})
}

func TestOpenErrors(t *testing.T) {
	ctx := context.Background()
	notDB := filepath.Join(t.TempDir(), "garbage.db")
	if err := os.WriteFile(notDB, []byte("this is not a database, it is a text file long enough to matter......................................................."), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		dsn  string
	}{
		{"ErrNotADatabase", notDB},
		{"ErrUnreachablePostgres", "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"},
		{"ErrDirectoryNotWritable", "/proc/kiosque/kiosque.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := storage.Open(ctx, tt.dsn, storage.Options{})
			if err == nil {
				_ = db.Close()
				t.Fatal("no error")
			}
		})
	}
}
