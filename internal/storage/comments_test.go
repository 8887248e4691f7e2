package storage_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

func TestCommentStore(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		ctx := context.Background()
		st := storage.NewCommentStore(e.db)
		art := e.article(t, content.ArticleInput{Title: "L'État islamique reprend Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
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
		post := func(c *comments.Comment, ip string) *comments.Comment {
			t.Helper()
			c.ArticleID = art.ID
			if c.BodyHTML == "" {
				c.BodyHTML = "<p>" + c.Body + "</p>"
			}
			address, network, err := spam.RateKeys(ip)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.CreateComment(ctx, c, comments.LogEntry{Operation: comments.OpCreate, IP: ip, Port: 51000,
				Address: address, Network: network, At: c.CreatedAt}); err != nil {
				t.Fatalf("create comment %q: %v", c.Body, err)
			}
			return c
		}
		daniel := post(&comments.Comment{AuthorName: "Daniel Daflon", AuthorEmail: "Daniel@Example.org", AuthorURL: "https://daflon.example",
			Body: "Triste nouvelle pour Palmyre.", Status: comments.StatusApproved, Score: 0.1, Reasons: []string{"bayes"},
			NotifyReplies: true, CreatedAt: at(1)}, "203.0.113.7")
		held := post(&comments.Comment{AuthorName: "Inconnu", AuthorEmail: "new@example.org", Body: "Premier message.",
			Status: comments.StatusPending, CreatedAt: at(2)}, "203.0.113.8")
		reply := post(&comments.Comment{ParentID: daniel.ID, AuthorName: "Daniel D.", AuthorEmail: "daniel@example.org",
			Body: "J'ajoute une précision.", Status: comments.StatusApproved, CreatedAt: at(3)}, "203.0.113.7")
		staff := post(&comments.Comment{ParentID: daniel.ID, UserID: f.julien.ID, AuthorName: "La rédaction", AuthorEmail: "julien@example.org",
			Body: "Merci, nous corrigeons.", Status: comments.StatusApproved, CreatedAt: at(4)}, "192.0.2.1")

		t.Run("OKPeople", func(t *testing.T) {
			if daniel.PersonID == 0 || reply.PersonID != daniel.PersonID {
				t.Errorf("one email, one person: %d, %d", daniel.PersonID, reply.PersonID)
			}
			if held.PersonID == 0 || held.PersonID == daniel.PersonID {
				t.Errorf("another email, another person: %d", held.PersonID)
			}
			if staff.PersonID != 0 {
				t.Errorf("the newsroom's reply made a person record: %d", staff.PersonID)
			}
		})
		t.Run("OKRoundTrip", func(t *testing.T) {
			got, err := st.Comment(ctx, daniel.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.AuthorEmail != "daniel@example.org" || got.AuthorURL != "https://daflon.example" || got.Score != 0.1 ||
				!slices.Equal(got.Reasons, []string{"bayes"}) || !got.NotifyReplies || !got.CreatedAt.Equal(at(1)) ||
				got.Status != comments.StatusApproved || got.BodyHTML != "<p>Triste nouvelle pour Palmyre.</p>" {
				t.Errorf("comment = %+v", got)
			}
			if _, err := st.Comment(ctx, 999999); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown comment: %v", err)
			}
		})
		t.Run("OKArticleComments", func(t *testing.T) {
			ids := func(list []*comments.Comment) []int64 {
				var out []int64
				for _, c := range list {
					out = append(out, c.ID)
				}
				return out
			}
			list, err := st.ArticleComments(ctx, art.ID, nil)
			if err != nil || !slices.Equal(ids(list), []int64{daniel.ID, reply.ID, staff.ID}) {
				t.Errorf("approved = %v, %v", ids(list), err)
			}
			list, err = st.ArticleComments(ctx, art.ID, []int64{held.ID})
			if err != nil || !slices.Equal(ids(list), []int64{daniel.ID, held.ID, reply.ID, staff.ID}) {
				t.Errorf("with the reader's own = %v, %v", ids(list), err)
			}
			if n, err := st.ApprovedCount(ctx, art.ID); n != 3 || err != nil {
				t.Errorf("ApprovedCount = %d, %v", n, err)
			}
		})
		t.Run("OKKnownCommenter", func(t *testing.T) {
			for email, want := range map[string]bool{"DANIEL@example.org\t": true, "new@example.org": false, "nobody@example.org": false, "": false} {
				if got, err := st.KnownCommenter(ctx, email); got != want || err != nil {
					t.Errorf("KnownCommenter(%q) = %v, %v", email, got, err)
				}
			}
		})
		t.Run("OKRecentActivity", func(t *testing.T) {
			address, network, _ := spam.RateKeys("203.0.113.7")
			a, err := st.RecentActivity(ctx, spam.Fingerprint("  TRISTE nouvelle\npour Palmyre. "), at(0), address, network, at(0))
			// Daniel twice from .7, the newcomer from .8 in the same /24.
			if err != nil || a.SameText != 1 || a.FromAddress != 2 || a.FromNetwork != 3 {
				t.Errorf("activity = %+v, %v", a, err)
			}
			a, err = st.RecentActivity(ctx, spam.Fingerprint("Triste nouvelle pour Palmyre."), at(2), address, network, at(2))
			if err != nil || a.SameText != 0 || a.FromAddress != 1 || a.FromNetwork != 2 {
				t.Errorf("activity since minute 2 = %+v, %v", a, err)
			}
		})
		t.Run("OKSetStatus", func(t *testing.T) {
			mu.Lock()
			changed = nil
			mu.Unlock()
			before, err := st.SetStatus(ctx, []int64{held.ID, reply.ID}, comments.StatusApproved,
				comments.LogEntry{Operation: comments.OpModify, UserID: f.julien.ID, IP: "192.0.2.1", At: at(10)}, nil)
			if err != nil || len(before) != 2 || before[0].Status != comments.StatusPending || before[1].Status != comments.StatusApproved {
				t.Fatalf("SetStatus = %+v, %v", before, err)
			}
			if got, _ := st.Comment(ctx, held.ID); got.Status != comments.StatusApproved || !got.UpdatedAt.Equal(at(10)) {
				t.Errorf("held after approval = %+v", got)
			}
			if known, _ := st.KnownCommenter(ctx, "new@example.org"); !known {
				t.Error("an approved commenter is not known")
			}
			mu.Lock()
			if len(changed) != 1 || !slices.Equal(changed[0], []int64{art.ID}) {
				t.Errorf("change notices = %v", changed)
			}
			mu.Unlock()
			if _, err := st.SetStatus(ctx, []int64{daniel.ID, 999999}, comments.StatusTrash, comments.LogEntry{Operation: comments.OpDelete, At: at(11)}, nil); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown id in a batch: %v", err)
			}
			if got, _ := st.Comment(ctx, daniel.ID); got.Status != comments.StatusApproved {
				t.Errorf("a failed batch changed a comment: %s", got.Status)
			}
		})
		t.Run("OKPurgeLog", func(t *testing.T) {
			// Four creations and one approval of the held comment.
			n, err := st.PurgeLog(ctx, at(3))
			if err != nil || n != 2 {
				t.Errorf("PurgeLog before minute 3 = %d, %v", n, err)
			}
			if n, err = st.PurgeLog(ctx, at(60)); err != nil || n != 3 {
				t.Errorf("PurgeLog of the rest = %d, %v", n, err)
			}
		})
		t.Run("ErrUnknownArticle", func(t *testing.T) {
			c := &comments.Comment{ArticleID: 999999, AuthorName: "X", AuthorEmail: "x@example.org", Body: "x", BodyHTML: "x",
				Status: comments.StatusPending, CreatedAt: at(20)}
			if err := st.CreateComment(ctx, c, comments.LogEntry{Operation: comments.OpCreate, At: at(20)}); err == nil {
				t.Error("a comment on an unknown article was stored")
			}
		})
	})
}

