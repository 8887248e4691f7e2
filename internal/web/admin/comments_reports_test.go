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

// reportComment sends a reader's notice about comment id, as the public
// form does.
func reportComment(t *testing.T, s *apptest.Site, id int64, reason comments.ReportReason, name, ip string) *comments.Report {
	t.Helper()
	email := ""
	if name != "" {
		email = strings.ToLower(strings.Fields(name)[0]) + "@example.org"
	}
	r, err := s.App.Comments.Report(t.Context(), comments.NewReport{CommentID: id, Reason: reason,
		Explanation: "Ce commentaire me paraît illicite, pour les raisons que voici.", URL: fmt.Sprintf("%s/#comment-%d", s.URL, id),
		Name: name, Email: email, GoodFaith: true, IP: ip})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCommentReports(t *testing.T) {
	s := newSite(t, apptest.Options{})
	ctx := t.Context()
	first := reportComment(t, s, 1, comments.ReasonDefamation, "Inès Lambert", "198.51.100.7")
	second := reportComment(t, s, 2, comments.ReasonChildAbuse, "", "198.51.100.8")
	decide := func(b *browser, id int64, form url.Values) (*http.Response, string) {
		t.Helper()
		return b.post(fmt.Sprintf("/admin/comments/reports/%d/decide", id), form)
	}
	status := func(id int64) comments.ReportStatus {
		t.Helper()
		r, err := s.App.Comments.Store.Report(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}

	t.Run("ErrForbidden", func(t *testing.T) {
		for _, r := range []users.Role{users.RoleContributor, users.RoleAuthor} {
			b := as(t, s, r)
			resp, body := b.get("/admin/comments/reports")
			mustStatus(t, string(r)+" list", resp, body, http.StatusForbidden)
			resp, body = decide(b, first.ID, url.Values{"action": {"remove"}})
			mustStatus(t, string(r)+" decides", resp, body, http.StatusForbidden)
		}
		if status(first.ID) != comments.ReportOpen {
			t.Fatal("a forbidden decision was taken")
		}
		if c, _ := s.App.Comments.Store.Comment(ctx, 1); c.Status != comments.StatusApproved {
			t.Fatalf("a forbidden decision moved the comment to %s", c.Status)
		}
	})

	editor := as(t, s, users.RoleEditor)
	t.Run("OKList", func(t *testing.T) {
		resp, body := editor.get("/admin/comments")
		mustStatus(t, "queue", resp, body, http.StatusOK)
		// Two reports here, and the demo's own.
		if got := parse(t, body).Find(`a[href="/admin/comments/reports"]`).Text(); !strings.Contains(got, "(3)") {
			t.Errorf("link to the reports = %q, want the open count", got)
		}
		resp, body = editor.get("/admin/comments/reports")
		mustStatus(t, "reports", resp, body, http.StatusOK)
		d := parse(t, body)
		rows := d.Find("table.reports tbody tr")
		if rows.Length() != 3 || rows.First().AttrOr("id", "") != fmt.Sprintf("r%d", second.ID) {
			t.Fatalf("%d rows, first %q", rows.Length(), rows.First().AttrOr("id", ""))
		}
		row := d.Find(fmt.Sprintf("#r%d", first.ID))
		for _, want := range []string{"Quelle tristesse", "Diffamation ou injure", "pour les raisons que voici", "Inès Lambert", "198.51.100.7"} {
			if !strings.Contains(row.Text(), want) {
				t.Errorf("the row lacks %q:\n%s", want, row.Text())
			}
		}
		if row.Find(fmt.Sprintf(`a[href="%s/#comment-1"]`, s.URL)).Length() != 1 || row.Find(`a[href^="/admin/comments/1/edit"]`).Length() != 1 {
			t.Error("no link to the comment")
		}
		if !strings.Contains(d.Find(fmt.Sprintf("#r%d", second.ID)).Text(), "anonyme") {
			t.Error("an anonymous notice is not marked as such")
		}
		if row.Find(`button[value="remove"]`).Length() != 1 || row.Find(`button[value="keep"]`).Length() != 1 || row.Find(`textarea[name="note"]`).Length() != 1 {
			t.Error("no decision form")
		}
		if !strings.Contains(d.Find(`nav.tabs a[aria-current="page"]`).Text(), "(3)") {
			t.Errorf("current tab = %q", d.Find(`nav.tabs a[aria-current="page"]`).Text())
		}
	})

	t.Run("ErrNoAction", func(t *testing.T) {
		resp, body := decide(editor, first.ID, url.Values{"note": {"?"}})
		mustStatus(t, "no action", resp, body, http.StatusBadRequest)
	})
	t.Run("ErrNoteTooLong", func(t *testing.T) {
		note := strings.Repeat("trop long ", comments.MaxNoteLen/10+1)
		resp, body := decide(editor, first.ID, url.Values{"action": {"remove"}, "note": {note}, "back": {"/admin/comments/reports"}})
		mustStatus(t, "long note", resp, body, http.StatusUnprocessableEntity)
		row := parse(t, body).Find(fmt.Sprintf("#r%d", first.ID))
		if row.Find("textarea").Text() != note || row.Find(".field-error").Length() != 1 {
			t.Error("the refused note is not shown again with its message")
		}
		if status(first.ID) != comments.ReportOpen {
			t.Fatal("a refused decision was taken")
		}
	})
	t.Run("OKRemove", func(t *testing.T) {
		resp, body := decide(editor, first.ID, url.Values{"action": {"remove"}, "note": {"Accusation sans preuve."}, "back": {"/admin/comments/reports"}})
		mustStatus(t, "remove", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/admin/comments/reports?done=moderated" {
			t.Errorf("sent to %q", loc)
		}
		if status(first.ID) != comments.ReportRemoved {
			t.Errorf("report %s", status(first.ID))
		}
		if c, _ := s.App.Comments.Store.Comment(ctx, 1); c.Status != comments.StatusTrash {
			t.Errorf("removed comment is %s", c.Status)
		}
		_, body = editor.get("/admin/comments/reports")
		row := parse(t, body).Find(fmt.Sprintf("#r%d", first.ID))
		if !strings.Contains(row.Text(), "Accusation sans preuve.") || !strings.Contains(row.Text(), "Test editor") || row.Find("form").Length() != 0 {
			t.Errorf("decided row:\n%s", row.Text())
		}
	})
	t.Run("ErrDecidedTwice", func(t *testing.T) {
		resp, body := decide(editor, first.ID, url.Values{"action": {"keep"}})
		mustStatus(t, "decide again", resp, body, http.StatusConflict)
		if status(first.ID) != comments.ReportRemoved {
			t.Error("the second decision changed the report")
		}
	})
	t.Run("OKKeep", func(t *testing.T) {
		resp, body := decide(as(t, s, users.RoleAdmin), second.ID, url.Values{"action": {"keep"}})
		mustStatus(t, "keep", resp, body, http.StatusSeeOther)
		if status(second.ID) != comments.ReportKept {
			t.Errorf("report %s", status(second.ID))
		}
		if c, _ := s.App.Comments.Store.Comment(ctx, 2); c.Status != comments.StatusApproved {
			t.Errorf("kept comment is %s", c.Status)
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		resp, body := decide(editor, 999999, url.Values{"action": {"keep"}})
		mustStatus(t, "unknown report", resp, body, http.StatusNotFound)
	})
}
