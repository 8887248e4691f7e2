package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
)

// french returns the printer of the demo site's language, to compare
// pages with the catalogue rather than with copies of its texts.
func french(t *testing.T) *locale.Printer {
	t.Helper()
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Printer(locale.French)
}

// formValues returns what a browser would submit from the form sel of
// body, as it stands.
func formValues(t *testing.T, body, sel string) url.Values {
	t.Helper()
	form := parse(t, body).Find(sel)
	if form.Length() != 1 {
		t.Fatalf("no form %q in the page", sel)
	}
	v := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		switch s.AttrOr("type", "text") {
		case "radio", "checkbox":
			if _, ok := s.Attr("checked"); !ok {
				return
			}
		case "submit", "button":
			return
		}
		v.Add(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	form.Find("textarea[name]").Each(func(_ int, s *goquery.Selection) {
		v.Add(s.AttrOr("name", ""), s.Text())
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v.Add(s.AttrOr("name", ""), opt.AttrOr("value", opt.Text()))
	})
	return v
}

// settingsForm loads the settings page as b and returns its form.
func settingsForm(t *testing.T, b *browser) url.Values {
	t.Helper()
	resp, body := b.get("/admin/settings")
	mustStatus(t, "settings page", resp, body, http.StatusOK)
	return formValues(t, body, "form.settings")
}

// audited returns the audit log's entries of action about target id.
func audited(t *testing.T, s *apptest.Site, action string, id int64) []audit.Entry {
	t.Helper()
	entries, err := storage.NewAuditStore(s.App.DB).AuditEntries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, e := range entries {
		if e.Action == action && e.TargetID == id {
			out = append(out, e)
		}
	}
	return out
}

func auditCount(t *testing.T, s *apptest.Site) int {
	t.Helper()
	entries, err := storage.NewAuditStore(s.App.DB).AuditEntries(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == audit.ActionSettings {
			n++
		}
	}
	return n
}

// TestSettingsAccess tries every role on the settings and audit pages:
// only administrators get in, and a refused post changes nothing.
func TestSettingsAccess(t *testing.T) {
	s := newSite(t, apptest.Options{})
	tests := []struct {
		name   string
		role   users.Role // "" for a visitor
		method string
		path   string
		want   int
		// location is where a redirect goes.
		location string
	}{
		{"OKAdminGetSettings", users.RoleAdmin, http.MethodGet, "/admin/settings", http.StatusOK, ""},
		{"OKAdminPostSettings", users.RoleAdmin, http.MethodPost, "/admin/settings", http.StatusSeeOther, "/admin/settings?done=saved"},
		{"OKAdminGetAudit", users.RoleAdmin, http.MethodGet, "/admin/audit", http.StatusOK, ""},
		{"ErrEditorGetSettings", users.RoleEditor, http.MethodGet, "/admin/settings", http.StatusForbidden, ""},
		{"ErrEditorPostSettings", users.RoleEditor, http.MethodPost, "/admin/settings", http.StatusForbidden, ""},
		{"ErrEditorGetAudit", users.RoleEditor, http.MethodGet, "/admin/audit", http.StatusForbidden, ""},
		{"ErrAuthorGetSettings", users.RoleAuthor, http.MethodGet, "/admin/settings", http.StatusForbidden, ""},
		{"ErrAuthorPostSettings", users.RoleAuthor, http.MethodPost, "/admin/settings", http.StatusForbidden, ""},
		{"ErrAuthorGetAudit", users.RoleAuthor, http.MethodGet, "/admin/audit", http.StatusForbidden, ""},
		{"ErrContributorGetSettings", users.RoleContributor, http.MethodGet, "/admin/settings", http.StatusForbidden, ""},
		{"ErrContributorPostSettings", users.RoleContributor, http.MethodPost, "/admin/settings", http.StatusForbidden, ""},
		{"ErrContributorGetAudit", users.RoleContributor, http.MethodGet, "/admin/audit", http.StatusForbidden, ""},
		{"ErrVisitorGetSettings", "", http.MethodGet, "/admin/settings", http.StatusSeeOther, "/admin/login?next=/admin/settings"},
		{"ErrVisitorPostSettings", "", http.MethodPost, "/admin/settings", http.StatusUnauthorized, ""},
		{"ErrVisitorGetAudit", "", http.MethodGet, "/admin/audit", http.StatusSeeOther, "/admin/login?next=/admin/audit"},
	}
	// One session per role: logging in hashes a password, which is slow.
	browsers := map[users.Role]*browser{"": visitor(t, s)}
	for _, r := range []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		browsers[r] = as(t, s, r)
	}
	form := settingsForm(t, browsers[users.RoleAdmin])
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := browsers[tt.role]
			before := *s.App.Settings.Get()
			entries := auditCount(t, s)
			var resp *http.Response
			var body string
			if tt.method == http.MethodPost {
				f := url.Values{}
				for k, v := range form {
					f[k] = v
				}
				f.Set("title", "Repris par "+tt.name)
				resp, body = b.post(tt.path, f)
			} else {
				resp, body = b.get(tt.path)
			}
			mustStatus(t, tt.name, resp, body, tt.want)
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			if tt.want == http.StatusOK || tt.want == http.StatusSeeOther && tt.role != "" {
				return
			}
			if got := s.App.Settings.Get(); got.Title != before.Title || !got.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("refused request changed the settings: title %q", got.Title)
			}
			if got := auditCount(t, s); got != entries {
				t.Errorf("refused request recorded %d settings changes", got-entries)
			}
		})
	}
}

