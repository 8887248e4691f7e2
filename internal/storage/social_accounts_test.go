package storage_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/secretbox"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/users"
)

// tokenChecker accepts one token, as a network's « who am I » would.
type tokenChecker struct{ token string }

func (c tokenChecker) Verify(_ context.Context, creds syndication.Credentials) (syndication.Profile, error) {
	if creds.Secrets["access_token"] != c.token {
		return syndication.Profile{}, &syndication.Error{Class: syndication.Auth, Status: 401, Message: "The access token is invalid"}
	}
	return syndication.Profile{Name: "Le Veilleur", URL: creds.Config["instance"] + "/@veilleur"}, nil
}

func (tokenChecker) Publish(context.Context, syndication.Credentials, syndication.Attempt) (syndication.Remote, error) {
	return syndication.Remote{}, errors.New("not in this test")
}

func (tokenChecker) Delete(context.Context, syndication.Credentials, syndication.Remote) error {
	return syndication.ErrNotSupported
}

func TestSocialAccounts(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		db := storagetest.MustOpen(t, dsn, nil)
		box, err := secretbox.New(bytes.Repeat([]byte{3}, secretbox.KeySize))
		if err != nil {
			t.Fatal(err)
		}
		store := storage.NewSocialStore(db)
		svc := syndication.NewService(syndication.Deps{Store: store, Sealer: box, Clock: clock.NewFixed(epoch),
			Publishers: map[syndication.Network]syndication.Publisher{syndication.Mastodon: tokenChecker{"tok-good"}}})
		in := syndication.AccountInput{Network: syndication.Mastodon, Name: "Mastodon du Veilleur",
			Config:   map[string]string{"instance": "https://mastodon.example"},
			Secrets:  map[string]string{"access_token": "tok-bad"},
			Template: syndication.DefaultTemplate, Rules: syndication.DefaultRules(), Enabled: true}

		// The network refuses the token: nothing is saved, and the form
		// shows the network's words.
		_, err = svc.SaveAccount(ctx, admin, 0, in)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Key != "error.syndication.verify_refused" || ae.Args[0] != "The access token is invalid" {
			t.Fatalf("bad token: err = %v", err)
		}
		if list, _ := svc.Accounts(ctx); len(list) != 0 {
			t.Fatalf("a refused account was saved: %+v", list)
		}
		for name, bad := range map[string]func(*syndication.AccountInput){
			"unknown placeholder": func(in *syndication.AccountInput) { in.Template = "{TITRE}" },
			"no instance":         func(in *syndication.AccountInput) { in.Config = map[string]string{} },
			"not an address":      func(in *syndication.AccountInput) { in.Config = map[string]string{"instance": "mastodon"} },
			"no name":             func(in *syndication.AccountInput) { in.Name = " " },
			"unknown network":     func(in *syndication.AccountInput) { in.Network = "myspace" },
			"bad rules":           func(in *syndication.AccountInput) { in.Rules.Match = "some" },
		} {
			b := in
			b.Secrets = map[string]string{"access_token": "tok-good"}
			bad(&b)
			if _, err := svc.SaveAccount(ctx, admin, 0, b); apperr.KindOf(err) != apperr.Invalid {
				t.Errorf("%s: err = %v, want Invalid", name, err)
			}
		}

		in.Secrets["access_token"] = "tok-good"
		a, err := svc.SaveAccount(ctx, admin, 0, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Profile.Name != "Le Veilleur" {
			t.Fatalf("saved = %+v", a)
		}
		// The token is sealed: not in the row in clear.
		_, sealed, err := store.Account(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(sealed, []byte("tok-good")) || len(sealed) == 0 {
			t.Fatalf("secrets stored in clear or not at all: %q", sealed)
		}
		// Editing without retyping the token keeps it.
		in.Name, in.Secrets = "Mastodon", map[string]string{"access_token": ""}
		if _, err := svc.SaveAccount(ctx, admin, a.ID, in); err != nil {
			t.Fatalf("save without the token again: %v", err)
		}
		got, set, err := svc.Account(ctx, a.ID)
		if err != nil || got.Name != "Mastodon" || !set["access_token"] || got.Config["instance"] != "https://mastodon.example" {
			t.Fatalf("Account = %+v, %v, %v", got, set, err)
		}
		// A rotated secret is stored and used next time.
		_, creds, err := svc.Credentials(ctx, a.ID)
		if err != nil || creds.Secrets["access_token"] != "tok-good" {
			t.Fatalf("Credentials = %+v, %v", creds.Secrets, err)
		}
		if err := creds.Rotate(ctx, map[string]string{"access_token": "tok-new"}); err != nil {
			t.Fatal(err)
		}
		if _, creds, _ = svc.Credentials(ctx, a.ID); creds.Secrets["access_token"] != "tok-new" {
			t.Fatalf("rotated token not stored: %q", creds.Secrets["access_token"])
		}
		// The check now fails (the checker wants tok-good): the account is
		// flagged.
		if _, err := svc.VerifyAccount(ctx, a.ID); err == nil {
			t.Fatal("verify passed with a token the network refuses")
		}
		if got, _, _ := svc.Account(ctx, a.ID); !got.Failing || got.LastError == "" {
			t.Errorf("account not flagged: %+v", got)
		}
		// Secrets sealed for one account do not open for another.
		b, err := svc.SaveAccount(ctx, admin, 0, syndication.AccountInput{Network: syndication.Mastodon, Name: "Second",
			Config: map[string]string{"instance": "https://mastodon.example"}, Secrets: map[string]string{"access_token": "tok-good"},
			Template: "{POST_TITLE} {PERMALINK}", Rules: syndication.DefaultRules()})
		if err != nil {
			t.Fatal(err)
		}
		if err := store.SetSecrets(ctx, b.ID, sealed); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Credentials(ctx, b.ID); err == nil {
			t.Error("secrets moved from another account opened")
		}
		// A session the network handed out is kept across edits, and
		// dropped when the credentials change (here, the instance).
		c, err := svc.SaveAccount(ctx, admin, 0, syndication.AccountInput{Network: syndication.Mastodon, Name: "Third",
			Config: map[string]string{"instance": "https://mastodon.example"}, Secrets: map[string]string{"access_token": "tok-good"},
			Template: "{POST_TITLE} {PERMALINK}", Rules: syndication.DefaultRules()})
		if err != nil {
			t.Fatal(err)
		}
		_, creds, _ = svc.Credentials(ctx, c.ID)
		if err := creds.Rotate(ctx, map[string]string{"session": "s1"}); err != nil {
			t.Fatal(err)
		}
		third := syndication.AccountInput{Network: syndication.Mastodon, Name: "Third, renamed",
			Config: map[string]string{"instance": "https://mastodon.example"}, Template: "{POST_TITLE} {PERMALINK}", Rules: syndication.DefaultRules()}
		if _, err := svc.SaveAccount(ctx, admin, c.ID, third); err != nil {
			t.Fatal(err)
		}
		if _, creds, _ = svc.Credentials(ctx, c.ID); creds.Secrets["session"] != "s1" {
			t.Errorf("a rename dropped the session: %v", creds.Secrets)
		}
		third.Config["instance"] = "https://piaille.example"
		if _, err := svc.SaveAccount(ctx, admin, c.ID, third); err != nil {
			t.Fatal(err)
		}
		if _, creds, _ = svc.Credentials(ctx, c.ID); creds.Secrets["session"] != "" || creds.Secrets["access_token"] != "tok-good" {
			t.Errorf("after a new instance: secrets %v", creds.Secrets)
		}

		// Only admins change accounts; every change is in the audit log.
		editor := admin
		editor.Role = users.RoleEditor
		if err := svc.DeleteAccount(ctx, editor, b.ID); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("an editor deleting an account: %v", err)
		}
		if _, err := svc.SaveAccount(ctx, editor, b.ID, in); apperr.KindOf(err) != apperr.Forbidden {
			t.Errorf("an editor saving an account: %v", err)
		}
		entries, err := storage.NewAuditStore(db).AuditEntries(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		saves := 0
		for _, e := range entries {
			if e.Action == syndication.ActionAccountSave && e.TargetType == "social_account" && e.UserName == "Claire Morel" {
				saves++
			}
		}
		if saves != 6 {
			t.Errorf("%d account saves in the audit log, want 6", saves)
		}
		if err := svc.DeleteAccount(ctx, admin, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.Account(ctx, b.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("deleted account: err = %v", err)
		}
		if err := svc.DeleteAccount(ctx, admin, b.ID); apperr.KindOf(err) != apperr.NotFound {
			t.Errorf("second delete: err = %v", err)
		}
	})
}
