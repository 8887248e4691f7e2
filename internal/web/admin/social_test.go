package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/social/mastodon/mastodontest"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/web/admin"
)

// mastodonRefusal is what the fake instance (as Mastodon) says of a
// token it does not know.
const mastodonRefusal = "The access token is invalid"

// newMastodonForm returns the form of a new Mastodon account on masto,
// with token.
func newMastodonForm(masto *mastodontest.Server, token string) url.Values {
	return url.Values{"name": {"Mastodon du Veilleur"}, "enabled": {"on"}, "config.instance": {masto.URL},
		"secret.access_token": {token}, "template": {syndication.DefaultTemplate}, "on_publish": {"on"},
		"rescheduled": {"ignore"}, "match": {"any"}, "intent": {"save"}}
}

// ownAccounts returns the accounts a test added, without the demo's.
func ownAccounts(ctx context.Context, s *apptest.Site) ([]*syndication.Account, error) {
	all, err := s.App.Syndication.Accounts(ctx)
	var own []*syndication.Account
	for _, a := range all {
		if s.Demo == nil || a.ID > int64(s.Demo.SocialAccounts) {
			own = append(own, a)
		}
	}
	return own, err
}

// addMastodon adds an account on masto through the form and returns it.
func addMastodon(t *testing.T, s *apptest.Site, b *browser, masto *mastodontest.Server) *syndication.Account {
	t.Helper()
	resp, body := b.post("/admin/social/new?network=mastodon", newMastodonForm(masto, masto.Token))
	mustStatus(t, "add the account", resp, body, http.StatusSeeOther)
	accounts, err := ownAccounts(context.Background(), s)
	if err != nil || len(accounts) != 1 {
		t.Fatalf("accounts = %v, %v", accounts, err)
	}
	return accounts[0]
}

// publishArticle publishes a new article and runs what the jobs would:
// the outbox's planning, then each queued delivery.
func publishArticle(t *testing.T, s *apptest.Site, title string) (*content.Article, []*syndication.Delivery) {
	t.Helper()
	ctx := context.Background()
	art, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: title, Excerpt: "Le chapô.", Body: "Texte.",
		Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	return art, deliverAll(t, s, art.ID)
}

