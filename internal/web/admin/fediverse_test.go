package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
)

// addFollower stores a follower of the publication, name on host, with
// the Follow its server would have sent.
func addFollower(t *testing.T, s *apptest.Site, name, host string, state federation.FollowState) *federation.Follower {
	t.Helper()
	actor := "https://" + host + "/users/" + name
	followID := actor + "#follows/" + strconv.FormatInt(time.Now().UnixNano(), 10)
	follow := fmt.Sprintf(`{"@context":"https://www.w3.org/ns/activitystreams","id":%q,"type":"Follow","actor":%q,"object":%q}`,
		followID, actor, s.App.Federation.ActorID(""))
	f := &federation.Follower{ActorID: actor, Handle: "@" + name + "@" + host, Name: strings.ToUpper(name[:1]) + name[1:],
		URL: "https://" + host + "/@" + name, Host: host, Inbox: actor + "/inbox", SharedInbox: "https://" + host + "/inbox",
		FollowID: followID, FollowJSON: []byte(follow), State: state, CreatedAt: time.Now()}
	if err := storage.NewFederationStore(s.App.DB).SaveFollower(context.Background(), f, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

// follower returns the stored follower id, nil when it is gone.
func follower(t *testing.T, s *apptest.Site, id int64) *federation.Follower {
	t.Helper()
	f, err := storage.NewFederationStore(s.App.DB).Follower(context.Background(), id)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// lastDelivery returns the newest delivery with its activity, and how
// many delivery jobs were queued.
func lastDelivery(t *testing.T, s *apptest.Site) (*federation.Delivery, *federation.Outgoing, int) {
	t.Helper()
	ctx := context.Background()
	jobs, err := s.App.DB.CountJobs(ctx, federation.DeliverJob{}.Kind())
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := s.App.DB.SQLWrite().QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM ap_deliveries").Scan(&id); err != nil {
		t.Fatal(err)
	}
	if id == 0 {
		return nil, nil, jobs
	}
	d, out, err := storage.NewFederationStore(s.App.DB).Delivery(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return d, out, jobs
}

// blockValues returns the blocks listed on the blocks' page.
func blockValues(t *testing.T, b *browser) []string {
	t.Helper()
	resp, body := b.get("/admin/fediverse/blocks")
	mustStatus(t, "blocks", resp, body, http.StatusOK)
	return parse(t, body).Find("table.fediverse-blocks tbody td code").Map(func(_ int, sel *goquery.Selection) string {
		return sel.Text()
	})
}

// clearDemoFediverse takes the demo's fediverse audience away, so the
// test counts its own followers, blocks and reactions.
func clearDemoFediverse(t *testing.T, s *apptest.Site) {
	t.Helper()
	ctx := context.Background()
	store := storage.NewFederationStore(s.App.DB)
	list, _, err := store.Followers(ctx, federation.FollowerQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if err := store.RemoveActor(ctx, f.ActorID); err != nil {
			t.Fatal(err)
		}
	}
	blocks, err := store.Blocks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range blocks {
		if err := store.DeleteBlock(ctx, b.Kind, b.Value, nil); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFediverseBackOffice(t *testing.T) {
	s := newSite(t, apptest.Options{})
	ctx := context.Background()
	p := french(t)
	b := as(t, s, users.RoleAdmin)
	fed := s.App.Federation
	clearDemoFediverse(t, s)
	claire := addFollower(t, s, "claire", "mastodon.example", federation.FollowPending)
	paul := addFollower(t, s, "paul", "pleroma.example", federation.FollowAccepted)

	t.Run("OKPage", func(t *testing.T) {
		latest, err := s.App.Content.PublicList(ctx, content.ArticleFilter{Kind: content.KindPost}, 1, 1)
		if err != nil || len(latest.Articles) != 1 {
			t.Fatalf("latest = %v, %v", latest, err)
		}
		art := latest.Articles[0]
		store := storage.NewFederationStore(s.App.DB)
		for i, kind := range []federation.ReactionKind{federation.ReactionLike, federation.ReactionLike, federation.ReactionAnnounce} {
			if _, err := store.SaveReaction(ctx, &federation.Reaction{ActivityID: fmt.Sprintf("https://mastodon.example/likes/%d", i),
				Kind: kind, ActorID: fmt.Sprintf("https://mastodon.example/users/u%d", i), ArticleID: art.ID, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		resp, body := b.get("/admin/fediverse/")
		mustStatus(t, "page", resp, body, http.StatusOK)
		d := parse(t, body)
		if d.Find(`header.bar nav a[href="/admin/fediverse/"]`).Length() != 1 {
			t.Error("no menu entry")
		}
		if got, want := d.Find("#fediverse-handle").Text(), "@redaction@"+fed.Host(); got != want {
			t.Errorf("handle = %q, want %q", got, want)
		}
		if got := d.Find(`button[data-copy]`).First().AttrOr("data-copy", ""); got != "@redaction@"+fed.Host() {
			t.Errorf("copy button copies %q", got)
		}
		if got := d.Find("#fediverse-actor").Text(); got != fed.ActorID("") {
			t.Errorf("actor URL = %q", got)
		}
		if got := d.Find("#fediverse_username").AttrOr("value", ""); got != "redaction" {
			t.Errorf("username field = %q", got)
		}
		if d.Find("#fediverse_username-warning").Length() != 1 {
			t.Error("no warning that changing the name loses the followers")
		}
		text := d.Find("main").Text()
		for _, want := range []string{p.N("admin.fediverse.followers_count", 1), p.N("admin.fediverse.pending_count", 1),
			p.T("admin.fediverse.type.article.help"), p.T("admin.fediverse.type.note.help")} {
			if !strings.Contains(text, want) {
				t.Errorf("the page does not say %q", want)
			}
		}
		row := d.Find("table.fediverse-reactions tr#article-" + strconv.FormatInt(art.ID, 10))
		if likes, boosts := strings.TrimSpace(row.Find(".likes").Text()), strings.TrimSpace(row.Find(".boosts").Text()); likes != "2" || boosts != "1" {
			t.Errorf("likes %q, boosts %q, want 2 and 1", likes, boosts)
		}
		if n := d.Find("table.fediverse-reactions tbody tr").Length(); n < 1 || n > 20 {
			t.Errorf("%d articles listed", n)
		}
	})

	t.Run("ErrRoles", func(t *testing.T) {
		for _, role := range []users.Role{users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
			o := as(t, s, role)
			for _, path := range []string{"/admin/fediverse/", "/admin/fediverse/followers", "/admin/fediverse/blocks"} {
				resp, body := o.get(path)
				mustStatus(t, string(role)+" GET "+path, resp, body, http.StatusForbidden)
			}
			id := strconv.FormatInt(claire.ID, 10)
			for path, form := range map[string]url.Values{
				"/admin/fediverse/":                             {"enabled": {"1"}, "username": {"pirate"}, "object_type": {"note"}},
				"/admin/fediverse/followers/" + id + "/approve": {},
				"/admin/fediverse/followers/" + id + "/remove":  {},
				"/admin/fediverse/blocks":                       {"kind": {"domain"}, "value": {"mastodon.example"}},
			} {
				resp, body := o.post(path, form)
				mustStatus(t, string(role)+" POST "+path, resp, body, http.StatusForbidden)
			}
			resp, body := o.get("/admin/")
			mustStatus(t, "dashboard", resp, body, http.StatusOK)
			if parse(t, body).Find(`nav a[href="/admin/fediverse/"]`).Length() != 0 {
				t.Errorf("%s sees the menu entry", role)
			}
		}
		if f := follower(t, s, claire.ID); f == nil || f.State != federation.FollowPending {
			t.Errorf("claire after the refusals: %+v", f)
		}
		if got := s.App.Settings.Get().Fediverse.Username; got != "redaction" {
			t.Errorf("username = %q", got)
		}
	})

	t.Run("OKSettings", func(t *testing.T) {
		resp, body := b.get("/admin/fediverse/")
		mustStatus(t, "page", resp, body, http.StatusOK)
		f := formValues(t, body, "form.fediverse-settings")
		f.Set("locked", "1")
		f.Set("object_type", "note")
		f.Set("header_url", "/media/2026/11/bandeau.jpg")
		resp, body = b.post("/admin/fediverse/", f)
		mustStatus(t, "save", resp, body, http.StatusSeeOther)
		got := s.App.Settings.Get().Fediverse
		want := settings.Fediverse{Enabled: true, Username: "redaction", Locked: true, ObjectType: settings.ObjectNote,
			HeaderURL: "/media/2026/11/bandeau.jpg"}
		if got != want {
			t.Errorf("saved %+v, want %+v", got, want)
		}
		actor, err := fed.Actor(ctx, "")
		if err != nil || actor.Image == nil || actor.Image.URL != s.App.Config.PublicBaseURL()+"/media/2026/11/bandeau.jpg" {
			t.Errorf("the actor's header = %+v, %v", actor.Image, err)
		}
		if got := s.App.Settings.Get().Title; got == "" {
			t.Error("saving the fediverse's settings lost the site's title")
		}
		entries := audited(t, s, "settings_update", 0)
		if len(entries) == 0 || !strings.Contains(entries[0].Summary, "fediverse.locked") {
			t.Errorf("audit = %+v", entries)
		}
	})

	t.Run("ErrUsername", func(t *testing.T) {
		before := s.App.Settings.Get().Fediverse
		f := url.Values{"enabled": {"1"}, "username": {"La Rédaction!"}, "object_type": {"article"}}
		resp, body := b.post("/admin/fediverse/", f)
		mustStatus(t, "refused", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		if got := d.Find("#fediverse_username-error").Text(); got != p.T("error.settings.fediverse_username") {
			t.Errorf("message next to the field = %q", got)
		}
		if got := d.Find("#fediverse_username").AttrOr("value", ""); got != "La Rédaction!" {
			t.Errorf("username not kept as typed: %q", got)
		}
		if got := s.App.Settings.Get().Fediverse; got != before {
			t.Errorf("refused form saved %+v", got)
		}
	})

	t.Run("ErrHeader", func(t *testing.T) {
		before := s.App.Settings.Get().Fediverse
		f := url.Values{"enabled": {"1"}, "username": {"redaction"}, "object_type": {"article"}, "header_url": {"javascript:alert(1)"}}
		resp, body := b.post("/admin/fediverse/", f)
		mustStatus(t, "refused", resp, body, http.StatusUnprocessableEntity)
		if parse(t, body).Find("#fediverse_header_url-error").Length() != 1 {
			t.Error("no message next to the banner's field")
		}
		if got := s.App.Settings.Get().Fediverse; got != before {
			t.Errorf("refused form saved %+v", got)
		}
	})

	t.Run("OKFollowers", func(t *testing.T) {
		tests := []struct {
			name, query string
			want        []int64
		}{
			{"OKAll", "", []int64{paul.ID, claire.ID}},
			{"OKSearch", "?q=CLAIRE", []int64{claire.ID}},
			{"OKInstance", "?q=pleroma", []int64{paul.ID}},
			{"OKPending", "?state=pending", []int64{claire.ID}},
			{"OKAccepted", "?state=accepted", []int64{paul.ID}},
			{"OKNone", "?q=personne", nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := b.get("/admin/fediverse/followers" + tt.query)
				mustStatus(t, "list", resp, body, http.StatusOK)
				rows := parse(t, body).Find("table.fediverse-followers tbody tr")
				var got []int64
				for i := range rows.Length() {
					id, _ := strconv.ParseInt(strings.TrimPrefix(rows.Eq(i).AttrOr("id", ""), "follower-"), 10, 64)
					got = append(got, id)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("rows %v, want %v", got, tt.want)
				}
			})
		}
		resp, body := b.get("/admin/fediverse/followers?state=pending")
		mustStatus(t, "pending", resp, body, http.StatusOK)
		row := parse(t, body).Find("tr#follower-" + strconv.FormatInt(claire.ID, 10))
		if row.Find(`a[href="https://mastodon.example/@claire"]`).Text() != "Claire" {
			t.Error("no link to the profile")
		}
		for _, action := range []string{"approve", "reject"} {
			if row.Find(`form[action="/admin/fediverse/followers/`+strconv.FormatInt(claire.ID, 10)+`/`+action+`"]`).Length() != 1 {
				t.Errorf("no %s button", action)
			}
		}
		if row.Find(`form.block-instance input[name="value"][value="mastodon.example"]`).Length() != 1 {
			t.Error("no shortcut to block the instance")
		}
	})

	t.Run("OKApprove", func(t *testing.T) {
		_, _, jobsBefore := lastDelivery(t, s)
		back := "/admin/fediverse/followers?state=pending"
		resp, body := b.post("/admin/fediverse/followers/"+strconv.FormatInt(claire.ID, 10)+"/approve", url.Values{"back": {back}})
		mustStatus(t, "approve", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/fediverse/followers?") || !strings.Contains(loc, "done=approved") {
			t.Errorf("sent to %q", loc)
		}
		if f := follower(t, s, claire.ID); f == nil || f.State != federation.FollowAccepted {
			t.Fatalf("claire = %+v", f)
		}
		d, out, jobs := lastDelivery(t, s)
		if d == nil || out.Type != "Accept" || d.Inbox != claire.Inbox || !strings.Contains(string(out.Body), claire.FollowID) {
			t.Fatalf("delivery %+v of %+v", d, out)
		}
		if jobs != jobsBefore+1 {
			t.Errorf("%d delivery jobs, want %d", jobs, jobsBefore+1)
		}
		resp, body = b.post("/admin/fediverse/followers/"+strconv.FormatInt(claire.ID, 10)+"/approve", url.Values{})
		mustStatus(t, "approve again", resp, body, http.StatusConflict)
		if !strings.Contains(body, p.T("error.fediverse.not_pending")) {
			t.Error("the refusal does not say why")
		}
	})

	t.Run("OKReject", func(t *testing.T) {
		zoe := addFollower(t, s, "zoe", "mastodon.example", federation.FollowPending)
		resp, body := b.post("/admin/fediverse/followers/"+strconv.FormatInt(zoe.ID, 10)+"/reject", url.Values{})
		mustStatus(t, "reject", resp, body, http.StatusSeeOther)
		if f := follower(t, s, zoe.ID); f != nil {
			t.Fatalf("zoe still follows: %+v", f)
		}
		if d, out, _ := lastDelivery(t, s); d == nil || out.Type != "Reject" || d.Inbox != zoe.Inbox {
			t.Fatalf("delivery %+v of %+v", d, out)
		}
	})

	t.Run("OKRemove", func(t *testing.T) {
		resp, body := b.post("/admin/fediverse/followers/"+strconv.FormatInt(paul.ID, 10)+"/remove", url.Values{})
		mustStatus(t, "remove", resp, body, http.StatusSeeOther)
		if f := follower(t, s, paul.ID); f != nil {
			t.Fatalf("paul still follows: %+v", f)
		}
		if d, out, _ := lastDelivery(t, s); d == nil || out.Type != "Reject" || d.Inbox != paul.Inbox {
			t.Errorf("delivery %+v of %+v", d, out)
		}
		resp, body = b.post("/admin/fediverse/followers/"+strconv.FormatInt(paul.ID, 10)+"/remove", url.Values{})
		mustStatus(t, "remove again", resp, body, http.StatusNotFound)
	})

	t.Run("OKBlockInstance", func(t *testing.T) {
		spam1 := addFollower(t, s, "bot1", "spam.example", federation.FollowAccepted)
		spam2 := addFollower(t, s, "bot2", "spam.example", federation.FollowPending)
		back := "/admin/fediverse/followers?q=spam"
		resp, body := b.post("/admin/fediverse/blocks", url.Values{"kind": {"domain"}, "value": {"spam.example"}, "back": {back}})
		mustStatus(t, "block", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/fediverse/followers?") || !strings.Contains(loc, "q=spam") {
			t.Errorf("sent to %q, not back to the list", loc)
		}
		if follower(t, s, spam1.ID) != nil || follower(t, s, spam2.ID) != nil {
			t.Error("the instance's followers are still there")
		}
		if f := follower(t, s, claire.ID); f == nil {
			t.Error("blocking spam.example removed claire of mastodon.example")
		}
		if got := blockValues(t, b); len(got) != 1 || got[0] != "spam.example" {
			t.Errorf("blocks = %v", got)
		}
	})

	t.Run("OKBlockAccount", func(t *testing.T) {
		resp, body := b.post("/admin/fediverse/blocks", url.Values{"kind": {"actor"}, "value": {claire.ActorID}})
		mustStatus(t, "block", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/fediverse/blocks?") {
			t.Errorf("sent to %q", loc)
		}
		if f := follower(t, s, claire.ID); f != nil {
			t.Errorf("claire still follows: %+v", f)
		}
		if got := blockValues(t, b); len(got) != 2 || got[0] != claire.ActorID && got[1] != claire.ActorID {
			t.Errorf("blocks = %v", got)
		}
	})

	t.Run("ErrBlock", func(t *testing.T) {
		tests := []struct {
			name, kind, value, field, key string
		}{
			{"ErrDomain", "domain", "pas un domaine", "value", "error.fediverse.block_domain"},
			{"ErrNoDot", "domain", "mastodon", "value", "error.fediverse.block_domain"},
			{"ErrActor", "actor", "@claire@mastodon.example", "value", "error.fediverse.block_actor"},
			{"ErrScheme", "actor", "ftp://mastodon.example/users/claire", "value", "error.fediverse.block_actor"},
			{"ErrKind", "server", "mastodon.example", "kind", "error.fediverse.block_kind"},
			{"ErrDuplicate", "domain", "@bot3@SPAM.example", "value", "error.fediverse.block_exists"},
			{"ErrOwnSite", "domain", strings.Split(fed.Host(), ":")[0], "value", "error.fediverse.block_own"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, body := b.post("/admin/fediverse/blocks", url.Values{"kind": {tt.kind}, "value": {tt.value}})
				mustStatus(t, "refused", resp, body, http.StatusUnprocessableEntity)
				d := parse(t, body)
				if got := d.Find("#" + tt.field + "-error").Text(); got != p.T(tt.key) {
					t.Errorf("message next to %s = %q, want %q", tt.field, got, p.T(tt.key))
				}
				if got := d.Find("#value").AttrOr("value", ""); got != tt.value {
					t.Errorf("value not kept as typed: %q", got)
				}
			})
		}
		if got := blockValues(t, b); len(got) != 2 {
			t.Errorf("blocks = %v", got)
		}
	})

	t.Run("OKUnblock", func(t *testing.T) {
		resp, body := b.post("/admin/fediverse/blocks/delete", url.Values{"kind": {"domain"}, "value": {"spam.example"}})
		mustStatus(t, "unblock", resp, body, http.StatusSeeOther)
		if got := blockValues(t, b); len(got) != 1 || got[0] != claire.ActorID {
			t.Errorf("blocks = %v", got)
		}
		resp, body = b.post("/admin/fediverse/blocks/delete", url.Values{"kind": {"domain"}, "value": {"spam.example"}})
		mustStatus(t, "unblock again", resp, body, http.StatusNotFound)
	})

	t.Run("ErrCrossSite", func(t *testing.T) {
		ana := addFollower(t, s, "ana", "social.example", federation.FollowPending)
		id := strconv.FormatInt(ana.ID, 10)
		for _, header := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Sec-Fetch-Site", "", "Origin", "https://evil.example"}} {
			for path, form := range map[string]url.Values{
				"/admin/fediverse/":                             {"enabled": {"1"}, "username": {"pirate"}, "object_type": {"note"}},
				"/admin/fediverse/followers/" + id + "/approve": {},
				"/admin/fediverse/followers/" + id + "/remove":  {},
				"/admin/fediverse/blocks":                       {"kind": {"domain"}, "value": {"social.example"}},
				"/admin/fediverse/blocks/delete":                {"kind": {"actor"}, "value": {claire.ActorID}},
			} {
				resp, body := b.post(path, form, header...)
				mustStatus(t, "cross-site POST "+path, resp, body, http.StatusForbidden)
				if !strings.Contains(body, p.T("error.cross_origin")) {
					t.Errorf("%s: the refusal does not say why", path)
				}
			}
		}
		if f := follower(t, s, ana.ID); f == nil || f.State != federation.FollowPending {
			t.Errorf("ana = %+v", f)
		}
		if got := s.App.Settings.Get().Fediverse.Username; got != "redaction" {
			t.Errorf("username = %q", got)
		}
		if got := blockValues(t, b); len(got) != 1 {
			t.Errorf("blocks = %v", got)
		}
	})

	t.Run("OKAudit", func(t *testing.T) {
		_, rows := auditRows(t, b, "/admin/audit")
		name := b.user.Name
		for _, action := range []string{federation.ActionFollowerApprove, federation.ActionFollowerReject, federation.ActionFollowerRemove,
			federation.ActionBlockDomain, federation.ActionBlockActor, federation.ActionUnblock} {
			if rowWith(rows, p.T("admin.audit.action."+action, name)).Length() != 1 {
				t.Errorf("the audit log does not say %q", p.T("admin.audit.action."+action, name))
			}
		}
		if entries := audited(t, s, federation.ActionFollowerApprove, claire.ID); len(entries) != 1 || entries[0].Summary != claire.Handle {
			t.Errorf("approval entries = %+v", entries)
		}
	})
}
