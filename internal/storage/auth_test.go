package storage_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

func authEnv(t *testing.T, dsn string) (*env, *users.Service, *users.User, *[]job.Email) {
	t.Helper()
	e := newEnv(t, dsn)
	var sent []job.Email
	svc := users.NewService(storage.NewUserStore(e.db), storage.NewAuthStore(e.db), e.clock, users.AuthOptions{
		Issuer: "Le Veilleur", PasswordCost: users.TestPasswordCost(),
		ResetEmail: func(u *users.User, token string) job.Email {
			m := job.Email{To: []string{u.Email}, Subject: "reset", Text: "https://example.org/admin/reset?token=" + token}
			sent = append(sent, m)
			return m
		},
	})
	u, err := svc.Create(context.Background(), users.NewUser{Email: "claire@example.org", Name: "Claire", Role: users.RoleAuthor, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return e, svc, u, &sent
}

func TestLoginAndSessions(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e, svc, u, _ := authEnv(t, dsn)
		ctx := context.Background()
		_, _, errWrong := svc.Login(ctx, "claire@example.org", "wrong password!", "192.0.2.7", "test")
		_, _, errUnknown := svc.Login(ctx, "nobody@example.org", "wrong password!", "192.0.2.7", "test")
		if !apperr.Is(errWrong, apperr.Unauthorized) || errWrong.Error() != errUnknown.Error() {
			t.Errorf("wrong password %v / unknown account %v: must read the same", errWrong, errUnknown)
		}
		token, pending, err := svc.Login(ctx, "CLAIRE@example.org", "correct horse battery", "192.0.2.7", "test")
		if err != nil || pending || token == "" {
			t.Fatalf("login: %q %v %v", token, pending, err)
		}
		got, _, err := svc.Authenticate(ctx, token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("authenticate: %v %v", got, err)
		}
		if _, _, err := svc.Authenticate(ctx, token+"x"); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("forged token: err = %v", err)
		}
		// A session used stays alive; unused past its lifetime it dies.
		e.clock.Advance(users.SessionLifetime - time.Hour)
		if _, _, err := svc.Authenticate(ctx, token); err != nil {
			t.Fatalf("session used within its lifetime: %v", err)
		}
		e.clock.Advance(users.SessionLifetime - time.Minute)
		if _, _, err := svc.Authenticate(ctx, token); err != nil {
			t.Fatalf("session extended by use: %v", err)
		}
		e.clock.Advance(users.SessionLifetime + time.Minute)
		if _, _, err := svc.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("expired session: err = %v", err)
		}
		token, _, _ = svc.Login(ctx, "claire@example.org", "correct horse battery", "192.0.2.7", "test")
		if err := svc.Logout(ctx, token, "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("session after logout: err = %v", err)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e, svc, _, _ := authEnv(t, dsn)
		ctx := context.Background()
		for i := range users.MaxFailures {
			if _, _, err := svc.Login(ctx, "claire@example.org", "nope nope nope", "198.51.100.1", ""); !apperr.Is(err, apperr.Unauthorized) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		// The account is locked, from any address, even with the right password.
		_, _, err := svc.Login(ctx, "claire@example.org", "correct horse battery", "203.0.113.9", "")
		if !apperr.Is(err, apperr.Throttled) {
			t.Fatalf("after %d failures: err = %v, want Throttled", users.MaxFailures, err)
		}
		key, args := apperr.Message(err)
		if key != "error.login.throttled" || args[0] != 15 {
			t.Errorf("message %s %v", key, args)
		}
		// The address is locked too, for other accounts.
		if _, _, err := svc.Login(ctx, "other@example.org", "whatever whatever", "198.51.100.1", ""); !apperr.Is(err, apperr.Throttled) {
			t.Errorf("same address, other account: err = %v", err)
		}
		// IPv6 neighbours in the same /64 share the lock.
		for range users.MaxFailures {
			_, _, _ = svc.Login(ctx, "x@example.org", "nope nope nope", "2001:db8::1", "")
		}
		if _, _, err := svc.Login(ctx, "y@example.org", "nope nope nope", "2001:db8::ffff", ""); !apperr.Is(err, apperr.Throttled) {
			t.Errorf("same /64: err = %v", err)
		}
		e.clock.Advance(users.LockDuration + time.Minute)
		if _, _, err := svc.Login(ctx, "claire@example.org", "correct horse battery", "203.0.113.9", ""); err != nil {
			t.Errorf("after the lock: %v", err)
		}
	})
}