// deliverAll plans article id's deliveries and attempts the queued ones.
func deliverAll(t *testing.T, s *apptest.Site, id int64) []*syndication.Delivery {
	t.Helper()
	ctx := context.Background()
	svc := s.App.Syndication
	if err := svc.ArticleChanged(ctx, id); err != nil {
		t.Fatal(err)
	}
	ds, err := svc.Store.DeliveriesOf(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.State == syndication.StateQueued {
			if _, err := svc.Deliver(ctx, d.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if ds, err = svc.Store.DeliveriesOf(ctx, id); err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestSocialAccess: only administrators reach the social pages; every
// other role gets 403 on each of them, and nothing is saved.
func TestSocialAccess(t *testing.T) {
	s := newSite(t, apptest.Options{})
	var routes []string
	for _, r := range admin.New(admin.Deps{}).Routes() {
		if strings.Contains(r, "/social") {
			routes = append(routes, r)
		}
	}
	if len(routes) < 12 {
		t.Fatalf("social routes = %v", routes)
	}
	palmyra, err := s.App.Content.ArticleBySlug(t.Context(), "l-etat-islamique-reprend-palmyre")
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []users.Role{users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		t.Run("Err"+string(role), func(t *testing.T) {
			b := as(t, s, role)
			for _, pattern := range routes {
				method, path, _ := strings.Cut(pattern, " ")
				path = strings.ReplaceAll(strings.TrimSuffix(path, "{$}"), "{id}", fmt.Sprint(palmyra.ID))
				var resp *http.Response
				var body string
				if method == http.MethodPost {
					resp, body = b.post(path, url.Values{"name": {"x"}, "skip.1": {"on"}})
				} else {
					resp, body = b.get(path + "?network=mastodon")
				}
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s %s as %s: status %d, want 403\n%.300s", method, path, role, resp.StatusCode, body)
				}
			}
			_, body := b.get("/admin/")
			if strings.Contains(body, `href="/admin/social/"`) {
				t.Errorf("the menu offers the social accounts to %s", role)
			}
			_, body = b.get(fmt.Sprintf("/admin/articles/%d", palmyra.ID))
			if parse(t, body).Find("#social").Length() != 0 {
				t.Errorf("the editor shows the social panel to %s", role)
			}
		})
	}
	accounts, err := ownAccounts(t.Context(), s)
	if err != nil || len(accounts) != 0 {
		t.Errorf("accounts = %v, %v", accounts, err)
	}
}

// TestSocialAccountForm adds a Mastodon account through the form: a token
// the instance refuses comes back with its message and saves nothing; the
// right one saves the account, listed with the profile the instance
// names. The token never shows again, and an edit that leaves it empty
// keeps it.
func TestSocialAccountForm(t *testing.T) {
	s := newSite(t, apptest.Options{})
	masto := mastodontest.NewServer(t)
	b := as(t, s, users.RoleAdmin)
	ctx := t.Context()

	_, home := b.get("/admin/")
	if !strings.Contains(home, `href="/admin/social/"`) {
		t.Error("the admin's menu has no social entry")
	}
	resp, body := b.get("/admin/social/new?network=mastodon")
	mustStatus(t, "new account form", resp, body, http.StatusOK)
	doc := parse(t, body)
	if got := doc.Find("textarea#template").Text(); got != syndication.DefaultTemplate {
		t.Errorf("new template = %q, want the default", got)
	}
	if doc.Find(`input[name="secret.access_token"][type="password"]`).Length() != 1 ||
		doc.Find(`input[name="config.instance"]`).Length() != 1 {
		t.Error("the form lacks Mastodon's fields")
	}
	if n := doc.Find("details.placeholders dt").Length(); n != len(syndication.Placeholders()) {
		t.Errorf("%d placeholders listed, want %d", n, len(syndication.Placeholders()))
	}

	t.Run("ErrWrongToken", func(t *testing.T) {
		resp, body := b.post("/admin/social/new?network=mastodon", newMastodonForm(masto, "not-the-token"))
		mustStatus(t, "wrong token", resp, body, http.StatusUnprocessableEntity)
		if got := parse(t, body).Find("#credentials-error").Text(); !strings.Contains(got, mastodonRefusal) {
			t.Errorf("credentials error = %q, want Mastodon's %q", got, mastodonRefusal)
		}
		if strings.Contains(body, "not-the-token") {
			t.Error("the refused token is written back into the page")
		}
		if accounts, err := ownAccounts(ctx, s); err != nil || len(accounts) != 0 {
			t.Errorf("accounts after a refusal = %v, %v", accounts, err)
		}
	})

	t.Run("ErrUnknownPlaceholder", func(t *testing.T) {
		form := newMastodonForm(masto, masto.Token)
		form.Set("template", "{TITRE}")
		resp, body := b.post("/admin/social/new?network=mastodon", form)
		mustStatus(t, "unknown placeholder", resp, body, http.StatusUnprocessableEntity)
		if got := parse(t, body).Find("textarea#template + .field-error").Text(); !strings.Contains(got, "{TITRE}") {
			t.Errorf("template error = %q", got)
		}
	})

	acct := addMastodon(t, s, b, masto)
	if acct.Profile.Name != "La Gazette" || !acct.Enabled || acct.Template != syndication.DefaultTemplate {
		t.Errorf("saved account = %+v", acct)
	}

	resp, body = b.get("/admin/social/")
	mustStatus(t, "accounts", resp, body, http.StatusOK)
	row := parse(t, body).Find(fmt.Sprintf("#account-%d", acct.ID))
	if got := row.Find("td.profile a"); got.Text() != "La Gazette" || got.AttrOr("href", "") != masto.URL+"/@lagazette" {
		t.Errorf("profile cell = %q → %q", got.Text(), got.AttrOr("href", ""))
	}
	if got := strings.TrimSpace(row.Find("td.health .status").Text()); got != "OK" {
		t.Errorf("health = %q", got)
	}

	t.Run("OKEditKeepsToken", func(t *testing.T) {
		resp, body := b.get(fmt.Sprintf("/admin/social/%d", acct.ID))
		mustStatus(t, "account form", resp, body, http.StatusOK)
		doc := parse(t, body)
		if got := doc.Find(`label[for="field-access_token"] .saved`).Text(); got != french(t).T("admin.social.saved") {
			t.Errorf("saved mark = %q", got)
		}
		if v, ok := doc.Find(`input[name="secret.access_token"]`).Attr("value"); ok && v != "" {
			t.Errorf("the token field is filled: %q", v)
		}
		form := formValues(t, body, "form#social-account")
		form.Set("name", "Mastodon (renommé)")
		form.Set("intent", "save")
		resp, body = b.post(fmt.Sprintf("/admin/social/%d", acct.ID), form)
		mustStatus(t, "edit without the token", resp, body, http.StatusSeeOther)
		_, creds, err := s.App.Syndication.Credentials(ctx, acct.ID)
		if err != nil || creds.Secrets["access_token"] != masto.Token {
			t.Errorf("token after the edit = %q, %v", creds.Secrets["access_token"], err)
		}
		resp, body = b.post(fmt.Sprintf("/admin/social/%d/verify", acct.ID), nil)
		mustStatus(t, "verify", resp, body, http.StatusOK)
		if got := parse(t, body).Find(".result.ok").Text(); !strings.Contains(got, "La Gazette") {
			t.Errorf("verify result = %q", got)
		}
	})

	t.Run("ErrVerifyRevoked", func(t *testing.T) {
		masto.FailNext(1, mastodontest.Unauthorized)
		resp, body := b.post(fmt.Sprintf("/admin/social/%d/verify", acct.ID), nil)
		mustStatus(t, "verify a revoked token", resp, body, http.StatusUnprocessableEntity)
		row := parse(t, body).Find(fmt.Sprintf("#account-%d", acct.ID))
		if got := row.Find(".result.refused").Text(); !strings.Contains(got, mastodonRefusal) {
			t.Errorf("verify result = %q", got)
		}
		if got := row.Find("td.health .status").Text(); got != french(t).T("admin.social.failing") {
			t.Errorf("health = %q, want « à corriger »", got)
		}
		// Verified again, the account is fixed.
		resp, body = b.post(fmt.Sprintf("/admin/social/%d/verify", acct.ID), nil)
		mustStatus(t, "verify again", resp, body, http.StatusOK)
	})

	t.Run("OKTestPost", func(t *testing.T) {
		resp, body := b.post(fmt.Sprintf("/admin/social/%d/test", acct.ID), nil)
		mustStatus(t, "test post", resp, body, http.StatusOK)
		posts := masto.Posts()
		if len(posts) != 1 || !strings.Contains(posts[0].Text, "Message de test") {
			t.Fatalf("posts = %+v", posts)
		}
		if got := parse(t, body).Find(".result.ok a").AttrOr("href", ""); got != posts[0].URL {
			t.Errorf("test post link = %q, want %q", got, posts[0].URL)
		}
	})

	t.Run("OKTokenNeverShown", func(t *testing.T) {
		palmyra, err := s.App.Content.ArticleBySlug(ctx, "l-etat-islamique-reprend-palmyre")
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/admin/social/", fmt.Sprintf("/admin/social/%d", acct.ID),
			fmt.Sprintf("/admin/social/%d/delete", acct.ID), "/admin/social/deliveries", "/admin/settings",
			fmt.Sprintf("/admin/articles/%d", palmyra.ID)} {
			resp, body := b.get(path)
			mustStatus(t, path, resp, body, http.StatusOK)
			if strings.Contains(body, masto.Token) {
				t.Errorf("%s shows the token", path)
			}
		}
	})

	t.Run("OKDelete", func(t *testing.T) {
		resp, body := b.post(fmt.Sprintf("/admin/social/%d/delete", acct.ID), nil)
		mustStatus(t, "delete", resp, body, http.StatusSeeOther)
		if accounts, err := ownAccounts(ctx, s); err != nil || len(accounts) != 0 {
			t.Errorf("accounts after delete = %v, %v", accounts, err)
		}
	})
}

// TestSocialPreview shows a template as Mastodon would receive it, with
// its count against the limit, and names an unknown placeholder; the
// script's JSON endpoint says the same.
func TestSocialPreview(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	// The article the preview offers first: the newest published.
	resp, body := b.get("/admin/social/new?network=mastodon")
	mustStatus(t, "new account form", resp, body, http.StatusOK)
	newest := parse(t, body).Find("#preview_article option").First().AttrOr("value", "")
	id, err := strconv.ParseInt(newest, 10, 64)
	if err != nil {
		t.Fatalf("preview article %q: %v", newest, err)
	}
	art, err := s.App.Syndication.Articles.Article(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	p := french(t)
	const tmpl = "{POST_TITLE} {PERMALINK}"
	want := art.Vars.Title + " " + art.Vars.Permalink
	remaining := syndication.Mastodon.Limit().Remaining(want)

	tests := []struct {
		name     string
		template string
		// text is the preview's text, err a part of its error.
		text, err string
	}{
		{name: "OK", template: tmpl, text: want},
		{name: "ErrUnknownPlaceholder", template: "{TITRE} {PERMALINK}", err: "{TITRE}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"name": {"Aperçu"}, "template": {tt.template}, "intent": {"preview"},
				"preview_article": {newest}, "secret.access_token": {"jamais-envoyé"}}
			resp, body := b.post("/admin/social/new?network=mastodon", form)
			mustStatus(t, "preview", resp, body, http.StatusOK)
			doc := parse(t, body)
			box := doc.Find("#social-preview")
			if got := box.Find(".social-text").Text(); got != tt.text {
				t.Errorf("preview text = %q, want %q", got, tt.text)
			}
			if got := box.Find(`[data-part="error"]`).Text(); tt.err == "" && got != "" || !strings.Contains(got, tt.err) {
				t.Errorf("preview error = %q, want %q", got, tt.err)
			}
			if tt.err == "" {
				label := box.Find(".social-count").Text()
				if left := p.T("admin.social.preview.remaining", fmt.Sprint(remaining)); !strings.Contains(label, left) ||
					!strings.HasPrefix(left, "reste ") {
					t.Errorf("count = %q, want %q", label, left)
				}
			}
			if got := doc.Find(`#preview_article option[selected]`).AttrOr("value", ""); got != newest {
				t.Errorf("article chosen = %q", got)
			}
			if got := doc.Find("textarea#template").Text(); got != tt.template {
				t.Errorf("template kept as %q", got)
			}
			if strings.Contains(body, "jamais-envoyé") {
				t.Error("the typed secret is written back")
			}
			if accounts, err := ownAccounts(t.Context(), s); err != nil || len(accounts) != 0 {
				t.Errorf("a preview saved an account: %v, %v", accounts, err)
			}

			resp, body = b.post("/admin/social/preview", url.Values{"network": {"mastodon"}, "template": {tt.template},
				"article": {newest}}, "Accept", "application/json")
			mustStatus(t, "preview JSON", resp, body, http.StatusOK)
			var got struct {
				Text      string `json:"text"`
				Count     int    `json:"count"`
				Max       int    `json:"max"`
				Remaining int    `json:"remaining"`
				Error     string `json:"error"`
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.text || (tt.err == "") != (got.Error == "") || !strings.Contains(got.Error, tt.err) {
				t.Errorf("JSON preview = %+v", got)
			}
			if tt.err == "" && (got.Max != 500 || got.Remaining != remaining || got.Count != 500-remaining) {
				t.Errorf("JSON count = %+v, want %d left of 500", got, remaining)
			}
		})
	}
}

// TestSocialDeliveries follows articles to a Mastodon account: the log
// shows a delivery sent with the post's link, a refused one with the
// network's message and a retry that queues it again, and the editor's
// panel makes the next delivery skipped.
func TestSocialDeliveries(t *testing.T) {
	s := newSite(t, apptest.Options{})
	masto := mastodontest.NewServer(t)
	b := as(t, s, users.RoleAdmin)
	ctx := t.Context()
	acct := addMastodon(t, s, b, masto)
	p := french(t)

	t.Run("OKSent", func(t *testing.T) {
		art, ds := publishArticle(t, s, "Palmyre, la cité retrouvée")
		if len(ds) != 1 || ds[0].State != syndication.StateSent {
			t.Fatalf("deliveries = %+v", ds)
		}
		posts := masto.Posts()
		if len(posts) != 1 || !strings.Contains(posts[0].Text, art.Title) {
			t.Fatalf("posts = %+v", posts)
		}
		resp, body := b.get("/admin/social/deliveries?state=sent")
		mustStatus(t, "log", resp, body, http.StatusOK)
		row := parse(t, body).Find(fmt.Sprintf("#delivery-%d", ds[0].ID))
		if got := row.Find("td a").First(); got.Text() != art.Title || got.AttrOr("href", "") != fmt.Sprintf("/admin/articles/%d", art.ID) {
			t.Errorf("article cell = %q → %q", got.Text(), got.AttrOr("href", ""))
		}
		if got := row.Find(".status").Text(); got != p.T("admin.social.state.sent") {
			t.Errorf("state = %q", got)
		}
		if got := row.Find("a.remote").AttrOr("href", ""); got != posts[0].URL {
			t.Errorf("post link = %q, want %q", got, posts[0].URL)
		}
		if row.Find("button").Length() != 0 {
			t.Error("a sent delivery offers a retry")
		}
		// Filtered out by state.
		_, body = b.get("/admin/social/deliveries?state=failed")
		if parse(t, body).Find(fmt.Sprintf("#delivery-%d", ds[0].ID)).Length() != 0 {
			t.Error("the state filter lets a sent delivery through")
		}
	})

	t.Run("OKFailedRetried", func(t *testing.T) {
		masto.FailNext(1, mastodontest.Unauthorized)
		art, ds := publishArticle(t, s, "Alep sous les bombes")
		if len(ds) != 1 || ds[0].State != syndication.StateFailed {
			t.Fatalf("deliveries = %+v", ds)
		}
		path := fmt.Sprintf("/admin/social/deliveries?account=%d", acct.ID)
		resp, body := b.get(path)
		mustStatus(t, "log", resp, body, http.StatusOK)
		row := parse(t, body).Find(fmt.Sprintf("#delivery-%d", ds[0].ID))
		if got := row.Find(".delivery-error").Text(); !strings.Contains(got, mastodonRefusal) {
			t.Errorf("failure = %q, want Mastodon's message", got)
		}
		form := row.Find("form")
		if form.AttrOr("action", "") != fmt.Sprintf("/admin/social/deliveries/%d/retry", ds[0].ID) {
			t.Fatalf("retry form = %q", form.AttrOr("action", ""))
		}
		// The account is fixed first: a refused token flagged it.
		if _, err := s.App.Syndication.VerifyAccount(ctx, acct.ID); err != nil {
			t.Fatal(err)
		}
		resp, body = b.post(form.AttrOr("action", ""), formValues(t, body, fmt.Sprintf("#delivery-%d form", ds[0].ID)))
		mustStatus(t, "retry", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/social/deliveries?") || !strings.Contains(loc, "done=requeued") {
			t.Errorf("retry went to %q", loc)
		}
		d, err := s.App.Syndication.Store.Delivery(ctx, ds[0].ID)
		if err != nil || d.State != syndication.StateQueued {
			t.Fatalf("retried delivery = %+v, %v", d, err)
		}
		if _, err := s.App.Syndication.Deliver(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		posts := masto.Posts()
		if last := posts[len(posts)-1]; !strings.Contains(last.Text, art.Title) {
			t.Errorf("last post = %+v", last)
		}
	})

	t.Run("OKEditorSkips", func(t *testing.T) {
		draft, err := s.App.Content.CreateArticle(ctx, content.ArticleInput{Title: "Brouillon pour les réseaux", Body: "Texte.",
			Status: content.StatusDraft})
		if err != nil {
			t.Fatal(err)
		}
		editor := fmt.Sprintf("/admin/articles/%d", draft.ID)
		resp, body := b.get(editor)
		mustStatus(t, "editor", resp, body, http.StatusOK)
		panel := parse(t, body).Find("#social")
		if panel.Find(fmt.Sprintf(`input[name="skip.%d"]`, acct.ID)).Length() != 1 {
			t.Fatalf("no panel for the account:\n%.500s", panel.Text())
		}
		if got := panel.Find(".social-text").Text(); !strings.Contains(got, draft.Title) {
			t.Errorf("panel preview = %q", got)
		}

		// The preview of a message of its own, then an unknown placeholder.
		key := fmt.Sprint(acct.ID)
		resp, body = b.post(editor+"/social", url.Values{"message." + key: {"À lire : {POST_TITLE}"}, "intent": {"preview"}})
		mustStatus(t, "panel preview", resp, body, http.StatusOK)
		if got := parse(t, body).Find("#social .social-text").Text(); got != "À lire : "+draft.Title {
			t.Errorf("panel preview = %q", got)
		}
		resp, body = b.post(editor+"/social", url.Values{"message." + key: {"{TITRE}"}, "intent": {"save"}})
		mustStatus(t, "unknown placeholder", resp, body, http.StatusUnprocessableEntity)
		if got := parse(t, body).Find("#social .field-error").First().Text(); !strings.Contains(got, "{TITRE}") {
			t.Errorf("panel error = %q", got)
		}

		resp, body = b.post(editor+"/social", url.Values{"skip." + key: {"on"}, "intent": {"save"}})
		mustStatus(t, "skip", resp, body, http.StatusSeeOther)
		_, body = b.get(editor)
		if _, ok := parse(t, body).Find(fmt.Sprintf(`#social input[name="skip.%d"]`, acct.ID)).Attr("checked"); !ok {
			t.Error("the skip is not shown checked")
		}
		before := len(masto.Posts())
		if _, err := s.App.Content.UpdateArticle(ctx, draft.ID, content.ArticleInput{Title: draft.Title, Body: "Texte.",
			Status: content.StatusPublished, PublishedAt: time.Now().Add(-time.Minute), Version: draft.Version}); err != nil {
			t.Fatal(err)
		}
		ds := deliverAll(t, s, draft.ID)
		if len(ds) != 1 || ds[0].State != syndication.StateSkipped {
			t.Fatalf("deliveries = %+v", ds)
		}
		if n := len(masto.Posts()); n != before {
			t.Errorf("%d posts after a skipped article, want %d", n, before)
		}
		_, body = b.get(editor)
		if got := parse(t, body).Find(fmt.Sprintf("#social #delivery-%d .status", ds[0].ID)).Text(); got != p.T("admin.social.state.skipped") {
			t.Errorf("panel delivery state = %q", got)
		}
	})
}

// TestSocialDemo reads the demo newsroom's social accounts and delivery
// log as its admin would: the accounts with their health, the sent posts
// with their links and the refused Telegram bot with its reason.
func TestSocialDemo(t *testing.T) {
	s := newSite(t, apptest.Options{})
	if s.Demo.SocialAccounts != 3 || s.Demo.Deliveries == 0 {
		t.Fatalf("demo = %d accounts, %d deliveries", s.Demo.SocialAccounts, s.Demo.Deliveries)
	}
	b := as(t, s, users.RoleAdmin)
	resp, body := b.get("/admin/social/")
	mustStatus(t, "accounts", resp, body, http.StatusOK)
	for _, want := range []string{"Mastodon du Veilleur", "Bluesky du Veilleur", "Canal Telegram", "https://piaille.fr/@leveilleur",
		"bot was kicked from the channel chat"} {
		if !strings.Contains(body, want) {
			t.Errorf("accounts page lacks %q", want)
		}
	}
	for _, secret := range []string{"demo-jeton-non-valide", "demo-abcd-efgh-ijkl"} {
		if strings.Contains(body, secret) {
			t.Errorf("accounts page shows a secret %q", secret)
		}
	}
	resp, body = b.get("/admin/social/deliveries")
	mustStatus(t, "deliveries", resp, body, http.StatusOK)
	for _, want := range []string{"https://bsky.app/profile/leveilleur.bsky.social/post/", "https://t.me/leveilleur/",
		"Forbidden: bot was kicked from the channel chat", `class="delivery failed"`, `class="delivery sent"`} {
		if !strings.Contains(body, want) {
			t.Errorf("delivery log lacks %q", want)
		}
	}
}