// TestSettingsSave changes the settings through the form and sees the
// change at once on the cached public site.
func TestSettingsSave(t *testing.T) {
	s := newSite(t, apptest.Options{})
	if s.App.Cache == nil {
		t.Fatal("the page cache is off")
	}
	p := french(t)
	// The home page is cached before the change.
	home := s.MustGet(t, "/", http.StatusOK)
	if again := s.MustGet(t, "/", http.StatusOK); again != home || s.App.Cache.Stats().Entries == 0 {
		t.Fatalf("home page not cached: %+v", s.App.Cache.Stats())
	}
	b := as(t, s, users.RoleAdmin)
	f := settingsForm(t, b)
	if got := f.Get("title"); got != "Le Veilleur" {
		t.Fatalf("form title = %q", got)
	}
	f.Set("title", "Le Guetteur")
	f.Set("footer_text", "Édité par l'**Association Le Veilleur**, Lyon.")
	f.Set("social_links.mastodon", "https://mastodon.social/@veilleur")
	f.Set("social_links.bluesky", "https://bsky.app/profile/veilleur.example")
	f.Set("social_links.instagram", "") // the demo's; emptied, it goes
	f.Set("comment_policy.moderation", "all")
	f.Set("comment_policy.close_after_days", "30")
	f.Set("timezone", "America/Martinique")
	f.Set("comment_policy.banned_words", "viagra\r\n\r\n  casino \r\nViagra")
	f.Set("comment_policy.banned_addresses", "Spam@Example.org\r\n198.51.100.0/24")
	f.Set("comment_policy.max_depth", "5")
	f.Set("comment_policy.notify", "each")
	resp, body := b.post("/admin/settings", f)
	mustStatus(t, "save settings", resp, body, http.StatusSeeOther)
	if got := resp.Header.Get("Location"); got != "/admin/settings?done=saved" {
		t.Errorf("Location = %q", got)
	}

	st := s.App.Settings.Get()
	if st.Title != "Le Guetteur" || st.Timezone != "America/Martinique" || st.CommentPolicy.Moderation != settings.ModerateAll ||
		st.CommentPolicy.CloseAfterDays != 30 || len(st.SocialLinks) != 2 {
		t.Errorf("saved settings = %+v", st)
	}
	if cp := st.CommentPolicy; !slices.Equal(cp.BannedWords, []string{"viagra", "casino"}) ||
		!slices.Equal(cp.BannedAddresses, []string{"spam@example.org", "198.51.100.0/24"}) || cp.MaxDepth != 5 || cp.Notify != settings.NotifyEach {
		t.Errorf("saved comment rules = %+v", cp)
	}
	if st.Appeal == "" || st.BookshopPromo == "" || st.Publisher == "" {
		t.Error("fields the form does not show were lost")
	}

	resp, body = b.get("/admin/settings?done=saved")
	mustStatus(t, "settings page after saving", resp, body, http.StatusOK)
	d := parse(t, body)
	if got := strings.TrimSpace(d.Find(".flash.ok").Text()); got != p.T("admin.flash.saved") {
		t.Errorf("flash = %q", got)
	}
	if got := d.Find("#title").AttrOr("value", ""); got != "Le Guetteur" {
		t.Errorf("title field = %q", got)
	}
	if got := d.Find("#timezone option[selected]").AttrOr("value", ""); got != "America/Martinique" {
		t.Errorf("selected zone = %q", got)
	}
	if d.Find(`input[name="comment_policy.moderation"][value="all"][checked]`).Length() != 1 {
		t.Error("moderation choice not checked")
	}

	// The public site shows the change at once, whatever it had cached.
	d = parse(t, s.MustGet(t, "/", http.StatusOK))
	if got := strings.TrimSpace(d.Find(".brand a").Text()); got != "Le Guetteur" {
		t.Errorf("home page brand = %q, want the new title", got)
	}
	if got := d.Find(".site-footer .footer-text strong").Text(); got != "Association Le Veilleur" {
		t.Errorf("footer text = %q", got)
	}
	social := d.Find(".site-footer ul.social-links")
	if got := social.AttrOr("aria-label", ""); got != p.T("footer.social") {
		t.Errorf("social list label = %q", got)
	}
	mastodon := social.Find(`a[href="https://mastodon.social/@veilleur"]`)
	if mastodon.AttrOr("rel", "") != "me" || strings.TrimSpace(mastodon.Text()) != "Mastodon" {
		t.Errorf("Mastodon link: rel %q, name %q", mastodon.AttrOr("rel", ""), mastodon.Text())
	}
	if got := social.Find("a").Map(func(_ int, s *goquery.Selection) string { return s.Text() }); strings.Join(got, ",") != "Mastodon,Bluesky" {
		t.Errorf("social links = %q", got)
	}
}

