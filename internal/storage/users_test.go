package storage_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// accounts is a users service whose emails are kept for the test to read.
type accounts struct {
	*env
	svc   *users.Service
	mu    sync.Mutex
	mails []job.Email
	staff map[users.Role]users.Actor
}

func newAccounts(t *testing.T, dsn string) *accounts {
	t.Helper()
	a := &accounts{env: newEnv(t, dsn), staff: map[users.Role]users.Actor{}}
	mail := func(subject string) func(u *users.User, token string) job.Email {
		return func(u *users.User, token string) job.Email {
			m := job.Email{To: []string{u.Email}, Subject: subject, Text: "https://example.org/admin/reset?token=" + token}
			a.mu.Lock()
			a.mails = append(a.mails, m)
			a.mu.Unlock()
			return m
		}
	}
	a.svc = users.NewService(storage.NewUserStore(a.db), storage.NewAuthStore(a.db), a.clock,
		users.AuthOptions{ResetEmail: mail("reset"), InviteEmail: mail("invite"), PasswordCost: users.TestPasswordCost()})
	for _, r := range []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		u, err := a.svc.Create(context.Background(), users.NewUser{Email: string(r) + "@example.org", Name: "Une " + string(r), Role: r, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		a.staff[r] = users.Actor{UserID: u.ID, Name: u.Name, Role: r, IP: "192.0.2.1"}
	}
	return a
}

// lastMail returns the latest email and the token of its link.
func (a *accounts) lastMail(t *testing.T) (job.Email, string) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.mails) == 0 {
		t.Fatal("no email sent")
	}
	m := a.mails[len(a.mails)-1]
	return m, m.Text[strings.Index(m.Text, "token=")+6:]
}

// newestAudit returns the newest audit entry.
func (a *accounts) newestAudit(t *testing.T) audit.Entry {
	t.Helper()
	entries, err := storage.NewAuditStore(a.db).AuditEntries(context.Background(), 0, 1)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit log: %v", err)
	}
	return entries[0]
}

func (a *accounts) login(t *testing.T, email, password string) string {
	t.Helper()
	token, _, err := a.svc.Login(context.Background(), email, password, "192.0.2.9", "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return token
}

func TestAccountsCreate(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		a := newAccounts(t, dsn)
		ctx := context.Background()
		admin := a.staff[users.RoleAdmin]
		tests := []struct {
			name  string
			actor users.Actor
			in    users.NewUser
			kind  apperr.Kind
			field string
		}{
			{"ErrNotAdmin", a.staff[users.RoleEditor], users.NewUser{Email: "x@example.org", Name: "X", Role: users.RoleAuthor, Password: "a long enough password"}, apperr.Forbidden, ""},
			{"ErrEmailTaken", admin, users.NewUser{Email: "Editor@example.org", Name: "X", Role: users.RoleAuthor, Password: "a long enough password"}, apperr.Conflict, "email"},
			{"ErrBadRole", admin, users.NewUser{Email: "x@example.org", Name: "X", Role: "owner", Password: "a long enough password"}, apperr.Invalid, "role"},
			{"ErrShortPassword", admin, users.NewUser{Email: "x@example.org", Name: "X", Role: users.RoleAuthor, Password: "short"}, apperr.Invalid, "password"},
			{"ErrInviteAndPassword", admin, users.NewUser{Email: "x@example.org", Name: "X", Role: users.RoleAuthor, Password: "a long enough password", Invite: true}, apperr.Invalid, "password"},
			{"ErrNoName", admin, users.NewUser{Email: "x@example.org", Name: " ", Role: users.RoleAuthor, Invite: true}, apperr.Invalid, "name"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := a.svc.CreateBy(ctx, tt.actor, tt.in)
				var ae *apperr.Error
				if !apperr.Is(err, tt.kind) || !errors.As(err, &ae) || ae.Field != tt.field {
					t.Errorf("err = %v, want %v in field %q", err, tt.kind, tt.field)
				}
			})
		}
		t.Run("OK", func(t *testing.T) {
			u, err := a.svc.CreateBy(ctx, admin, users.NewUser{Email: "Nina@Example.org", Name: "Nina Roux", Role: users.RoleEditor, Password: "a long enough password"})
			if err != nil {
				t.Fatal(err)
			}
			a.login(t, "nina@example.org", "a long enough password")
			e := a.newestAudit(t)
			if e.Action != audit.ActionLogin {
				t.Errorf("newest entry %+v, want the login", e)
			}
			entries, _ := storage.NewAuditStore(a.db).AuditEntries(ctx, e.ID, 1)
			if got := entries[0]; got.Action != audit.ActionUserCreate || got.UserID != admin.UserID || got.TargetID != u.ID || got.IP != "192.0.2.1" {
				t.Errorf("creation entry = %+v", got)
			}
			acc, err := a.svc.AccountByID(ctx, admin, u.ID)
			if err != nil || !acc.LastLogin.Equal(a.clock.Now()) {
				t.Errorf("last login = %v, %v; want %v", acc.LastLogin, err, a.clock.Now())
			}
		})
		t.Run("OKInvite", func(t *testing.T) {
			u, err := a.svc.CreateBy(ctx, admin, users.NewUser{Email: "paul@example.org", Name: "Paul", Role: users.RoleAuthor, Invite: true})
			if err != nil {
				t.Fatal(err)
			}
			if !u.Invited() {
				t.Error("an invited account has a password")
			}
			// No password opens it, not even the one hashed for timing.
			for _, p := range []string{"", "kiosque timing equaliser"} {
				if _, _, err := a.svc.Login(ctx, "paul@example.org", p, "192.0.2.9", ""); !apperr.Is(err, apperr.Unauthorized) {
					t.Errorf("login of an invited account with %q: %v", p, err)
				}
			}
			m, token := a.lastMail(t)
			if m.Subject != "invite" || m.To[0] != "paul@example.org" {
				t.Errorf("mail = %+v", m)
			}
			if n, err := a.db.CountJobs(ctx, job.Email{}.Kind()); err != nil || n != 1 {
				t.Errorf("mail jobs = %d, %v", n, err)
			}
			// The link outlives a reset link's hour.
			a.clock.Advance(users.ResetLifetime + time.Hour)
			if err := a.svc.ResetPassword(ctx, token, "paul's own password", "192.0.2.9"); err != nil {
				t.Fatal(err)
			}
			a.login(t, "paul@example.org", "paul's own password")
		})
	})
}

