package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
)

// accountsState is what the users pages can change: every account and
// the audit log, to check that a refused request changed nothing.
type accountsState struct {
	Accounts []string
	Audit    int
}

func accountsStateOf(t *testing.T, s *apptest.Site) accountsState {
	t.Helper()
	ctx := context.Background()
	list, err := s.App.Users.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var st accountsState
	for _, u := range list {
		st.Accounts = append(st.Accounts, strings.Join([]string{u.Email, u.Name, string(u.Role),
			strconv.FormatBool(u.Disabled), strconv.FormatBool(u.TOTPEnabled), u.PasswordHash}, " "))
	}
	entries, err := storage.NewAuditStore(s.App.DB).AuditEntries(ctx, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	st.Audit = len(entries)
	return st
}

// newestAudit returns the newest entry of the site's audit log.
func newestUserAudit(t *testing.T, s *apptest.Site) audit.Entry {
	t.Helper()
	entries, err := storage.NewAuditStore(s.App.DB).AuditEntries(context.Background(), 0, 1)
	if err != nil || len(entries) == 0 {
		t.Fatalf("audit log: %v", err)
	}
	return entries[0]
}

func accountByEmail(t *testing.T, s *apptest.Site, email string) *users.User {
	t.Helper()
	u, err := s.App.Users.ByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("account %s: %v", email, err)
	}
	return u
}

// TestUsersAccess sends every request of the users pages as every role:
// admins are served, other roles refused with 403, visitors sent to the
// login page (GET) or refused with 401 (POST), and a refused request
// changes nothing.
func TestUsersAccess(t *testing.T) {
	s := newSite(t, apptest.Options{})
	target := accountByEmail(t, s, "contributor@example.org")
	id := strconv.FormatInt(target.ID, 10)
	routes := []struct {
		name, method, path string
		form               url.Values
		// admin is the status an admin gets.
		admin int
	}{
		{"List", http.MethodGet, "/admin/users", nil, http.StatusOK},
		{"Show", http.MethodGet, "/admin/users/" + id, nil, http.StatusOK},
		{"Create", http.MethodPost, "/admin/users", url.Values{"name": {"Nouvelle"}, "email": {"new@example.org"},
			"role": {"admin"}, "mode": {"password"}, "password": {testPassword}}, http.StatusSeeOther},
		{"Role", http.MethodPost, "/admin/users/" + id + "/role", url.Values{"role": {"admin"}}, http.StatusSeeOther},
		{"Disable", http.MethodPost, "/admin/users/" + id + "/disable", url.Values{}, http.StatusSeeOther},
		{"Enable", http.MethodPost, "/admin/users/" + id + "/enable", url.Values{}, http.StatusSeeOther},
		{"Reset", http.MethodPost, "/admin/users/" + id + "/reset", url.Values{}, http.StatusSeeOther},
	}
	roles := []users.Role{"", users.RoleContributor, users.RoleAuthor, users.RoleEditor, users.RoleAdmin}
	for _, role := range roles {
		var b *browser
		name := string(role)
		if role == "" {
			b, name = visitor(t, s), "visitor"
		} else {
			b = as(t, s, role)
		}
		for _, rt := range routes {
			t.Run(name+"/"+rt.name, func(t *testing.T) {
				before := accountsStateOf(t, s)
				var resp *http.Response
				var body string
				if rt.method == http.MethodGet {
					resp, body = b.get(rt.path)
				} else {
					resp, body = b.post(rt.path, rt.form)
				}
				switch {
				case role == users.RoleAdmin:
					mustStatus(t, rt.name, resp, body, rt.admin)
					return
				case role != "":
					mustStatus(t, rt.name, resp, body, http.StatusForbidden)
				case rt.method == http.MethodGet:
					mustStatus(t, rt.name, resp, body, http.StatusSeeOther)
					if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/login?next=") {
						t.Errorf("visitor sent to %q", loc)
					}
				default:
					mustStatus(t, rt.name, resp, body, http.StatusUnauthorized)
				}
				if diff := cmp.Diff(before, accountsStateOf(t, s)); diff != "" {
					t.Errorf("a refused request changed something (-before +after):\n%s", diff)
				}
			})
		}
	}
	// The admin's requests did what they said.
	if u := accountByEmail(t, s, "new@example.org"); u.Role != users.RoleAdmin || u.Invited() {
		t.Errorf("created account = %+v", u)
	}
	if u := accountByEmail(t, s, "contributor@example.org"); u.Role != users.RoleAdmin || u.Disabled {
		t.Errorf("changed account = %+v", u)
	}
}

