package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/users"
)

// postComments posts n comments under the Palmyra article, as readers
// would; they wait in the queue (the demo's policy holds newcomers).
func postComments(t *testing.T, s *apptest.Site, n int) []*comments.Comment {
	t.Helper()
	art, err := s.App.Content.ArticleBySlug(t.Context(), "l-etat-islamique-reprend-palmyre")
	if err != nil {
		t.Fatal(err)
	}
	var out []*comments.Comment
	for i := range n {
		c, err := s.App.Comments.Post(t.Context(), comments.NewComment{ArticleID: art.ID, Name: fmt.Sprintf("Lecteur %d", i),
			Email: fmt.Sprintf("lecteur%d@example.org", i), Text: fmt.Sprintf("Commentaire numéro %d sur la reprise de Palmyre.", i),
			Consent: true, Stamp: s.App.Comments.Stamp(art.ID), IP: fmt.Sprintf("198.51.100.%d", i+1), Port: 40000})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

func TestCommentModeration(t *testing.T) {
	s := newSite(t, apptest.Options{})
	// The demo keeps two comments waiting; three more come.
	demo, err := s.App.Comments.PendingCount(t.Context())
	if err != nil || demo != 2 {
		t.Fatalf("demo's pending comments = %d, %v", demo, err)
	}
	list := postComments(t, s, 3)
	for _, r := range []users.Role{users.RoleContributor, users.RoleAuthor} {
		b := as(t, s, r)
		resp, body := b.get("/admin/comments")
		mustStatus(t, string(r)+" queue", resp, body, http.StatusForbidden)
		resp, body = b.post(fmt.Sprintf("/admin/comments/moderate?id=%d", list[0].ID), url.Values{"action": {"approve"}})
		mustStatus(t, string(r)+" approves", resp, body, http.StatusForbidden)
	}
	if c, _ := s.App.Comments.Store.Comment(t.Context(), list[0].ID); c.Status != comments.StatusPending {
		t.Fatalf("a forbidden approval happened: %s", c.Status)
	}

	editor := as(t, s, users.RoleEditor)
	resp, body := editor.get("/admin/")
	mustStatus(t, "dashboard", resp, body, http.StatusOK)
	if !strings.Contains(body, `href="/admin/comments"`) {
		t.Error("no link to the queue in the editor's menu")
	}
	if got := strings.TrimSpace(parse(t, body).Find(`.tiles a[href="/admin/comments"] strong`).Text()); got != "5" {
		t.Errorf("dashboard tile of held comments = %q, want 5", got)
	}
	resp, body = editor.get("/admin/comments")
	mustStatus(t, "queue", resp, body, http.StatusOK)
	d := parse(t, body)
	if got := d.Find("table.comments tbody tr").Length(); got != 5 {
		t.Errorf("pending rows = %d, want 5", got)
	}
	if !strings.Contains(d.Find(`nav.tabs a[aria-current="page"]`).Text(), "(5)") {
		t.Errorf("pending tab = %q", d.Find(`nav.tabs a[aria-current="page"]`).Text())
	}
	if d.Find(fmt.Sprintf("#c%d code", list[0].ID)).Text() != "198.51.100.1" {
		t.Error("the address is not shown")
	}

	// One row's button approves that comment only, whatever is checked.
	resp, body = editor.post(fmt.Sprintf("/admin/comments/moderate?id=%d", list[0].ID),
		url.Values{"action": {"approve"}, "id": {fmt.Sprint(list[1].ID)}, "back": {"/admin/comments?status=pending"}})
	mustStatus(t, "approve one", resp, body, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/comments?") || !strings.Contains(loc, "done=moderated") {
		t.Errorf("back to %q", loc)
	}
	// The checked ones go to spam together.
	resp, body = editor.post("/admin/comments/moderate", url.Values{"action": {"spam"}, "id": {fmt.Sprint(list[1].ID), fmt.Sprint(list[2].ID)}})
	mustStatus(t, "bulk spam", resp, body, http.StatusSeeOther)
	want := map[int64]comments.Status{list[0].ID: comments.StatusApproved, list[1].ID: comments.StatusSpam, list[2].ID: comments.StatusSpam}
	for id, st := range want {
		if c, _ := s.App.Comments.Store.Comment(t.Context(), id); c.Status != st {
			t.Errorf("comment %d is %s, want %s", id, c.Status, st)
		}
	}
	resp, body = editor.get("/admin/comments?status=spam&q=" + url.QueryEscape("198.51.100.3"))
	mustStatus(t, "spam tab, searched", resp, body, http.StatusOK)
	if got := parse(t, body).Find("table.comments tbody tr").Length(); got != 1 {
		t.Errorf("search by address in spam = %d rows", got)
	}

	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
	}{
		{"ErrUnknownAction", "/admin/comments/moderate", url.Values{"action": {"publish"}, "id": {fmt.Sprint(list[0].ID)}}, http.StatusBadRequest},
		{"ErrNoSelection", "/admin/comments/moderate", url.Values{"action": {"trash"}}, http.StatusBadRequest},
		{"ErrBadID", "/admin/comments/moderate?id=x", url.Values{"action": {"trash"}}, http.StatusBadRequest},
		{"ErrUnknownID", "/admin/comments/moderate?id=999999", url.Values{"action": {"trash"}}, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := editor.post(tt.path, tt.form)
			mustStatus(t, tt.name, resp, body, tt.status)
		})
	}
	if c, _ := s.App.Comments.Store.Comment(t.Context(), list[0].ID); c.Status != comments.StatusApproved {
		t.Errorf("a refused action changed a comment: %s", c.Status)
	}
}
