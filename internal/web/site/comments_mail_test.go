package site_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/mail/mailtest"
	"github.com/kiosque/kiosque/internal/settings"
)

// TestCommentNotifications follows the emails of a discussion through a
// real SMTP server: moderators hear of a held comment, a commenter who
// asked hears of the reply (even when the server first says "try again"),
// unsubscribes in one click, and hears nothing more.
func TestCommentNotifications(t *testing.T) {
	smtp := mailtest.New(t)
	clk := clock.NewFixed(time.Now())
	s := apptest.New(t, apptest.Options{Clock: clk, SMTPURL: smtp.URL, Serve: true})
	ctx := context.Background()
	st := *s.App.Settings.Get()
	st.CommentPolicy.Notify = settings.NotifyEach
	if err := s.App.Settings.Save(ctx, access.System, st); err != nil {
		t.Fatal(err)
	}
	page := s.MustGet(t, palmyra, http.StatusOK)
	clk.Advance(time.Minute)
	admin := access.Actor{UserID: 1, Role: access.System.Role, IP: "127.0.0.1"}

	postAs := func(t *testing.T, name, email, text string, parent int64, notify bool) int64 {
		t.Helper()
		v := form(t, page, text)
		v.Set("author", name)
		v.Set("email", email)
		if parent != 0 {
			v.Set("comment_parent", strconv.FormatInt(parent, 10))
		}
		if notify {
			v.Set("notify", "1")
		}
		resp, body := post(t, s, palmyra, v, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("post: status %d\n%.300s", resp.StatusCode, body)
		}
		loc := resp.Header.Get("Location")
		id, err := strconv.ParseInt(loc[strings.LastIndex(loc, "-")+1:], 10, 64)
		if err != nil {
			t.Fatalf("redirect %q", loc)
		}
		return id
	}
	subject := func(part string) func(mailtest.Message) bool {
		return func(m mailtest.Message) bool { return strings.Contains(m.Subject(), part) }
	}

	alice := postAs(t, "Alice", "alice@example.org", "Une question sur les sources de cet article.", 0, true)
	held := smtp.WaitFor(t, 20*time.Second, subject("Commentaire en attente"))
	if !strings.Contains(strings.Join(held.To, ","), "admin@le-veilleur.example") || !strings.Contains(held.Body, "Une question sur les sources") ||
		!strings.Contains(held.Body, "/admin/comments?status=pending") {
		t.Errorf("held notice: to %v\n%s", held.To, held.Body)
	}
	if err := s.App.Comments.Moderate(ctx, admin, []int64{alice}, comments.StatusApproved); err != nil {
		t.Fatal(err)
	}

	// Bob answers; his first comment waits, and Alice hears nothing until
	// it is approved, which the mail server first refuses for a while.
	bob := postAs(t, "Bob", "bob@example.org", "Les sources sont citées en bas de page.", alice, false)
	smtp.FailNext(1)
	if err := s.App.Comments.Moderate(ctx, admin, []int64{bob}, comments.StatusApproved); err != nil {
		t.Fatal(err)
	}
	reply := smtp.WaitFor(t, 30*time.Second, subject("Bob a répondu"))
	if len(reply.To) != 1 || reply.To[0] != "alice@example.org" {
		t.Errorf("reply notice to %v", reply.To)
	}
	if !strings.Contains(reply.Body, "Les sources sont citées") || !strings.Contains(reply.Body, palmyra+"#comment-"+strconv.FormatInt(bob, 10)) {
		t.Errorf("reply notice body:\n%s", reply.Body)
	}
	if reply.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", reply.Header.Get("List-Unsubscribe-Post"))
	}
	stop := strings.Trim(reply.Header.Get("List-Unsubscribe"), "<>")
	u, err := url.Parse(stop)
	if err != nil || u.Path != "/comments/unsubscribe" {
		t.Fatalf("List-Unsubscribe = %q", stop)
	}

	t.Run("ErrForgedUnsubscribe", func(t *testing.T) {
		resp, _ := post(t, s, u.Path+"?c="+u.Query().Get("c")+"&t=AAAA", url.Values{}, "")
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
	// A link scanner following the link changes nothing; the button does.
	if body := s.MustGet(t, u.RequestURI(), http.StatusOK); !strings.Contains(body, "Ne plus recevoir ces courriels") {
		t.Error("the unsubscribe page has no button")
	}
	if c, _ := s.App.Comments.Store.Comment(ctx, alice); !c.NotifyReplies {
		t.Fatal("opening the link unsubscribed")
	}
	resp, _ := post(t, s, u.RequestURI(), url.Values{"List-Unsubscribe": {"One-Click"}}, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d", resp.StatusCode)
	}
	if c, _ := s.App.Comments.Store.Comment(ctx, alice); c.NotifyReplies {
		t.Fatal("still subscribed after one click")
	}

	// Carol answers too: Alice unsubscribed, so the only email is the
	// moderators' notice of Carol's comment, sent after the approval.
	carol := postAs(t, "Carol", "carol@example.org", "Merci pour ces précisions utiles.", alice, false)
	if err := s.App.Comments.Moderate(ctx, admin, []int64{carol}, comments.StatusApproved); err != nil {
		t.Fatal(err)
	}
	postAs(t, "Dan", "dan@example.org", "Un dernier mot pour finir la discussion.", 0, false)
	smtp.WaitFor(t, 20*time.Second, func(m mailtest.Message) bool { return strings.Contains(m.Body, "Un dernier mot") })
	for _, m := range smtp.Messages() {
		if strings.Contains(m.Subject(), "Carol a répondu") {
			t.Error("an unsubscribed commenter was told of a reply")
		}
	}

	t.Run("OKStatementOfReasons", func(t *testing.T) {
		if err := s.App.Comments.Moderate(ctx, admin, []int64{alice}, comments.StatusTrash); err != nil {
			t.Fatal(err)
		}
		m := smtp.WaitFor(t, 20*time.Second, subject("a été retiré"))
		if len(m.To) != 1 || m.To[0] != "alice@example.org" || !strings.Contains(m.Body, "Une question sur les sources") ||
			!strings.Contains(m.Body, "Voies de recours") {
			t.Errorf("statement of reasons to %v:\n%s", m.To, m.Body)
		}
	})
	t.Run("OKDigest", func(t *testing.T) {
		st := *s.App.Settings.Get()
		st.CommentPolicy.Notify = settings.NotifyDaily
		if err := s.App.Settings.Save(ctx, access.System, st); err != nil {
			t.Fatal(err)
		}
		if err := s.App.Comments.Digest(ctx); err != nil {
			t.Fatal(err)
		}
		m := smtp.WaitFor(t, 20*time.Second, subject("nouveau"))
		if !strings.Contains(m.Subject(), "nouveau commentaire en attente") || !strings.Contains(m.Body, "Dan") {
			t.Errorf("digest %q:\n%s", m.Subject(), m.Body)
		}
	})
}