func TestUsersCreate(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	tests := []struct {
		name  string
		form  url.Values
		field string // the input whose message is shown
	}{
		{"ErrEmailTaken", url.Values{"name": {"Doublon"}, "email": {"Editor@example.org"}, "role": {"author"}, "mode": {"invite"}}, "#new-email"},
		{"ErrBadEmail", url.Values{"name": {"Doublon"}, "email": {"pas une adresse"}, "role": {"author"}, "mode": {"invite"}}, "#new-email"},
		{"ErrNoName", url.Values{"name": {""}, "email": {"nom@example.org"}, "role": {"author"}, "mode": {"invite"}}, "#new-name"},
		{"ErrBadRole", url.Values{"name": {"Chef"}, "email": {"chef@example.org"}, "role": {"owner"}, "mode": {"invite"}}, "#new-role"},
		{"ErrShortPassword", url.Values{"name": {"Court"}, "email": {"court@example.org"}, "role": {"author"}, "mode": {"password"}, "password": {"court"}}, "#new-password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := accountsStateOf(t, s)
			resp, body := b.post("/admin/users", tt.form)
			mustStatus(t, "create", resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			field := d.Find(tt.field)
			if field.AttrOr("aria-invalid", "") != "true" {
				t.Errorf("%s is not marked invalid", tt.field)
			}
			msg := d.Find("#" + field.AttrOr("aria-describedby", "none"))
			if !msg.HasClass("field-error") || strings.TrimSpace(msg.Text()) == "" {
				t.Errorf("no message next to %s", tt.field)
			}
			if got := d.Find("#new-email").AttrOr("value", ""); got != tt.form.Get("email") {
				t.Errorf("typed email not kept: %q", got)
			}
			if d.Find("#new-password").AttrOr("value", "") != "" {
				t.Error("the password is sent back to the browser")
			}
			if diff := cmp.Diff(before, accountsStateOf(t, s)); diff != "" {
				t.Errorf("a refused creation changed something:\n%s", diff)
			}
		})
	}
	t.Run("OKPassword", func(t *testing.T) {
		resp, body := b.post("/admin/users", url.Values{"name": {"Léa Martin"}, "email": {"Lea@Example.org"}, "role": {"editor"},
			"mode": {"password"}, "password": {testPassword}})
		mustStatus(t, "create", resp, body, http.StatusSeeOther)
		u := accountByEmail(t, s, "lea@example.org")
		if want := "/admin/users/" + strconv.FormatInt(u.ID, 10) + "?done=created"; resp.Header.Get("Location") != want {
			t.Errorf("sent to %q, want %q", resp.Header.Get("Location"), want)
		}
		if e := newestUserAudit(t, s); e.Action != audit.ActionUserCreate || e.UserID != b.user.ID || e.TargetID != u.ID || e.IP == "" {
			t.Errorf("audit entry = %+v", e)
		}
		lea := visitor(t, s)
		resp, body = lea.post("/admin/login", url.Values{"email": {"lea@example.org"}, "password": {testPassword}})
		mustStatus(t, "new account logs in", resp, body, http.StatusSeeOther)
		_, body = b.get("/admin/users")
		if !strings.Contains(body, "lea@example.org") {
			t.Error("the list lacks the new account")
		}
	})
	t.Run("OKInvite", func(t *testing.T) {
		resp, body := b.post("/admin/users", url.Values{"name": {"Invitée"}, "email": {"invitee@example.org"}, "role": {"contributor"},
			"mode": {"invite"}, "password": {"ignored because invited"}})
		mustStatus(t, "invite", resp, body, http.StatusSeeOther)
		if !strings.HasSuffix(resp.Header.Get("Location"), "?done=mailed") {
			t.Errorf("sent to %q", resp.Header.Get("Location"))
		}
		u := accountByEmail(t, s, "invitee@example.org")
		if !u.Invited() {
			t.Error("an invited account has a password")
		}
		_, body = b.get(resp.Header.Get("Location"))
		d := parse(t, body)
		if d.Find(".flash.ok").Length() != 1 || d.Find(`form[action$="/reset"]`).Length() != 1 || d.Find(".status.pending").Length() == 0 {
			t.Errorf("user page after an invitation:\n%.2000s", body)
		}
	})
}