func TestPasswordResetAndTOTP(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e, svc, u, sent := authEnv(t, dsn)
		ctx := context.Background()
		old, _, _ := svc.Login(ctx, "claire@example.org", "correct horse battery", "192.0.2.7", "")
		if err := svc.RequestPasswordReset(ctx, "nobody@example.org", "192.0.2.7"); err != nil || len(*sent) != 0 {
			t.Fatalf("reset for an unknown address: %v, %d mails", err, len(*sent))
		}
		if err := svc.RequestPasswordReset(ctx, "claire@example.org", "192.0.2.7"); err != nil || len(*sent) != 1 {
			t.Fatalf("reset: %v, %d mails", err, len(*sent))
		}
		n, err := e.db.CountJobs(ctx, job.Email{}.Kind())
		if err != nil || n != 1 {
			t.Errorf("mail jobs = %d, %v", n, err)
		}
		token := (*sent)[0].Text[strings.Index((*sent)[0].Text, "token=")+6:]
		if err := svc.ResetPassword(ctx, token, "short", "192.0.2.7"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("short password: %v", err)
		}
		if err := svc.ResetPassword(ctx, token, "a brand new password", "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		if err := svc.ResetPassword(ctx, token, "a second new password", "192.0.2.7"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("link used twice: %v", err)
		}
		if _, _, err := svc.Authenticate(ctx, old); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("old session survived the reset: %v", err)
		}
		_ = svc.RequestPasswordReset(ctx, "claire@example.org", "192.0.2.7")
		late := (*sent)[1].Text[strings.Index((*sent)[1].Text, "token=")+6:]
		e.clock.Advance(users.ResetLifetime + time.Minute)
		if err := svc.ResetPassword(ctx, late, "yet another password", "192.0.2.7"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("expired link: %v", err)
		}

		// Second factor.
		me := users.Actor{UserID: u.ID, Name: u.Name, Role: u.Role}
		setup, err := svc.BeginTOTP(ctx, me)
		if err != nil || len(setup.QRPNG) == 0 || !strings.HasPrefix(setup.URL, "otpauth://totp/") {
			t.Fatalf("begin totp: %+v %v", setup, err)
		}
		if err := svc.EnableTOTP(ctx, me, "000000"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("wrong code enables: %v", err)
		}
		code, _ := totp.GenerateCode(setup.Secret, e.clock.Now())
		if err := svc.EnableTOTP(ctx, me, code); err != nil {
			t.Fatal(err)
		}
		token, pending, err := svc.Login(ctx, "claire@example.org", "a brand new password", "192.0.2.7", "")
		if err != nil || !pending {
			t.Fatalf("login with totp: pending=%v %v", pending, err)
		}
		if _, _, err := svc.Authenticate(ctx, token); !apperr.Is(err, apperr.Unauthorized) {
			t.Error("a session awaiting its second factor is usable")
		}
		if err := svc.VerifyTOTP(ctx, token, "123456", "192.0.2.7"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("wrong code: %v", err)
		}
		code, _ = totp.GenerateCode(setup.Secret, e.clock.Now())
		if err := svc.VerifyTOTP(ctx, token, code, "192.0.2.7"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Authenticate(ctx, token); err != nil {
			t.Errorf("after the second factor: %v", err)
		}
	})
}
