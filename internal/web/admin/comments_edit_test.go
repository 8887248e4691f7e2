package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/users"
)

// palmyraPage is the public address of the article postComments comments.
const palmyraPage = "/2016/12/11/l-etat-islamique-reprend-palmyre/"

func TestCommentEdit(t *testing.T) {
	s := newSite(t, apptest.Options{})
	c := postComments(t, s, 1)[0]
	path := fmt.Sprintf("/admin/comments/%d/edit", c.ID)
	stored := func() *comments.Comment {
		t.Helper()
		got, err := s.App.Comments.Store.Comment(t.Context(), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	editor := as(t, s, users.RoleEditor)
	resp, body := editor.get("/admin/comments")
	mustStatus(t, "queue", resp, body, http.StatusOK)
	if href := parse(t, body).Find(fmt.Sprintf("#c%d a.edit", c.ID)).AttrOr("href", ""); !strings.HasPrefix(href, path+"?back=") {
		t.Errorf("edit link = %q", href)
	}

	resp, body = editor.get(path + "?back=" + url.QueryEscape("/admin/comments?status=pending"))
	mustStatus(t, "edit form", resp, body, http.StatusOK)
	d := parse(t, body)
	form := url.Values{}
	d.Find("form.comment-edit input[type=hidden]").Each(func(_ int, in *goquery.Selection) {
		form.Set(in.AttrOr("name", ""), in.AttrOr("value", ""))
	})
	got := map[string]string{
		"name": d.Find("#name").AttrOr("value", ""), "email": d.Find("#email").AttrOr("value", ""),
		"text": d.Find("#text").Text(), "status": d.Find("input[name=status][checked]").AttrOr("value", ""),
		"back": form.Get("back"),
	}
	want := map[string]string{"name": c.AuthorName, "email": c.AuthorEmail, "text": c.Body, "status": "pending",
		"back": "/admin/comments?status=pending"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("form %s = %q, want %q", k, got[k], v)
		}
	}
	if form.Get("seen") == "" {
		t.Fatal("no version in the form")
	}

	t.Run("ErrFields", func(t *testing.T) {
		typed := "Un texte retouché par la modération, gardé tel quel."
		f := url.Values{"name": {"Lecteur 0"}, "email": {"pas une adresse"}, "url": {""}, "text": {typed}, "status": {"pending"},
			"seen": {form.Get("seen")}, "back": {form.Get("back")}}
		resp, body := editor.post(path, f)
		mustStatus(t, "bad email", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		if d.Find("#email-error").Text() == "" || d.Find("#email").AttrOr("aria-invalid", "") != "true" {
			t.Error("no message next to the email field")
		}
		if got := d.Find("#text").Text(); got != typed {
			t.Errorf("text = %q, want what was typed", got)
		}
		if d.Find("#email").AttrOr("value", "") != "pas une adresse" {
			t.Error("the typed email was not kept")
		}
		if stored().Body != c.Body {
			t.Error("a refused edit was saved")
		}
	})
	t.Run("OK", func(t *testing.T) {
		f := url.Values{"name": {"Lecteur Zéro"}, "email": {"lecteur0@example.org"}, "url": {"https://lecteur.example"},
			"text": {"Commentaire **retouché** sur la reprise de Palmyre."}, "status": {"approved"},
			"seen": {form.Get("seen")}, "back": {form.Get("back")}}
		resp, body := editor.post(path, f)
		mustStatus(t, "edit", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/comments?") || !strings.Contains(loc, "status=pending") ||
			!strings.Contains(loc, "done=saved") {
			t.Errorf("back to %q", loc)
		}
		got := stored()
		if got.AuthorName != "Lecteur Zéro" || got.AuthorURL != "https://lecteur.example" || got.Status != comments.StatusApproved ||
			!strings.Contains(got.BodyHTML, "<strong>retouché</strong>") {
			t.Errorf("after the edit = %+v", got)
		}
	})
	t.Run("ErrStale", func(t *testing.T) {
		f := url.Values{"name": {"Autre nom"}, "email": {"lecteur0@example.org"}, "text": {"Une version plus ancienne."},
			"status": {"approved"}, "seen": {form.Get("seen")}, "back": {form.Get("back")}}
		resp, body := editor.post(path, f)
		mustStatus(t, "stale edit", resp, body, http.StatusConflict)
		if parse(t, body).Find(".form-error").Text() == "" {
			t.Error("no message about the conflict")
		}
		if stored().AuthorName != "Lecteur Zéro" {
			t.Error("a stale edit was saved")
		}
	})
	t.Run("ErrRequests", func(t *testing.T) {
		tests := []struct {
			name   string
			method string
			path   string
			status int
		}{
			{"ErrUnknownID", http.MethodGet, "/admin/comments/999999/edit", http.StatusNotFound},
			{"ErrBadID", http.MethodGet, "/admin/comments/x/edit", http.StatusNotFound},
			{"ErrNoVersion", http.MethodPost, path, http.StatusBadRequest},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var resp *http.Response
				var body string
				if tt.method == http.MethodGet {
					resp, body = editor.get(tt.path)
				} else {
					resp, body = editor.post(tt.path, url.Values{"name": {"X"}})
				}
				mustStatus(t, tt.name, resp, body, tt.status)
			})
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		before := stored()
		for _, r := range []users.Role{users.RoleContributor, users.RoleAuthor} {
			b := as(t, s, r)
			resp, body := b.get(path)
			mustStatus(t, string(r)+" edit form", resp, body, http.StatusForbidden)
			resp, body = b.post(path, url.Values{"name": {"Pirate"}, "email": {"p@example.org"}, "text": {"Texte remplacé par un auteur."},
				"seen": {before.UpdatedAt.UTC().Format(time.RFC3339Nano)}})
			mustStatus(t, string(r)+" edit", resp, body, http.StatusForbidden)
		}
		if after := stored(); after.AuthorName != before.AuthorName || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("a forbidden edit changed the comment: %+v", after)
		}
	})
}

func TestCommentReply(t *testing.T) {
	s := newSite(t, apptest.Options{})
	list := postComments(t, s, 2)
	pending, other := list[0], list[1]
	editor := as(t, s, users.RoleEditor)
	replies := func(parent int64) []*comments.Comment {
		t.Helper()
		all, err := s.App.Comments.Store.ArticleComments(t.Context(), pending.ArticleID, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []*comments.Comment
		for _, c := range all {
			if c.ParentID == parent {
				out = append(out, c)
			}
		}
		return out
	}

	resp, body := editor.get("/admin/comments")
	mustStatus(t, "queue", resp, body, http.StatusOK)
	d := parse(t, body)
	if d.Find(fmt.Sprintf("#c%d details.reply textarea[form=reply-form-%d]", pending.ID, pending.ID)).Length() != 1 ||
		d.Find(fmt.Sprintf(`form#reply-form-%d[action="/admin/comments/%d/reply"]`, pending.ID, pending.ID)).Length() != 1 {
		t.Fatal("no reply form on the pending comment's row")
	}
	// The public page is cached before the reply: the reply must purge it.
	s.MustGet(t, palmyraPage, http.StatusOK)

	t.Run("ErrForbidden", func(t *testing.T) {
		for _, r := range []users.Role{users.RoleContributor, users.RoleAuthor} {
			resp, body := as(t, s, r).post(fmt.Sprintf("/admin/comments/%d/reply", pending.ID), url.Values{"text": {"Réponse interdite à ce rôle."}})
			mustStatus(t, string(r)+" reply", resp, body, http.StatusForbidden)
		}
		if c, _ := s.App.Comments.Store.Comment(t.Context(), pending.ID); c.Status != comments.StatusPending || len(replies(pending.ID)) != 0 {
			t.Errorf("a forbidden reply changed something: %s, %d replies", c.Status, len(replies(pending.ID)))
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		resp, body := editor.post(fmt.Sprintf("/admin/comments/%d/reply", other.ID), url.Values{"text": {"  "}, "back": {"/admin/comments?status=pending"}})
		mustStatus(t, "empty reply", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		if d.Find(fmt.Sprintf("#c%d details.reply[open] #reply-%d-error", other.ID, other.ID)).Text() == "" {
			t.Error("no message next to the reply form")
		}
		if c, _ := s.App.Comments.Store.Comment(t.Context(), other.ID); c.Status != comments.StatusPending {
			t.Errorf("a refused reply approved its parent: %s", c.Status)
		}
	})
	t.Run("ErrUnknownID", func(t *testing.T) {
		resp, body := editor.post("/admin/comments/999999/reply", url.Values{"text": {"Une réponse à personne."}})
		mustStatus(t, "reply to nothing", resp, body, http.StatusNotFound)
	})
	t.Run("OKApprovesPendingParent", func(t *testing.T) {
		text := "Merci pour ce commentaire, la rédaction précise ce point."
		resp, body := editor.post(fmt.Sprintf("/admin/comments/%d/reply", pending.ID),
			url.Values{"text": {text}, "back": {"/admin/comments?status=pending"}})
		mustStatus(t, "reply", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/comments?") || !strings.Contains(loc, "done=replied") {
			t.Errorf("back to %q", loc)
		}
		if c, _ := s.App.Comments.Store.Comment(t.Context(), pending.ID); c.Status != comments.StatusApproved {
			t.Errorf("the parent is %s, want approved", c.Status)
		}
		got := replies(pending.ID)
		if len(got) != 1 {
			t.Fatalf("%d replies, want 1", len(got))
		}
		r := got[0]
		if r.Status != comments.StatusApproved || r.UserID != editor.user.ID || r.AuthorName != editor.user.Name ||
			r.AuthorEmail != editor.user.Email || !strings.Contains(string(r.BodyHTML), text) {
			t.Errorf("reply = %+v", r)
		}
		resp, body = editor.get("/admin/comments?status=approved")
		mustStatus(t, "approved tab", resp, body, http.StatusOK)
		if parse(t, body).Find(fmt.Sprintf("#c%d .status.staff", r.ID)).Length() != 1 {
			t.Error("the newsroom's reply is not marked in the queue")
		}
		if !strings.Contains(s.MustGet(t, palmyraPage, http.StatusOK), "la rédaction précise ce point") {
			t.Error("the article's page does not show the reply")
		}
	})
}