func TestUsersSelfRules(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	me := strconv.FormatInt(b.user.ID, 10)
	tests := []struct {
		name, path string
		form       url.Values
		sel        string // where the message shows
	}{
		{"ErrSelfDemote", "/admin/users/" + me + "/role", url.Values{"role": {"editor"}}, "#role-error"},
		{"ErrSelfDisable", "/admin/users/" + me + "/disable", url.Values{}, ".form-error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := accountsStateOf(t, s)
			resp, body := b.post(tt.path, tt.form)
			mustStatus(t, tt.name, resp, body, http.StatusUnprocessableEntity)
			if msg := parse(t, body).Find(tt.sel); strings.TrimSpace(msg.Text()) == "" {
				t.Errorf("no message at %s", tt.sel)
			}
			if diff := cmp.Diff(before, accountsStateOf(t, s)); diff != "" {
				t.Errorf("a refused change went through:\n%s", diff)
			}
		})
	}
	// Another admin may be demoted: one admin remains.
	other := accountByEmail(t, s, s.Demo.AdminEmail)
	resp, body := b.post("/admin/users/"+strconv.FormatInt(other.ID, 10)+"/role", url.Values{"role": {"editor"}})
	mustStatus(t, "demote the other admin", resp, body, http.StatusSeeOther)
	if e := newestUserAudit(t, s); e.Action != audit.ActionUserRole || e.TargetID != other.ID || e.UserID != b.user.ID {
		t.Errorf("audit entry = %+v", e)
	}
}

func TestUsersDisable(t *testing.T) {
	s := newSite(t, apptest.Options{})
	admin := as(t, s, users.RoleAdmin)
	author := as(t, s, users.RoleAuthor)
	id := strconv.FormatInt(author.user.ID, 10)
	resp, body := admin.post("/admin/users/"+id+"/disable", url.Values{})
	mustStatus(t, "disable", resp, body, http.StatusSeeOther)
	if e := newestUserAudit(t, s); e.Action != audit.ActionUserDisable || e.TargetID != author.user.ID {
		t.Errorf("audit entry = %+v", e)
	}
	// The open session stops working at once.
	resp, body = author.get("/admin/articles")
	mustStatus(t, "session of a disabled account", resp, body, http.StatusSeeOther)
	resp, body = author.post("/admin/account/sessions/revoke", url.Values{})
	mustStatus(t, "post from a disabled account", resp, body, http.StatusUnauthorized)
	resp, body = visitor(t, s).post("/admin/login", url.Values{"email": {"author@example.org"}, "password": {testPassword}})
	mustStatus(t, "login of a disabled account", resp, body, http.StatusUnauthorized)
	_, body = admin.get("/admin/users")
	if !strings.Contains(parse(t, body).Find("tr.disabled").Text(), "author@example.org") {
		t.Error("the list does not show the account disabled")
	}

	resp, body = admin.post("/admin/users/"+id+"/enable", url.Values{})
	mustStatus(t, "enable", resp, body, http.StatusSeeOther)
	if e := newestUserAudit(t, s); e.Action != users.ActionUserEnable || e.TargetID != author.user.ID {
		t.Errorf("audit entry = %+v", e)
	}
	as(t, s, users.RoleAuthor)
}

// TestUsersCrossSite checks that a form posted from another site is
// refused before it does anything.
func TestUsersCrossSite(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	id := strconv.FormatInt(accountByEmail(t, s, "editor@example.org").ID, 10)
	for _, tt := range []struct {
		name, path string
		form       url.Values
	}{
		{"Create", "/admin/users", url.Values{"name": {"Pirate"}, "email": {"pirate@example.org"}, "role": {"admin"}, "mode": {"password"}, "password": {testPassword}}},
		{"Role", "/admin/users/" + id + "/role", url.Values{"role": {"admin"}}},
		{"Disable", "/admin/users/" + id + "/disable", url.Values{}},
		{"Password", "/admin/account/password", url.Values{"current": {testPassword}, "password": {"pirate pirate pirate"}, "confirm": {"pirate pirate pirate"}}},
		{"TOTPBegin", "/admin/account/totp/begin", url.Values{}},
		{"Revoke", "/admin/account/sessions/revoke", url.Values{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := accountsStateOf(t, s)
			resp, body := b.post(tt.path, tt.form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
			mustStatus(t, tt.name, resp, body, http.StatusForbidden)
			if diff := cmp.Diff(before, accountsStateOf(t, s)); diff != "" {
				t.Errorf("a cross-site post changed something:\n%s", diff)
			}
		})
	}
	resp, body := b.get("/admin/account")
	mustStatus(t, "session still open", resp, body, http.StatusOK)
}
