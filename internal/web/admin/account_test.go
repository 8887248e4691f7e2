package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pquerna/otp/totp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/users"
)

// mustInvalid checks that the page marks the field sel invalid and shows
// a message next to it, that the field's aria-describedby points to.
func mustInvalid(t *testing.T, body, sel string) {
	t.Helper()
	d := parse(t, body)
	field := d.Find(sel)
	if field.Length() != 1 || field.AttrOr("aria-invalid", "") != "true" {
		t.Fatalf("%s is not marked invalid", sel)
	}
	for id := range strings.FieldsSeq(field.AttrOr("aria-describedby", "")) {
		if msg := d.Find("#" + id); msg.HasClass("field-error") && strings.TrimSpace(msg.Text()) != "" {
			return
		}
	}
	t.Errorf("no message next to %s", sel)
}

func TestAccountPage(t *testing.T) {
	s := newSite(t, apptest.Options{})
	for _, r := range []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		t.Run(string(r), func(t *testing.T) {
			b := as(t, s, r)
			resp, body := b.get("/admin/account")
			mustStatus(t, "account", resp, body, http.StatusOK)
			d := parse(t, body)
			if got := d.Find("#profile-email").AttrOr("value", ""); got != string(r)+"@example.org" {
				t.Errorf("profile email = %q", got)
			}
			if d.Find(`form[action="/admin/account/password"]`).Length() != 1 || d.Find(`form[action="/admin/account/totp/begin"]`).Length() != 1 {
				t.Error("password or two-factor form missing")
			}
			if d.Find("table.sessions tr.current").Length() != 1 {
				t.Error("this session is not marked")
			}
		})
	}
	t.Run("ErrVisitor", func(t *testing.T) {
		resp, body := visitor(t, s).get("/admin/account")
		mustStatus(t, "visitor", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/admin/login?next=/admin/account" {
			t.Errorf("visitor sent to %q", loc)
		}
	})
}

func TestAccountProfile(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAuthor)
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"ErrNoName", url.Values{"name": {" "}, "email": {"author@example.org"}}, "#profile-name"},
		{"ErrEmailTaken", url.Values{"name": {"Test author"}, "email": {"editor@example.org"}, "current": {testPassword}}, "#profile-email"},
		{"ErrEmailWithoutPassword", url.Values{"name": {"Test author"}, "email": {"moi@example.org"}}, "#profile-current"},
		{"ErrEmailWrongPassword", url.Values{"name": {"Test author"}, "email": {"moi@example.org"}, "current": {"pas mon mot de passe"}}, "#profile-current"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := accountsStateOf(t, s)
			resp, body := b.post("/admin/account/profile", tt.form)
			mustStatus(t, "profile", resp, body, http.StatusUnprocessableEntity)
			mustInvalid(t, body, tt.field)
			if got := parse(t, body).Find("#profile-email").AttrOr("value", ""); got != tt.form.Get("email") {
				t.Errorf("typed email not kept: %q", got)
			}
			if parse(t, body).Find("#password-current[aria-invalid]").Length() != 0 {
				t.Error("the message shows in the password form too")
			}
			if diff := cmp.Diff(before, accountsStateOf(t, s)); diff != "" {
				t.Errorf("a refused change went through:\n%s", diff)
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		resp, body := b.post("/admin/account/profile", url.Values{"name": {"Anne Autrice"}, "email": {"Anne@Example.org"}, "current": {testPassword}})
		mustStatus(t, "profile", resp, body, http.StatusSeeOther)
		u := accountByEmail(t, s, "anne@example.org")
		if u.Name != "Anne Autrice" || u.ID != b.user.ID {
			t.Errorf("account = %+v", u)
		}
		if e := newestUserAudit(t, s); e.Action != users.ActionUserUpdate || e.TargetID != u.ID || e.UserID != u.ID {
			t.Errorf("audit entry = %+v", e)
		}
		_, body = b.get("/admin/account?done=saved")
		if got := parse(t, body).Find(".bar .me a").First().Text(); got != "Anne Autrice" {
			t.Errorf("menu shows %q", got)
		}
	})
}