func TestAccountsRoleAndDisable(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		a := newAccounts(t, dsn)
		ctx := context.Background()
		admin, editor, author := a.staff[users.RoleAdmin], a.staff[users.RoleEditor], a.staff[users.RoleAuthor]
		tests := []struct {
			name string
			do   func() error
			kind apperr.Kind
			key  string
		}{
			{"ErrSelfDemote", func() error { return a.svc.SetRole(ctx, admin, admin.UserID, users.RoleEditor) }, apperr.Invalid, "error.user.self_demote"},
			{"ErrSelfDisable", func() error { return a.svc.SetDisabled(ctx, admin, admin.UserID, true) }, apperr.Invalid, "error.user.self_disable"},
			{"ErrLastAdminRole", func() error { return a.svc.SetRole(ctx, users.System, admin.UserID, users.RoleAuthor) }, apperr.Conflict, "error.user.last_admin"},
			{"ErrLastAdminDisable", func() error { return a.svc.SetDisabled(ctx, users.System, admin.UserID, true) }, apperr.Conflict, "error.user.last_admin"},
			{"ErrEditorSetsRole", func() error { return a.svc.SetRole(ctx, editor, author.UserID, users.RoleAdmin) }, apperr.Forbidden, "error.forbidden.text"},
			{"ErrEditorDisables", func() error { return a.svc.SetDisabled(ctx, editor, author.UserID, true) }, apperr.Forbidden, "error.forbidden.text"},
			{"ErrBadRole", func() error { return a.svc.SetRole(ctx, admin, author.UserID, "chief") }, apperr.Invalid, "error.user.bad_role"},
			{"ErrUnknownAccount", func() error { return a.svc.SetRole(ctx, admin, 9999, users.RoleEditor) }, apperr.NotFound, "error.not_found.text"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.do()
				if key, _ := apperr.Message(err); !apperr.Is(err, tt.kind) || key != tt.key {
					t.Errorf("err = %v, want %v %s", err, tt.kind, tt.key)
				}
			})
		}
		if u, _ := a.svc.ByEmail(ctx, "admin@example.org"); u.Role != users.RoleAdmin || u.Disabled {
			t.Fatalf("a refused change went through: %+v", u)
		}

		t.Run("OKRole", func(t *testing.T) {
			if err := a.svc.SetRole(ctx, admin, author.UserID, users.RoleEditor); err != nil {
				t.Fatal(err)
			}
			e := a.newestAudit(t)
			if e.Action != audit.ActionUserRole || e.UserID != admin.UserID || e.TargetID != author.UserID || e.IP != "192.0.2.1" ||
				!strings.Contains(e.Summary, "author → editor") {
				t.Errorf("audit entry = %+v", e)
			}
		})
		t.Run("OKDisable", func(t *testing.T) {
			token := a.login(t, "contributor@example.org", "a long enough password")
			contrib := a.staff[users.RoleContributor].UserID
			if err := a.svc.SetDisabled(ctx, admin, contrib, true); err != nil {
				t.Fatal(err)
			}
			if e := a.newestAudit(t); e.Action != audit.ActionUserDisable || e.TargetID != contrib {
				t.Errorf("audit entry = %+v", e)
			}
			if _, _, err := a.svc.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthorized) {
				t.Errorf("session of a disabled account: %v", err)
			}
			if list, err := a.svc.Sessions(ctx, contrib); err != nil || len(list) != 0 {
				t.Errorf("sessions left: %d, %v", len(list), err)
			}
			if _, _, err := a.svc.Login(ctx, "contributor@example.org", "a long enough password", "192.0.2.9", ""); !apperr.Is(err, apperr.Unauthorized) {
				t.Errorf("login of a disabled account: %v", err)
			}
			if err := a.svc.SendPasswordReset(ctx, admin, contrib); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("reset link for a disabled account: %v", err)
			}
			if err := a.svc.SetDisabled(ctx, admin, contrib, false); err != nil {
				t.Fatal(err)
			}
			if e := a.newestAudit(t); e.Action != users.ActionUserEnable {
				t.Errorf("audit entry = %+v", e)
			}
			a.login(t, "contributor@example.org", "a long enough password")
		})
		t.Run("OKSecondAdmin", func(t *testing.T) {
			// With a second admin, the first may be demoted by them.
			if err := a.svc.SetRole(ctx, admin, editor.UserID, users.RoleAdmin); err != nil {
				t.Fatal(err)
			}
			second := users.Actor{UserID: editor.UserID, Name: editor.Name, Role: users.RoleAdmin}
			if err := a.svc.SetRole(ctx, second, admin.UserID, users.RoleEditor); err != nil {
				t.Fatal(err)
			}
			if err := a.svc.SetRole(ctx, users.System, editor.UserID, users.RoleEditor); !errors.Is(err, users.ErrLastAdmin) && !apperr.Is(err, apperr.Conflict) {
				t.Errorf("demote the last admin: %v", err)
			}
		})
		t.Run("OKResetLink", func(t *testing.T) {
			if err := a.svc.SendPasswordReset(ctx, a.staff[users.RoleEditor], author.UserID); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("editor sends a reset link: %v", err)
			}
			if err := a.svc.SendPasswordReset(ctx, users.System, author.UserID); err != nil {
				t.Fatal(err)
			}
			m, token := a.lastMail(t)
			if m.Subject != "reset" || m.To[0] != "author@example.org" {
				t.Errorf("mail = %+v", m)
			}
			if e := a.newestAudit(t); e.Action != users.ActionUserResetLink || e.TargetID != author.UserID {
				t.Errorf("audit entry = %+v", e)
			}
			if err := a.svc.ResetPassword(ctx, token, "another long password", "192.0.2.9"); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// TestAccountsLastAdminRace has two admins demote each other at once: one
// of them must stay an admin, whichever wins.
func TestAccountsLastAdminRace(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		a := newAccounts(t, dsn)
		ctx := context.Background()
		first := a.staff[users.RoleAdmin]
		for i := range 5 {
			u, err := a.svc.CreateBy(ctx, first, users.NewUser{Email: "second" + string(rune('a'+i)) + "@example.org", Name: "Second", Role: users.RoleAdmin, Invite: true})
			if err != nil {
				t.Fatal(err)
			}
			second := users.Actor{UserID: u.ID, Name: u.Name, Role: users.RoleAdmin}
			var wg sync.WaitGroup
			errs := make([]error, 2)
			wg.Go(func() { errs[0] = a.svc.SetRole(ctx, first, second.UserID, users.RoleEditor) })
			wg.Go(func() { errs[1] = a.svc.SetRole(ctx, second, first.UserID, users.RoleEditor) })
			wg.Wait()
			list, err := a.svc.Accounts(ctx, users.System)
			if err != nil {
				t.Fatal(err)
			}
			var admins []string
			for _, acc := range list {
				if acc.Role == users.RoleAdmin && !acc.Disabled {
					admins = append(admins, acc.Email)
				}
			}
			if len(admins) != 1 {
				t.Fatalf("round %d: admins %v after %v", i, admins, errs)
			}
			if errs[0] == nil && errs[1] == nil {
				t.Fatalf("round %d: both demotions succeeded", i)
			}
			if admins[0] != "admin@example.org" {
				// The second won: make the first an admin again for the next round.
				if err := a.svc.SetRole(ctx, users.System, first.UserID, users.RoleAdmin); err != nil {
					t.Fatal(err)
				}
				if err := a.svc.SetRole(ctx, users.System, second.UserID, users.RoleEditor); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func TestAccountProfileAndPassword(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		a := newAccounts(t, dsn)
		ctx := context.Background()
		me := a.staff[users.RoleAuthor]
		const password = "a long enough password"
		tests := []struct {
			name  string
			in    users.Profile
			kind  apperr.Kind
			field string
		}{
			{"ErrNoName", users.Profile{Name: "", Email: "author@example.org"}, apperr.Invalid, "name"},
			{"ErrBadEmail", users.Profile{Name: "Une author", Email: "not an address"}, apperr.Invalid, "email"},
			{"ErrEmailNeedsPassword", users.Profile{Name: "Une author", Email: "new@example.org"}, apperr.Invalid, "current"},
			{"ErrEmailWrongPassword", users.Profile{Name: "Une author", Email: "new@example.org", Password: "wrong password!!"}, apperr.Invalid, "current"},
			{"ErrEmailTaken", users.Profile{Name: "Une author", Email: "editor@example.org", Password: password}, apperr.Conflict, "email"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := a.svc.UpdateProfile(ctx, me, tt.in)
				var ae *apperr.Error
				if !apperr.Is(err, tt.kind) || !errors.As(err, &ae) || ae.Field != tt.field {
					t.Errorf("err = %v, want %v in field %q", err, tt.kind, tt.field)
				}
			})
		}
		t.Run("OKName", func(t *testing.T) {
			u, err := a.svc.UpdateProfile(ctx, me, users.Profile{Name: "Anne Author", Email: "author@example.org"})
			if err != nil || u.Name != "Anne Author" || u.Slug != "une-author" {
				t.Fatalf("update = %+v, %v", u, err)
			}
			if e := a.newestAudit(t); e.Action != users.ActionUserUpdate || e.TargetID != me.UserID || !strings.Contains(e.Summary, "Une author → Anne Author") {
				t.Errorf("audit entry = %+v", e)
			}
		})
		t.Run("OKEmail", func(t *testing.T) {
			u, err := a.svc.UpdateProfile(ctx, me, users.Profile{Name: "Anne Author", Email: "Anne@Example.org", Password: password})
			if err != nil || u.Email != "anne@example.org" {
				t.Fatalf("update = %+v, %v", u, err)
			}
		})

		mine := a.login(t, "anne@example.org", password)
		other := a.login(t, "anne@example.org", password)
		for _, tt := range []struct {
			name, current, next string
			field               string
		}{
			{"ErrWrongCurrent", "not my password", "a brand new password", "current"},
			{"ErrNoCurrent", "", "a brand new password", "current"},
			{"ErrShort", password, "short", "password"},
		} {
			t.Run("Password"+tt.name, func(t *testing.T) {
				err := a.svc.ChangePassword(ctx, me, tt.current, tt.next, mine)
				var ae *apperr.Error
				if !errors.As(err, &ae) || ae.Kind != apperr.Invalid || ae.Field != tt.field {
					t.Errorf("err = %v, want Invalid in %q", err, tt.field)
				}
			})
		}
		if err := a.svc.ChangePassword(ctx, me, password, "a brand new password", mine); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.svc.Authenticate(ctx, mine); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, _, err := a.svc.Authenticate(ctx, other); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("another session survived the change: %v", err)
		}
		if e := a.newestAudit(t); e.Action != users.ActionUserPassword || e.TargetID != me.UserID {
			t.Errorf("audit entry = %+v", e)
		}
		a.login(t, "anne@example.org", "a brand new password")

		// Guessing the current password is throttled like a login.
		for range users.MaxFailures {
			_ = a.svc.ChangePassword(ctx, me, "guess guess guess", "whatever whatever", mine)
		}
		if err := a.svc.ChangePassword(ctx, me, "a brand new password", "yet another password", mine); !apperr.Is(err, apperr.Throttled) {
			t.Errorf("after %d wrong guesses: %v", users.MaxFailures, err)
		}

		// Signing out the other sessions keeps this one.
		a.clock.Advance(users.LockDuration + time.Minute)
		third := a.login(t, "anne@example.org", "a brand new password")
		if err := a.svc.RevokeOtherSessions(ctx, me, mine); err != nil {
			t.Fatal(err)
		}
		if _, _, err := a.svc.Authenticate(ctx, third); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("revoked session: %v", err)
		}
		if list, _ := a.svc.Sessions(ctx, me.UserID); len(list) != 1 || list[0].TokenHash != users.HashToken(mine) {
			t.Errorf("sessions left: %+v", list)
		}
		if e := a.newestAudit(t); e.Action != users.ActionSessionsRevoked {
			t.Errorf("audit entry = %+v", e)
		}
	})
}