// TestSettingsRefused posts refused values: the page comes back with 422,
// the message next to the field at fault and everything as typed. Posts
// from another site are refused with 403. Neither changes anything.
func TestSettingsRefused(t *testing.T) {
	s := newSite(t, apptest.Options{})
	p := french(t)
	b := as(t, s, users.RoleAdmin)
	valid := settingsForm(t, b)
	tests := []struct {
		name  string
		field string // form field changed
		value string
		id    string // id of the control showing the message
		key   string
	}{
		{"ErrEmptyTitle", "title", "   ", "title", "error.settings.title_required"},
		{"ErrBadTimezone", "timezone", "Mars/Olympus_Mons", "timezone", "error.settings.bad_timezone"},
		{"ErrBadLanguage", "language", "tlh", "language", "error.settings.bad_language"},
		{"ErrPostsPerPageText", "posts_per_page", "beaucoup", "posts_per_page", "error.settings.bad_posts_per_page"},
		{"ErrHTTPSocialURL", "social_links.mastodon", "http://mastodon.social/@veilleur", "social-mastodon", "error.settings.bad_social_url"},
		{"ErrRelativeSocialURL", "social_links.youtube", "youtube.com/@veilleur", "social-youtube", "error.settings.bad_social_url"},
		{"ErrLogoURL", "logo_url", "//evil.example/logo.png", "logo_url", "error.settings.bad_logo_url"},
		{"ErrModeration", "comment_policy.moderation", "sometimes", "", "error.settings.bad_moderation"},
		{"ErrCloseAfterDays", "comment_policy.close_after_days", "-3", "close_after_days", "error.settings.bad_close_after_days"},
		{"ErrMaxDepth", "comment_policy.max_depth", "12", "max_depth", "error.settings.bad_max_depth"},
		{"ErrMinLength", "comment_policy.min_length", "0", "min_length", "error.settings.bad_min_length"},
		{"ErrBannedAddress", "comment_policy.banned_addresses", "203.0.113.7\npas une adresse", "banned_addresses", "error.settings.bad_banned_address"},
	}
	args := map[string][]any{
		"error.settings.bad_close_after_days": {settings.MaxCloseAfterDays},
		"error.settings.bad_max_depth":        {settings.MaxCommentDepth},
		"error.settings.bad_banned_address":   {"pas une adresse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := *s.App.Settings.Get()
			f := url.Values{}
			for k, v := range valid {
				f[k] = v
			}
			f.Set("tagline", "Ce que j'ai tapé")
			f.Set(tt.field, tt.value)
			resp, body := b.post("/admin/settings", f)
			mustStatus(t, tt.name, resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			want := p.T(tt.key, args[tt.key]...)
			if tt.id == "" {
				if got := strings.TrimSpace(d.Find("#moderation-error").Text()); got != want {
					t.Errorf("moderation message = %q, want %q", got, want)
				}
			} else {
				ctl := d.Find("#" + tt.id)
				if ctl.AttrOr("aria-invalid", "") != "true" {
					t.Errorf("#%s is not marked invalid", tt.id)
				}
				if !strings.Contains(ctl.AttrOr("aria-describedby", ""), tt.id+"-error") {
					t.Errorf("#%s is not described by its message", tt.id)
				}
				if got := strings.TrimSpace(d.Find("#" + tt.id + "-error").Text()); got != want {
					t.Errorf("message next to #%s = %q, want %q", tt.id, got, want)
				}
				typed := ctl.AttrOr("value", "")
				if ctl.Is("select") {
					typed = ctl.Find("option[selected]").AttrOr("value", "")
				}
				if ctl.Is("textarea") {
					typed = ctl.Text()
				}
				if tt.field != "title" && tt.field != "language" && typed != tt.value {
					t.Errorf("#%s shows %q, want what was typed, %q", tt.id, typed, tt.value)
				}
			}
			if got := d.Find("#tagline").AttrOr("value", ""); got != "Ce que j'ai tapé" {
				t.Errorf("tagline = %q, want what was typed", got)
			}
			if d.Find(".form-error[role=alert]").Length() != 1 {
				t.Error("no summary of the refusal")
			}
			if got := s.App.Settings.Get(); got.Tagline != before.Tagline || !got.UpdatedAt.Equal(before.UpdatedAt) {
				t.Error("refused settings were saved")
			}
		})
	}

	t.Run("ErrSeveralFields", func(t *testing.T) {
		f := url.Values{}
		for k, v := range valid {
			f[k] = v
		}
		f.Set("title", "")
		f.Set("social_links.x", "ftp://x.com/veilleur")
		resp, body := b.post("/admin/settings", f)
		mustStatus(t, "two errors", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		if d.Find("#title-error").Length() != 1 || d.Find("#social-x-error").Length() != 1 {
			t.Error("not every field at fault has its message")
		}
		if got := d.Find("#social-x").AttrOr("value", ""); got != "ftp://x.com/veilleur" {
			t.Errorf("social link = %q, want what was typed", got)
		}
	})

	// A post from another site is refused before any handler runs.
	for _, tt := range []struct {
		name   string
		header []string
	}{
		{"ErrCrossSite", []string{"Sec-Fetch-Site", "cross-site"}},
		{"ErrCrossOrigin", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := *s.App.Settings.Get()
			f := url.Values{}
			for k, v := range valid {
				f[k] = v
			}
			f.Set("title", "Détourné")
			resp, body := b.post("/admin/settings", f, tt.header...)
			mustStatus(t, "cross-site post", resp, body, http.StatusForbidden)
			if !strings.Contains(body, p.T("error.cross_origin")) {
				t.Error("the refusal does not say why")
			}
			if got := s.App.Settings.Get(); got.Title != before.Title || !got.UpdatedAt.Equal(before.UpdatedAt) {
				t.Errorf("cross-site post changed the title to %q", got.Title)
			}
		})
	}
}

// TestSettingsLabels checks that every field the settings store has a
// label in both languages (the audit log shows them).
func TestSettingsLabels(t *testing.T) {
	cat, err := locale.LoadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range locale.Langs() {
		for _, name := range settings.FieldNames() {
			if key := "admin.settings.field." + name; !cat.Printer(l).Has(key) {
				t.Errorf("%s: no %q", l, key)
			}
		}
	}
}