func TestAccountPassword(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleEditor)
	other := as(t, s, users.RoleEditor)
	const next = "un tout nouveau mot de passe"
	tests := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"ErrWrongCurrent", url.Values{"current": {"pas le bon mot de passe"}, "password": {next}, "confirm": {next}}, "#password-current"},
		{"ErrMismatch", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next + "!"}}, "#password-confirm"},
		{"ErrShort", url.Values{"current": {testPassword}, "password": {"court"}, "confirm": {"court"}}, "#password-new"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := accountsStateOf(t, s)
			resp, body := b.post("/admin/account/password", tt.form)
			mustStatus(t, "password", resp, body, http.StatusUnprocessableEntity)
			mustInvalid(t, body, tt.field)
			for _, sel := range []string{"#password-current", "#password-new", "#password-confirm"} {
				if parse(t, body).Find(sel).AttrOr("value", "") != "" {
					t.Errorf("%s sent back", sel)
				}
			}
			if diff := cmp.Diff(before, accountsStateOf(t, s)); diff != "" {
				t.Errorf("a refused change went through:\n%s", diff)
			}
			resp, body = other.get("/admin/")
			mustStatus(t, "other session after a refused change", resp, body, http.StatusOK)
		})
	}
	t.Run("OK", func(t *testing.T) {
		resp, body := b.post("/admin/account/password", url.Values{"current": {testPassword}, "password": {next}, "confirm": {next}})
		mustStatus(t, "password", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/admin/account?done=password" {
			t.Errorf("sent to %q", loc)
		}
		if e := newestUserAudit(t, s); e.Action != users.ActionUserPassword || e.TargetID != b.user.ID {
			t.Errorf("audit entry = %+v", e)
		}
		resp, body = b.get("/admin/account")
		mustStatus(t, "this session", resp, body, http.StatusOK)
		resp, body = other.get("/admin/")
		mustStatus(t, "the other session", resp, body, http.StatusSeeOther)
		resp, body = visitor(t, s).post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {testPassword}})
		mustStatus(t, "old password", resp, body, http.StatusUnauthorized)
		resp, body = visitor(t, s).post("/admin/login", url.Values{"email": {"editor@example.org"}, "password": {next}})
		mustStatus(t, "new password", resp, body, http.StatusSeeOther)
	})
}