func TestAccountTOTP(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		a := newAccounts(t, dsn)
		ctx := context.Background()
		me := a.staff[users.RoleEditor]
		if err := a.svc.EnableTOTP(ctx, me, "123456"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("enable before any setup: %v", err)
		}
		first, err := a.svc.BeginTOTP(ctx, me)
		if err != nil {
			t.Fatal(err)
		}
		// The page is shown again from the stored secret.
		u, _ := a.svc.ByEmail(ctx, "editor@example.org")
		pending, err := a.svc.PendingTOTP(u)
		if err != nil || pending.Secret != first.Secret || len(pending.QRPNG) == 0 {
			t.Fatalf("pending setup = %+v, %v", pending, err)
		}
		// A pending secret does not ask for a code at login.
		if _, mfa, _ := a.svc.Login(ctx, "editor@example.org", "a long enough password", "192.0.2.9", ""); mfa {
			t.Error("a pending secret asks for a code")
		}
		// A new setup replaces the pending secret: the old code fails.
		second, err := a.svc.BeginTOTP(ctx, me)
		if err != nil || second.Secret == first.Secret {
			t.Fatalf("second setup: %v", err)
		}
		old, _ := totp.GenerateCode(first.Secret, a.clock.Now())
		if err := a.svc.EnableTOTP(ctx, me, old); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("code of a replaced secret: %v", err)
		}
		code, _ := totp.GenerateCode(second.Secret, a.clock.Now())
		if err := a.svc.EnableTOTP(ctx, me, code); err != nil {
			t.Fatal(err)
		}
		if e := a.newestAudit(t); e.Action != audit.ActionTOTPEnabled || e.TargetID != me.UserID {
			t.Errorf("audit entry = %+v", e)
		}
		// Once on, a new setup cannot replace it (nor turn it off).
		if _, err := a.svc.BeginTOTP(ctx, me); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("setup while on: %v", err)
		}
		if err := a.svc.CancelTOTP(ctx, me); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("cancel while on: %v", err)
		}
		if _, mfa, _ := a.svc.Login(ctx, "editor@example.org", "a long enough password", "192.0.2.9", ""); !mfa {
			t.Error("login does not ask for the code")
		}
		if err := a.svc.DisableTOTP(ctx, me, "wrong password!!"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("disable with a wrong password: %v", err)
		}
		if err := a.svc.DisableTOTP(ctx, me, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		if err := a.svc.DisableTOTP(ctx, me, "a long enough password"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("disable twice: %v", err)
		}
		if e := a.newestAudit(t); e.Action != audit.ActionTOTPDisabled {
			t.Errorf("audit entry = %+v", e)
		}
		if _, mfa, _ := a.svc.Login(ctx, "editor@example.org", "a long enough password", "192.0.2.9", ""); mfa {
			t.Error("login still asks for a code")
		}
		u, _ = a.svc.ByEmail(ctx, "editor@example.org")
		if _, err := a.svc.PendingTOTP(u); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("pending setup after disabling: %v", err)
		}
	})
}