func TestSpamTraining(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewCommentStore(e.db)
		pills := spam.Tokens("Achetez du viagra pas cher sur notre pharmacie", []string{"https://pharma.example/promo"})
		news := spam.Tokens("Merci pour cet article sur Palmyre", nil)
		for _, ch := range []spam.Change{
			spam.Retrain(pills, spam.LabelNone, spam.LabelSpam),
			spam.Retrain(news, spam.LabelNone, spam.LabelHam),
			spam.Retrain(news, spam.LabelNone, spam.LabelSpam), // a moderator's slip…
			spam.Retrain(news, spam.LabelSpam, spam.LabelHam),  // …reversed: counts move, not double
		} {
			if err := st.Train(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		totals, counts, err := st.SpamCounts(ctx, append(append([]string{}, pills...), news...))
		if err != nil {
			t.Fatal(err)
		}
		if totals != (spam.Totals{Spam: 1, Ham: 2}) {
			t.Errorf("totals = %+v, want 1 spam, 2 ham", totals)
		}
		if c := counts[pills[0]]; c != (spam.Count{Spam: 1}) {
			t.Errorf("count of %q = %+v", pills[0], c)
		}
		if c := counts[news[0]]; c != (spam.Count{Ham: 2}) {
			t.Errorf("count of %q = %+v", news[0], c)
		}
		// Untraining everything leaves no token rows behind.
		for _, ch := range []spam.Change{spam.Retrain(pills, spam.LabelSpam, spam.LabelNone), spam.Retrain(news, spam.LabelHam, spam.LabelNone),
			spam.Retrain(news, spam.LabelHam, spam.LabelNone)} {
			if err := st.Train(ctx, ch); err != nil {
				t.Fatal(err)
			}
		}
		totals, counts, err = st.SpamCounts(ctx, append(append([]string{}, pills...), news...))
		if err != nil || totals != (spam.Totals{}) || len(counts) != 0 {
			t.Errorf("after untraining: %+v, %v, %v", totals, counts, err)
		}
	})
}
