package storage_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// TestSaveSettingsAudited saves settings as an administrator and finds
// the change in the audit log, and the new fields read back.
func TestSaveSettingsAudited(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		u, err := e.users.Create(ctx, users.NewUser{Email: "ines@example.org", Name: "Inès Lambert", Role: users.RoleAdmin, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		rec := newRecorder(e.db)
		actor := access.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, IP: "198.51.100.7"}
		st := *e.settings.Get()
		st.Title = "Le Veilleur"
		st.FooterText = "Édité par l'Association Le Veilleur."
		st.SocialLinks = []settings.SocialLink{{Network: "bluesky", URL: "https://bsky.app/profile/veilleur.example"},
			{Network: "mastodon", URL: "https://mastodon.social/@veilleur"}}
		st.CommentPolicy.Moderation, st.CommentPolicy.CloseAfterDays, st.CommentPolicy.Charter = settings.ModerateAll, 30, "Restez courtois."
		if err := e.settings.Save(ctx, actor, st); err != nil {
			t.Fatal(err)
		}
		rec.wait(t, func(c storage.Change) bool { return c.Entity == storage.EntitySettings })

		entries, err := storage.NewAuditStore(e.db).AuditEntries(ctx, 0, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			t.Fatal("no audit entry")
		}
		got := entries[0]
		got.ID = 0
		want := audit.Entry{At: epoch, UserID: u.ID, UserName: "Inès Lambert", Action: audit.ActionSettings, TargetType: "settings",
			Summary: "title, footer_text, social_links, comment_policy.moderation, comment_policy.close_after_days, comment_policy.charter",
			IP:      "198.51.100.7"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("audit entry (-want +got):\n%s", diff)
		}

		other := settings.NewService(storage.NewSettingsStore(e.db), e.clock, nil)
		if err := other.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		back := other.Get()
		if changed := settings.Changes(e.settings.Get(), back); len(changed) != 0 {
			t.Errorf("reloaded settings differ in %q", changed)
		}
		if back.FooterHTML != "<p>Édité par l’Association Le Veilleur.</p>\n" || back.CommentPolicy.CharterHTML != "<p>Restez courtois.</p>\n" {
			t.Errorf("rendered texts = %q, %q", back.FooterHTML, back.CommentPolicy.CharterHTML)
		}
		if back.SocialLinks[0].Network != "mastodon" {
			t.Errorf("links not in network order: %+v", back.SocialLinks)
		}
	})
}

// TestSaveSettingIsOneTransaction makes the audit entry fail (its user
// does not exist): the settings must not change either.
func TestSaveSettingIsOneTransaction(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		db := storagetest.MustOpen(t, dsn, nil)
		ctx := context.Background()
		store := storage.NewSettingsStore(db)
		if _, err := store.Setting(ctx, "site"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("setting of an empty database: err = %v, want NotFound", err)
		}
		if err := store.SaveSetting(ctx, "site", `{"title":"Avant"}`, epoch, nil); err != nil {
			t.Fatal(err)
		}
		bad := &audit.Entry{At: epoch, UserID: 999999, UserName: "Personne", Action: audit.ActionSettings}
		if err := store.SaveSetting(ctx, "site", `{"title":"Après"}`, epoch, bad); err == nil {
			t.Fatal("audit entry of an unknown user: no error")
		}
		if got, err := store.Setting(ctx, "site"); err != nil || got != `{"title":"Avant"}` {
			t.Errorf("setting = %q, %v; want the value before the failed save", got, err)
		}
		entries, err := storage.NewAuditStore(db).AuditEntries(ctx, 0, 10)
		if err != nil || len(entries) != 0 {
			t.Errorf("audit log = %+v, %v; want empty", entries, err)
		}
	})
}

func TestSecret(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		a, err := e.db.Secret(ctx, "comment_stamp")
		if err != nil || len(a) != 32 {
			t.Fatalf("Secret = %x, %v", a, err)
		}
		again, err := e.db.Secret(ctx, "comment_stamp")
		if err != nil || string(again) != string(a) {
			t.Errorf("second call = %x, %v; want the same secret", again, err)
		}
		other, err := e.db.Secret(ctx, "unsubscribe")
		if err != nil || string(other) == string(a) {
			t.Errorf("another name = %x, %v; want another secret", other, err)
		}
	})
}