func TestAccountTOTP(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleContributor)
	resp, body := b.post("/admin/account/totp/begin", url.Values{})
	mustStatus(t, "begin", resp, body, http.StatusSeeOther)
	resp, body = b.get("/admin/account")
	mustStatus(t, "setup page", resp, body, http.StatusOK)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https: data:") {
		t.Errorf("the policy does not allow the QR code's data: image: %q", csp)
	}
	d := parse(t, body)
	if src := d.Find("img.qr").AttrOr("src", ""); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Errorf("QR code src = %.60q", src)
	}
	secret := strings.ReplaceAll(d.Find(".totp-secret").Text(), " ", "")
	if len(secret) != 32 {
		t.Fatalf("secret written out = %q", secret)
	}
	if d.Find(`form[action="/admin/account/totp/enable"] input[name="secret"]`).Length() != 0 {
		t.Error("the secret travels in the form")
	}

	// A secret of the browser's choosing is ignored: only the stored one counts.
	forged, err := totp.Generate(totp.GenerateOpts{Issuer: "x", AccountName: "x"})
	if err != nil {
		t.Fatal(err)
	}
	forgedCode, _ := totp.GenerateCode(forged.Secret(), time.Now())
	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"ErrWrongCode", url.Values{"code": {"000000"}}},
		{"ErrForgedSecret", url.Values{"code": {forgedCode}, "secret": {forged.Secret()}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.post("/admin/account/totp/enable", tt.form)
			mustStatus(t, "enable", resp, body, http.StatusUnprocessableEntity)
			mustInvalid(t, body, "#totp-code")
			if accountByEmail(t, s, "contributor@example.org").TOTPEnabled {
				t.Fatal("enabled with a wrong code")
			}
		})
	}

	code, err := totp.GenerateCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, body = b.post("/admin/account/totp/enable", url.Values{"code": {code}})
	mustStatus(t, "enable", resp, body, http.StatusSeeOther)
	if !accountByEmail(t, s, "contributor@example.org").TOTPEnabled {
		t.Fatal("not enabled")
	}
	if e := newestUserAudit(t, s); e.Action != audit.ActionTOTPEnabled || e.TargetID != b.user.ID {
		t.Errorf("audit entry = %+v", e)
	}
	resp, body = b.post("/admin/account/totp/begin", url.Values{})
	mustStatus(t, "begin again while on", resp, body, http.StatusUnprocessableEntity)
	if !accountByEmail(t, s, "contributor@example.org").TOTPEnabled {
		t.Fatal("a new setup turned the second factor off")
	}

	// Logging in now takes the code.
	v := visitor(t, s)
	resp, body = v.post("/admin/login", url.Values{"email": {"contributor@example.org"}, "password": {testPassword}, "next": {"/admin/articles"}})
	mustStatus(t, "password", resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login/code") {
		t.Fatalf("sent to %q, not to the code", loc)
	}
	resp, body = v.get("/admin/")
	mustStatus(t, "before the code", resp, body, http.StatusSeeOther)
	resp, body = v.post("/admin/login/code", url.Values{"code": {"000000"}})
	mustStatus(t, "wrong code", resp, body, http.StatusUnprocessableEntity)
	code, _ = totp.GenerateCode(secret, time.Now())
	resp, body = v.post("/admin/login/code", url.Values{"code": {code}, "next": {"/admin/articles"}})
	mustStatus(t, "code", resp, body, http.StatusSeeOther)
	resp, body = v.get("/admin/articles")
	mustStatus(t, "after the code", resp, body, http.StatusOK)

	// Turning it off takes the password.
	resp, body = b.post("/admin/account/totp/disable", url.Values{"current": {"pas le mot de passe"}})
	mustStatus(t, "disable, wrong password", resp, body, http.StatusUnprocessableEntity)
	mustInvalid(t, body, "#totp-current")
	resp, body = b.post("/admin/account/totp/disable", url.Values{"current": {testPassword}})
	mustStatus(t, "disable", resp, body, http.StatusSeeOther)
	if accountByEmail(t, s, "contributor@example.org").TOTPEnabled {
		t.Error("still enabled")
	}
}

func TestAccountSessions(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAuthor)
	phone := visitor(t, s)
	ua := "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36"
	resp, body := phone.post("/admin/login", url.Values{"email": {"author@example.org"}, "password": {testPassword}}, "User-Agent", ua)
	mustStatus(t, "login on the phone", resp, body, http.StatusSeeOther)

	_, body = b.get("/admin/account")
	d := parse(t, body)
	if n := d.Find("table.sessions tbody tr").Length(); n != 2 {
		t.Fatalf("%d sessions listed, want 2", n)
	}
	if !strings.Contains(d.Find("table.sessions").Text(), "Chrome sur Android") {
		t.Errorf("the phone's browser is not named:\n%s", d.Find("table.sessions").Text())
	}
	if d.Find("table.sessions tr.current").Length() != 1 {
		t.Error("this session is not marked")
	}

	resp, body = b.post("/admin/account/sessions/revoke", url.Values{})
	mustStatus(t, "revoke", resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/account?done=revoked" {
		t.Errorf("sent to %q", loc)
	}
	resp, body = phone.get("/admin/")
	mustStatus(t, "revoked session", resp, body, http.StatusSeeOther)
	resp, body = b.get("/admin/account")
	mustStatus(t, "this session", resp, body, http.StatusOK)
	if n := parse(t, body).Find("table.sessions tbody tr").Length(); n != 1 {
		t.Errorf("%d sessions listed after revoking, want 1", n)
	}
	if e := newestUserAudit(t, s); e.Action != users.ActionSessionsRevoked || e.TargetID != b.user.ID {
		t.Errorf("audit entry = %+v", e)
	}
}
