package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// TestCommenterPrivacy exports and erases a commenter's data through the
// comments service, on a real database: what the export holds, what the
// erasure removes, and what it must keep (the legal log, others' replies).
func TestCommenterPrivacy(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		staff := e.staff(t)
		admin, editor := staff[users.RoleAdmin], staff[users.RoleEditor]
		ctx := context.Background()
		st := storage.NewCommentStore(e.db)
		svc := comments.NewService(comments.Deps{Store: st, Articles: targets{e}, Clock: e.clock, Settings: e.settings.Get,
			Stamper: spam.NewStamper([]byte("a secret of at least sixteen bytes"))})
		palmyre := e.article(t, content.ArticleInput{Title: "L'État islamique reprend Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}})
		alep := e.article(t, content.ArticleInput{Title: "Alep, ville martyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}})
		var mu sync.Mutex
		var changed [][]int64
		e.db.OnChange(func(cs []storage.Change) {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range cs {
				if c.Entity == storage.EntityComment {
					changed = append(changed, c.IDs)
				}
			}
		})
		at := func(min int) time.Time { return epoch.Add(time.Duration(min) * time.Minute) }
		post := func(article int64, c *comments.Comment, ip string, port int) *comments.Comment {
			t.Helper()
			c.ArticleID, c.BodyHTML = article, "<p>"+c.Body+"</p>"
			address, network, err := spam.RateKeys(ip)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.CreateComment(ctx, c, comments.LogEntry{Operation: comments.OpCreate, IP: ip, Port: port,
				Address: address, Network: network, At: c.CreatedAt}); err != nil {
				t.Fatalf("create comment %q: %v", c.Body, err)
			}
			return c
		}
		daniel := func(c *comments.Comment) *comments.Comment {
			c.AuthorName, c.AuthorEmail, c.AuthorURL = "Daniel Daflon", "daniel@example.org", "https://daflon.example"
			return c
		}
		first := post(palmyre.ID, daniel(&comments.Comment{Body: "Triste nouvelle pour Palmyre.", Status: comments.StatusApproved,
			NotifyReplies: true, Score: 0.1, Reasons: []string{"bayes"}, CreatedAt: at(1)}), "203.0.113.7", 51001)
		zoe := post(palmyre.ID, &comments.Comment{ParentID: first.ID, AuthorName: "Zoé", AuthorEmail: "zoe@example.org",
			Body: "Je partage votre tristesse.", Status: comments.StatusApproved, CreatedAt: at(2)}, "198.51.100.2", 52000)
		answer := post(palmyre.ID, daniel(&comments.Comment{ParentID: zoe.ID, Body: "Merci Zoé.", Status: comments.StatusPending,
			CreatedAt: at(3)}), "203.0.113.7", 51002)
		newsroom := post(palmyre.ID, &comments.Comment{ParentID: first.ID, UserID: f.julien.ID, AuthorName: "La rédaction",
			AuthorEmail: "julien@example.org", Body: "Merci de votre fidélité.", Status: comments.StatusApproved, CreatedAt: at(4)}, "192.0.2.1", 0)
		junk := post(alep.ID, daniel(&comments.Comment{Body: "Achetez mes livres.", Status: comments.StatusSpam, CreatedAt: at(5)}),
			"2001:db8::7", 51003)
		// A moderator's decision on one of Daniel's comments: logged with
		// the moderator's address, which is not Daniel's to take away.
		if _, err := st.SetStatus(ctx, []int64{junk.ID}, comments.StatusTrash,
			comments.LogEntry{Operation: comments.OpDelete, UserID: f.julien.ID, IP: "192.0.2.1", At: at(6)}, nil); err != nil {
			t.Fatal(err)
		}
		e.clock.Set(at(60))
		created := func(c *comments.Comment, ip string, port int) comments.LogEntry {
			address, network, _ := spam.RateKeys(ip)
			return comments.LogEntry{CommentID: c.ID, Operation: comments.OpCreate, PersonID: first.PersonID, IP: ip, Port: port,
				Address: address, Network: network, At: c.CreatedAt}
		}
		danielLog := []comments.LogEntry{created(first, "203.0.113.7", 51001), created(answer, "203.0.113.7", 51002),
			created(junk, "2001:db8::7", 51003)}
		activity := func() comments.Activity {
			t.Helper()
			address, network, _ := spam.RateKeys("203.0.113.7")
			a, err := st.RecentActivity(ctx, "", at(0), address, network, at(0))
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		before := activity()

		t.Run("OKExport", func(t *testing.T) {
			x, err := svc.ExportPerson(ctx, admin, "  Daniel@Example.ORG ")
			if err != nil {
				t.Fatal(err)
			}
			if !x.At.Equal(at(60)) {
				t.Errorf("At = %v", x.At)
			}
			p := x.Person
			if p.ID != first.PersonID || p.Email != "daniel@example.org" || p.Name != "Daniel Daflon" || p.URL != "https://daflon.example" ||
				!p.CreatedAt.Equal(at(1)) || !p.UpdatedAt.Equal(at(5)) {
				t.Errorf("Person = %+v", p)
			}
			type row struct {
				ID                  int64
				Article, Status     string
				ParentID            int64
				Text, IP            string
				Notify              bool
				CreatedAt           time.Time
				Score               float64
				Reasons             []string
				AuthorName, Website string
			}
			var got []row
			for _, c := range x.Comments {
				got = append(got, row{c.ID, c.ArticleTitle, string(c.Status), c.ParentID, c.Body, c.IP, c.NotifyReplies, c.CreatedAt,
					c.Score, c.Reasons, c.AuthorName, c.AuthorURL})
			}
			want := []row{
				{first.ID, palmyre.Title, "approved", 0, "Triste nouvelle pour Palmyre.", "203.0.113.7", true, at(1), 0.1, []string{"bayes"}, "Daniel Daflon", "https://daflon.example"},
				{answer.ID, palmyre.Title, "pending", zoe.ID, "Merci Zoé.", "203.0.113.7", false, at(3), 0, nil, "Daniel Daflon", "https://daflon.example"},
				{junk.ID, alep.Title, "trash", 0, "Achetez mes livres.", "2001:db8::7", false, at(5), 0, nil, "Daniel Daflon", "https://daflon.example"},
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("comments (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(danielLog, x.Log); diff != "" {
				t.Errorf("log: only Daniel's own operations (-want +got):\n%s", diff)
			}
		})

		// Nothing below may change anything: checked by OKErase.
		tests := []struct {
			name  string
			actor string
			email string
			kind  apperr.Kind
			key   string
		}{
			{"ErrForbidden", "editor", "daniel@example.org", apperr.Forbidden, "error.forbidden.text"},
			{"ErrBadEmail", "admin", "daniel at example.org", apperr.Invalid, "error.commenter.bad_email"},
			{"ErrEmptyEmail", "admin", "  ", apperr.Invalid, "error.commenter.bad_email"},
			{"ErrUnknownEmail", "admin", "nobody@example.org", apperr.NotFound, "error.commenter.unknown"},
			{"ErrStaffEmail", "admin", "julien@example.org", apperr.NotFound, "error.commenter.unknown"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				actor := admin
				if tt.actor == "editor" {
					actor = editor
				}
				check := func(op string, err error) {
					t.Helper()
					if key, _ := apperr.Message(err); apperr.KindOf(err) != tt.kind || key != tt.key {
						t.Errorf("%s: %v, want %v (%s)", op, err, tt.kind, tt.key)
					}
					var ae *apperr.Error
					if tt.kind != apperr.Forbidden && (!errors.As(err, &ae) || ae.Field != "email") {
						t.Errorf("%s: %v names no field email", op, err)
					}
				}
				_, err := svc.ExportPerson(ctx, actor, tt.email)
				check("export", err)
				_, err = svc.ErasePerson(ctx, actor, tt.email)
				check("erase", err)
			})
		}
		t.Run("ErrAtomic", func(t *testing.T) {
			// The log entries are written after the deletion: the database
			// refuses an unknown operation, and the whole erasure goes back.
			_, err := st.ErasePerson(ctx, "daniel@example.org", comments.LogEntry{Operation: "forget", At: at(60)},
				func(comments.ErasureReport) *audit.Entry {
					t.Error("audit entry made for a failed erasure")
					return nil
				})
			if err == nil {
				t.Fatal("an erasure with a bad log entry succeeded")
			}
			d, err := st.PersonData(ctx, "daniel@example.org")
			if err != nil || len(d.Comments) != 3 || d.Person.Name != "Daniel Daflon" {
				t.Fatalf("after a failed erasure: %+v, %v", d, err)
			}
		})

		t.Run("OKErase", func(t *testing.T) {
			mu.Lock()
			changed = nil
			mu.Unlock()
			rep, err := svc.ErasePerson(ctx, admin, "daniel@example.org")
			if err != nil {
				t.Fatal(err)
			}
			want := comments.ErasureReport{PersonID: first.PersonID, Comments: 3, Articles: []int64{palmyre.ID, alep.ID},
				LogKept: 3, LastLogged: at(5)}
			if diff := cmp.Diff(want, rep); diff != "" {
				t.Errorf("report (-want +got):\n%s", diff)
			}
			if got := rep.LogUntil(); !got.Equal(at(5).Add(comments.LogRetention)) {
				t.Errorf("LogUntil = %v", got)
			}
			mu.Lock()
			if len(changed) != 1 || !slices.Equal(changed[0], []int64{palmyre.ID, alep.ID}) {
				t.Errorf("change notices = %v, want the two articles", changed)
			}
			mu.Unlock()

			for _, c := range []*comments.Comment{first, answer, junk} {
				if _, err := st.Comment(ctx, c.ID); !apperr.Is(err, apperr.NotFound) {
					t.Errorf("comment %d after erasure: %v", c.ID, err)
				}
			}
			// Zoé's reply and the newsroom's stay, as threads of their own.
			list, err := st.ArticleComments(ctx, palmyre.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			var top []int64
			for _, c := range comments.Thread(list, comments.DefaultMaxDepth) {
				top = append(top, c.ID)
			}
			if !slices.Equal(top, []int64{zoe.ID, newsroom.ID}) {
				t.Errorf("top-level comments after erasure = %v, want %v", top, []int64{zoe.ID, newsroom.ID})
			}
			if c, err := st.Comment(ctx, zoe.ID); err != nil || c.ParentID != 0 || c.AuthorEmail != "zoe@example.org" {
				t.Errorf("Zoé's reply = %+v, %v", c, err)
			}

			// The legal log keeps Daniel's creations, counted by the rate
			// limits as before.
			if got := activity(); got.FromAddress != before.FromAddress || got.FromNetwork != before.FromNetwork {
				t.Errorf("activity from Daniel's address = %+v, before %+v", got, before)
			}
			if _, err := svc.ExportPerson(ctx, admin, "daniel@example.org"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("export after erasure: %v", err)
			}
			if _, err := svc.ErasePerson(ctx, admin, "daniel@example.org"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("second erasure: %v", err)
			}

			a := e.lastAudit(t)
			if a.Action != audit.ActionCommenterErase || a.UserID != admin.UserID || a.TargetType != "person" ||
				a.TargetID != first.PersonID || a.IP != admin.IP || strings.Contains(a.Summary, "daniel") {
				t.Errorf("audit entry = %+v", a)
			}
			if a.Summary != fmt.Sprintf("person %d: 3 comments under 2 articles", first.PersonID) {
				t.Errorf("audit summary = %q", a.Summary)
			}
		})

		t.Run("OKCommentsAgainAfterErasure", func(t *testing.T) {
			// The erased comments' ids stay theirs in the log: a new
			// comment never takes the newest one's.
			again := post(palmyre.ID, daniel(&comments.Comment{Body: "Me revoilà.", Status: comments.StatusPending, CreatedAt: at(61)}),
				"203.0.113.9", 51004)
			if again.ID <= junk.ID {
				t.Errorf("new comment id %d reuses an erased one (newest was %d)", again.ID, junk.ID)
			}
			if again.PersonID == first.PersonID {
				t.Error("the erased person record was reused")
			}
			x, err := svc.ExportPerson(ctx, admin, "daniel@example.org")
			if err != nil || len(x.Comments) != 1 || len(x.Log) != 1 || x.Log[0].IP != "203.0.113.9" {
				t.Errorf("export of the new record = %+v, %v", x, err)
			}
		})

		t.Run("OKLogKept", func(t *testing.T) {
			// Five creations, one moderation and the erasure's three
			// deletions stay in the log until the purge.
			if n, err := st.PurgeLog(ctx, at(61)); err != nil || n != 9 {
				t.Errorf("PurgeLog before the new comment = %d, %v; want 9", n, err)
			}
		})
	})
}
