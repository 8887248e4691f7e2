package storage_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/testutil"
	"github.com/kiosque/kiosque/internal/users"
)

// logLine is one line of the legal log, as a test compares it.
type logLine struct {
	Operation string
	UserID    int64
	IP        string
}

// commentLog reads the legal log of one comment, oldest first.
func commentLog(t *testing.T, db *storage.DB, id int64) []logLine {
	t.Helper()
	const q = "SELECT operation, COALESCE(user_id, 0), ip FROM comment_log WHERE comment_id = $1 ORDER BY id"
	var out []logLine
	scan := func(next func() bool, scan func(...any) error) {
		for next() {
			var l logLine
			if err := scan(&l.Operation, &l.UserID, &l.IP); err != nil {
				t.Fatal(err)
			}
			out = append(out, l)
		}
	}
	if db.Dialect() == storage.Postgres {
		rs, err := db.Pool().Query(context.Background(), q, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		scan(rs.Next, rs.Scan)
		return out
	}
	rs, err := db.SQLWrite().QueryContext(context.Background(), q, id)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rs.Close() }()
	scan(rs.Next, rs.Scan)
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCommentEditAndReply runs a moderator's edits and the newsroom's
// replies through the comments service on a real database.
func TestCommentEditAndReply(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		ctx := context.Background()
		st := storage.NewCommentStore(e.db)
		svc := comments.NewService(comments.Deps{Store: st, Articles: targets{e}, Clock: e.clock, Settings: e.settings.Get,
			Stamper: spam.NewStamper([]byte("a secret of at least sixteen bytes"))})
		art := e.article(t, content.ArticleInput{Title: "L'État islamique reprend Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: true})
		editor := access.Actor{UserID: f.julien.ID, Name: f.julien.Name, Email: f.julien.Email, Role: users.RoleEditor, IP: "192.0.2.10"}
		author := access.Actor{UserID: f.claire.ID, Name: f.claire.Name, Email: f.claire.Email, Role: users.RoleAuthor, IP: "192.0.2.11"}

		var mu sync.Mutex
		var changed []int64
		e.db.OnChange(func(cs []storage.Change) {
			mu.Lock()
			defer mu.Unlock()
			for _, c := range cs {
				if c.Entity == storage.EntityComment {
					changed = append(changed, c.IDs...)
				}
			}
		})
		changes := func() []int64 {
			mu.Lock()
			defer mu.Unlock()
			out := changed
			changed = nil
			return out
		}
		post := func(name, text string, status comments.Status, minute int) *comments.Comment {
			t.Helper()
			c := &comments.Comment{ArticleID: art.ID, AuthorName: name, AuthorEmail: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org",
				Body: text, BodyHTML: "<p>" + text + "</p>", Status: status, CreatedAt: epoch.Add(time.Duration(minute) * time.Minute)}
			if err := st.CreateComment(ctx, c, comments.LogEntry{Operation: comments.OpCreate, IP: "203.0.113.7", At: c.CreatedAt}); err != nil {
				t.Fatal(err)
			}
			return c
		}
		numbers := func() map[int64]int {
			t.Helper()
			list, err := st.ArticleComments(ctx, art.ID, nil)
			if err != nil {
				t.Fatal(err)
			}
			out := map[int64]int{}
			comments.Walk(comments.Thread(list, comments.DefaultMaxDepth), func(c *comments.Comment) { out[c.ID] = c.Number })
			return out
		}
		daniel := post("Daniel Daflon", "Triste nouvelle pour Palmyre.", comments.StatusApproved, 1)
		ines := post("Ines Lambert", "Le théâtre antique a souffert.", comments.StatusApproved, 2)
		held := post("Nouveau Venu", "Premier message, en attente de validation.", comments.StatusPending, 3)
		e.clock.Advance(time.Hour)
		changes()

		t.Run("OKEdit", func(t *testing.T) {
			before := numbers()
			// The form sends the status it showed: kept, it is no decision.
			same := comments.StatusApproved
			got, err := svc.Edit(ctx, editor, ines.ID, comments.CommentEdit{Name: " Inès Lambert ", Email: "Ines@Exemple.FR",
				URL: "https://ines.example", Text: "Le théâtre antique a **beaucoup** souffert.", Status: &same, Seen: ines.UpdatedAt})
			if err != nil {
				t.Fatal(err)
			}
			if got.ID != ines.ID || !got.CreatedAt.Equal(ines.CreatedAt) || !got.UpdatedAt.Equal(e.clock.Now()) ||
				got.Status != comments.StatusApproved || got.AuthorName != "Inès Lambert" || got.AuthorEmail != "ines@exemple.fr" ||
				got.AuthorURL != "https://ines.example" || !strings.Contains(got.BodyHTML, "<strong>beaucoup</strong>") ||
				!strings.Contains(got.BodyHTML, "théâtre") {
				t.Errorf("edited = %+v", got)
			}
			if got.Trained != spam.LabelNone {
				t.Errorf("an edit keeping the status trained the classifier: %v", got.Trained)
			}
			if got.PersonID == 0 || got.PersonID == ines.PersonID {
				t.Errorf("a new address, a new person: %d, was %d", got.PersonID, ines.PersonID)
			}
			if stored, err := st.Comment(ctx, ines.ID); err != nil || stored.Body != got.Body || !stored.UpdatedAt.Equal(got.UpdatedAt) {
				t.Errorf("stored = %+v, %v", stored, err)
			}
			if diff := cmp.Diff(before, numbers()); diff != "" {
				t.Errorf("numbers changed (-before +after):\n%s", diff)
			}
			want := []logLine{{"create", 0, "203.0.113.7"}, {"modify", f.julien.ID, "192.0.2.10"}}
			if diff := cmp.Diff(want, commentLog(t, e.db, ines.ID)); diff != "" {
				t.Errorf("legal log (-want +got):\n%s", diff)
			}
			if got := changes(); !slices.Equal(got, []int64{art.ID}) {
				t.Errorf("change notices = %v, want the article's", got)
			}
		})
		t.Run("ErrStale", func(t *testing.T) {
			// ines still holds the UpdatedAt of before the edit above.
			_, err := svc.Edit(ctx, editor, ines.ID, comments.CommentEdit{Name: "Quelqu'un", Email: "q@example.org",
				Text: "Une version plus ancienne du texte.", Seen: ines.UpdatedAt})
			if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("stale edit: %v", err)
			}
			if c, _ := st.Comment(ctx, ines.ID); c.AuthorName != "Inès Lambert" {
				t.Errorf("a stale edit was saved: %+v", c)
			}
		})
		t.Run("OKFrozenClock", func(t *testing.T) {
			// Two edits in the same instant: the second form, opened before
			// the first edit, must still be refused.
			c, _ := st.Comment(ctx, daniel.ID)
			edit := comments.CommentEdit{Name: "Daniel Daflon", Email: "daniel.daflon@example.org", Text: "Triste nouvelle pour Palmyre !", Seen: c.UpdatedAt}
			first, err := svc.Edit(ctx, editor, daniel.ID, edit)
			if err != nil {
				t.Fatal(err)
			}
			if !first.UpdatedAt.After(c.UpdatedAt) {
				t.Errorf("UpdatedAt did not move: %v, was %v", first.UpdatedAt, c.UpdatedAt)
			}
			if _, err := svc.Edit(ctx, editor, daniel.ID, edit); !apperr.Is(err, apperr.Conflict) {
				t.Errorf("second edit of the same version: %v", err)
			}
			edit.Seen = first.UpdatedAt
			if _, err := svc.Edit(ctx, editor, daniel.ID, edit); err != nil {
				t.Errorf("edit of the new version: %v", err)
			}
		})
		t.Run("OKEditStatus", func(t *testing.T) {
			changes()
			approved := comments.StatusApproved
			got, err := svc.Edit(ctx, editor, held.ID, comments.CommentEdit{Name: held.AuthorName, Email: held.AuthorEmail,
				Text: held.Body, Status: &approved, Seen: held.UpdatedAt})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != comments.StatusApproved || got.Trained != spam.LabelHam || len(got.TrainedTokens) == 0 {
				t.Errorf("approved by an edit = %+v", got)
			}
			if got := changes(); !slices.Equal(got, []int64{art.ID}) {
				t.Errorf("change notices = %v, want the article's", got)
			}
			held = got
		})
		t.Run("OKEditApprovesReply", func(t *testing.T) {
			// A reply made visible by an edit tells the parent's author, as
			// an approval from the queue does.
			reply := &comments.Comment{ArticleID: art.ID, ParentID: daniel.ID, AuthorName: "Lectrice", AuthorEmail: "lectrice@example.org",
				Body: "Je réponds à Daniel.", BodyHTML: "<p>Je réponds à Daniel.</p>", Status: comments.StatusPending, CreatedAt: e.clock.Now()}
			if err := st.CreateComment(ctx, reply, comments.LogEntry{Operation: comments.OpCreate, IP: "203.0.113.9", At: reply.CreatedAt}); err != nil {
				t.Fatal(err)
			}
			jobs := func() int {
				n, err := e.db.CountJobs(ctx, comments.NotifyArgs{}.Kind())
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			start := jobs()
			approved := comments.StatusApproved
			if _, err := svc.Edit(ctx, editor, reply.ID, comments.CommentEdit{Name: reply.AuthorName, Email: reply.AuthorEmail,
				Text: reply.Body, Status: &approved, Seen: reply.UpdatedAt}); err != nil {
				t.Fatal(err)
			}
			if got := jobs(); got != start+1 {
				t.Errorf("notification jobs = %d, want %d", got, start+1)
			}
		})
		t.Run("ErrEdit", func(t *testing.T) {
			c, _ := st.Comment(ctx, daniel.ID)
			bad := comments.Status("published")
			tests := []struct {
				name   string
				actor  access.Actor
				id     int64
				edit   comments.CommentEdit
				kind   apperr.Kind
				fields []string
			}{
				{"ErrFields", editor, daniel.ID, comments.CommentEdit{Name: "", Email: "pas une adresse", URL: "javascript:alert(1)", Text: " ", Seen: c.UpdatedAt},
					apperr.Invalid, []string{"name", "email", "url", "text"}},
				{"ErrStatus", editor, daniel.ID, comments.CommentEdit{Name: "Daniel", Email: "d@example.org", Text: "Un texte valable.", Status: &bad, Seen: c.UpdatedAt},
					apperr.Invalid, []string{"status"}},
				{"ErrForbidden", author, daniel.ID, comments.CommentEdit{Name: "Daniel", Email: "d@example.org", Text: "Un texte valable.", Seen: c.UpdatedAt},
					apperr.Forbidden, nil},
				{"ErrNotFound", editor, 999999, comments.CommentEdit{Name: "Daniel", Email: "d@example.org", Text: "Un texte valable.", Seen: c.UpdatedAt},
					apperr.NotFound, nil},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := svc.Edit(ctx, tt.actor, tt.id, tt.edit)
					if !apperr.Is(err, tt.kind) {
						t.Fatalf("Edit: %v, want %v", err, tt.kind)
					}
					if got := testutil.Fields(err); tt.fields != nil && !slices.Equal(got, tt.fields) {
						t.Errorf("fields %q, want %q", got, tt.fields)
					}
				})
			}
			if after, _ := st.Comment(ctx, daniel.ID); !after.UpdatedAt.Equal(c.UpdatedAt) || after.Body != c.Body {
				t.Errorf("a refused edit changed the comment: %+v", after)
			}
		})

		t.Run("OKReply", func(t *testing.T) {
			changes()
			e.clock.Advance(time.Minute)
			r, err := svc.Reply(ctx, editor, daniel.ID, "Merci, nous avons *corrigé* l'article.")
			if err != nil {
				t.Fatal(err)
			}
			got, err := st.Comment(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != comments.StatusApproved || !got.Staff() || got.UserID != f.julien.ID || got.PersonID != 0 ||
				got.AuthorName != "Julien Ferrand" || got.AuthorEmail != "julien@example.org" || got.ArticleID != art.ID ||
				got.ParentID != daniel.ID || !got.CreatedAt.Equal(e.clock.Now()) || !strings.Contains(got.BodyHTML, "<em>corrigé</em>") {
				t.Errorf("reply = %+v", got)
			}
			if diff := cmp.Diff([]logLine{{"create", f.julien.ID, "192.0.2.10"}}, commentLog(t, e.db, r.ID)); diff != "" {
				t.Errorf("legal log (-want +got):\n%s", diff)
			}
			if got := changes(); !slices.Equal(got, []int64{art.ID}) {
				t.Errorf("change notices = %v, want the article's", got)
			}
			if _, ok := numbers()[r.ID]; !ok {
				t.Error("the reply is not in the article's thread")
			}
		})
		t.Run("OKReplyApprovesPending", func(t *testing.T) {
			waiting := post("Autre Lecteur", "Une question restée en attente.", comments.StatusPending, 30)
			r, err := svc.Reply(ctx, editor, waiting.ID, "Bonne question : la réponse est dans l'article.")
			if err != nil {
				t.Fatal(err)
			}
			parent, err := st.Comment(ctx, waiting.ID)
			if err != nil || parent.Status != comments.StatusApproved || parent.Trained != spam.LabelHam {
				t.Errorf("parent after the reply = %+v, %v", parent, err)
			}
			want := []logLine{{"create", 0, "203.0.113.7"}, {"modify", f.julien.ID, "192.0.2.10"}}
			if diff := cmp.Diff(want, commentLog(t, e.db, waiting.ID)); diff != "" {
				t.Errorf("parent's legal log (-want +got):\n%s", diff)
			}
			n := numbers()
			if n[waiting.ID] == 0 || n[r.ID] == 0 {
				t.Errorf("thread numbers %v lack the parent %d or the reply %d", n, waiting.ID, r.ID)
			}
		})
		t.Run("ErrReply", func(t *testing.T) {
			trashed := post("Lecteur Grossier", "Un message retiré par la modération.", comments.StatusPending, 31)
			if err := svc.Moderate(ctx, editor, []int64{trashed.ID}, comments.StatusTrash); err != nil {
				t.Fatal(err)
			}
			count, err := st.ApprovedCount(ctx, art.ID)
			if err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				name   string
				actor  access.Actor
				parent int64
				text   string
				kind   apperr.Kind
			}{
				{"ErrMissingParent", editor, 999999, "Une réponse à personne.", apperr.NotFound},
				{"ErrEmpty", editor, daniel.ID, "  \n ", apperr.Invalid},
				{"ErrTrashedParent", editor, trashed.ID, "Une réponse à un message retiré.", apperr.Invalid},
				{"ErrForbidden", author, daniel.ID, "Une réponse d'une autrice.", apperr.Forbidden},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					if _, err := svc.Reply(ctx, tt.actor, tt.parent, tt.text); !apperr.Is(err, tt.kind) {
						t.Errorf("Reply: %v, want %v", err, tt.kind)
					}
				})
			}
			if after, _ := st.ApprovedCount(ctx, art.ID); after != count {
				t.Errorf("refused replies were stored: %d approved, was %d", after, count)
			}
		})
	})
}
