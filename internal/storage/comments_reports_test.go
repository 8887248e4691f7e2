package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/testutil"
	"github.com/kiosque/kiosque/internal/users"
)

// reportMails writes emails a test recognises: what they are, and the
// report (and comment) they are about.
type reportMails struct{}

func (reportMails) ReportReceived(r *comments.Report, _ *comments.Comment, _ *comments.Target) job.Email {
	return job.Email{To: []string{r.Email}, Subject: fmt.Sprintf("received %d", r.ID)}
}

func (reportMails) ReportHeld(to []string, r *comments.Report, c *comments.Comment, _ *comments.Target) job.Email {
	return job.Email{To: to, Subject: fmt.Sprintf("held %d on %d", r.ID, c.ID)}
}

func (reportMails) ReportDecided(r *comments.Report) job.Email {
	return job.Email{To: []string{r.Email}, Subject: fmt.Sprintf("%s %d", r.Status, r.ID)}
}

func (reportMails) Statement(r *comments.Report, c *comments.Comment, _ *comments.Target) job.Email {
	return job.Email{To: []string{c.AuthorEmail}, Subject: fmt.Sprintf("statement on %d for %d: %s", c.ID, r.ID, r.Note)}
}

// mailQueue reads the emails inserted in the job queue: next returns
// those queued since its last call, as "subject → recipients", in the
// order they were queued.
type mailQueue struct {
	db   *storage.DB
	seen int
}

func (q *mailQueue) next(t *testing.T) []string {
	t.Helper()
	// SQLite keeps the arguments as JSONB: json() gives the text.
	query := "SELECT json(args) FROM river_job WHERE kind = 'mail.send' ORDER BY id"
	var raw [][]byte
	if q.db.Dialect() == storage.Postgres {
		query = "SELECT args FROM river_job WHERE kind = 'mail.send' ORDER BY id"
		rs, err := q.db.Pool().Query(context.Background(), query)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var b []byte
			if err := rs.Scan(&b); err != nil {
				t.Fatal(err)
			}
			raw = append(raw, b)
		}
		rs.Close()
	} else {
		rs, err := q.db.SQLWrite().QueryContext(context.Background(), query)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var b []byte
			if err := rs.Scan(&b); err != nil {
				t.Fatal(err)
			}
			raw = append(raw, b)
		}
		if err := rs.Close(); err != nil {
			t.Fatal(err)
		}
	}
	var out []string
	for _, b := range raw[q.seen:] {
		var m job.Email
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m.Subject+" → "+strings.Join(m.To, ","))
	}
	q.seen = len(raw)
	return out
}

// fieldsOf returns the fields an error names, sorted.
func fieldsOf(err error) []string {
	out := testutil.Fields(err)
	slices.Sort(out)
	return out
}

// TestCommentReport runs readers' notices and moderators' decisions
// (DSA art. 16 and 17) through the comments service, on a real database.
func TestCommentReport(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		staff := e.staff(t)
		admin, editor, author := staff[users.RoleAdmin], staff[users.RoleEditor], staff[users.RoleAuthor]
		ctx := context.Background()
		st := storage.NewCommentStore(e.db)
		svc := comments.NewService(comments.Deps{Store: st, Articles: targets{e}, Clock: e.clock, Settings: e.settings.Get,
			Stamper: spam.NewStamper([]byte("a secret of at least sixteen bytes")), ReportMails: reportMails{},
			Moderators: func(context.Context) ([]string, error) { return []string{"moderation@example.org"}, nil }})
		art := e.article(t, content.ArticleInput{Title: "L'État islamique reprend Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: true})
		mails := &mailQueue{db: e.db}
		minute := 0
		post := func(name, email, text string, status comments.Status, userID int64) *comments.Comment {
			t.Helper()
			minute++
			c := &comments.Comment{ArticleID: art.ID, UserID: userID, AuthorName: name, AuthorEmail: email, Body: text,
				BodyHTML: "<p>" + text + "</p>", Status: status, CreatedAt: epoch.Add(time.Duration(minute) * time.Minute)}
			if err := st.CreateComment(ctx, c, comments.LogEntry{Operation: comments.OpCreate, IP: "203.0.113.7", At: c.CreatedAt}); err != nil {
				t.Fatal(err)
			}
			return c
		}
		daniel := post("Daniel Daflon", "daniel@example.org", "Le maire de Palmyre est un voleur, tout le monde le sait.", comments.StatusApproved, 0)
		zoe := post("Zoé", "zoe@example.org", "Je ne suis pas d'accord avec l'article.", comments.StatusApproved, 0)
		held := post("Nouveau Venu", "nouveau@example.org", "Premier message, en attente.", comments.StatusPending, 0)
		newsroom := post("La rédaction", "julien@example.org", "Merci de rester courtois.", comments.StatusApproved, f.julien.ID)
		erwan := post("Erwan", "erwan@example.org", "Voici l'adresse personnelle du maire : 3 rue des Lilas.", comments.StatusApproved, 0)
		e.clock.Set(epoch.Add(time.Hour))

		ip := 0
		valid := func(commentID int64) comments.NewReport {
			ip++
			return comments.NewReport{CommentID: commentID, Reason: comments.ReasonDefamation,
				Explanation: "  Ce commentaire accuse nommément le maire d'un vol, sans la moindre preuve.\r\n",
				URL:         fmt.Sprintf("https://veilleur.example/2017/01/15/palmyre/#comment-%d", commentID),
				Name:        " Inès Lambert ", Email: "Ines@Example.org", GoodFaith: true, IP: fmt.Sprintf("198.51.100.%d", ip), Port: 40000 + ip}
		}

		t.Run("Validation", func(t *testing.T) {
			tests := []struct {
				name   string
				change func(*comments.NewReport)
				kind   apperr.Kind // Internal for none
				fields []string
			}{
				{name: "OK", change: func(*comments.NewReport) {}},
				{name: "OKChildAbuseAnonymous", change: func(in *comments.NewReport) {
					in.Reason, in.Name, in.Email = comments.ReasonChildAbuse, "", ""
				}},
				{name: "OKChildAbuseWithEmail", change: func(in *comments.NewReport) { in.Reason, in.Name = comments.ReasonChildAbuse, "" }},
				{name: "ErrNoGoodFaith", change: func(in *comments.NewReport) { in.GoodFaith = false }, kind: apperr.Invalid, fields: []string{"good_faith"}},
				{name: "ErrNoReason", change: func(in *comments.NewReport) { in.Reason = "" }, kind: apperr.Invalid, fields: []string{"reason"}},
				{name: "ErrUnknownReason", change: func(in *comments.NewReport) { in.Reason = "rude" }, kind: apperr.Invalid, fields: []string{"reason"}},
				{name: "ErrNoExplanation", change: func(in *comments.NewReport) { in.Explanation = " \n " }, kind: apperr.Invalid, fields: []string{"explanation"}},
				{name: "ErrShortExplanation", change: func(in *comments.NewReport) { in.Explanation = "C'est illégal." }, kind: apperr.Invalid, fields: []string{"explanation"}},
				{name: "ErrLongExplanation", change: func(in *comments.NewReport) {
					in.Explanation = strings.Repeat("é", comments.MaxExplanationLen+1)
				}, kind: apperr.Invalid, fields: []string{"explanation"}},
				{name: "ErrNoURL", change: func(in *comments.NewReport) { in.URL = "" }, kind: apperr.Invalid, fields: []string{"url"}},
				{name: "ErrBadURL", change: func(in *comments.NewReport) { in.URL = "javascript:alert(1)" }, kind: apperr.Invalid, fields: []string{"url"}},
				{name: "ErrNoName", change: func(in *comments.NewReport) { in.Name = "" }, kind: apperr.Invalid, fields: []string{"name"}},
				{name: "ErrNoEmail", change: func(in *comments.NewReport) { in.Email = "" }, kind: apperr.Invalid, fields: []string{"email"}},
				{name: "ErrBadEmail", change: func(in *comments.NewReport) { in.Email = "ines@" }, kind: apperr.Invalid, fields: []string{"email"}},
				{name: "ErrChildAbuseBadEmail", change: func(in *comments.NewReport) {
					in.Reason, in.Name, in.Email = comments.ReasonChildAbuse, "", "pas une adresse"
				}, kind: apperr.Invalid, fields: []string{"email"}},
				{name: "ErrEverything", change: func(in *comments.NewReport) { *in = comments.NewReport{CommentID: in.CommentID, IP: in.IP} },
					kind: apperr.Invalid, fields: []string{"email", "explanation", "good_faith", "name", "reason", "url"}},
				{name: "ErrPendingComment", change: func(in *comments.NewReport) { in.CommentID = held.ID }, kind: apperr.NotFound},
				{name: "ErrUnknownComment", change: func(in *comments.NewReport) { in.CommentID = 999999 }, kind: apperr.NotFound},
				{name: "ErrNoAddress", change: func(in *comments.NewReport) { in.IP = "" }, kind: apperr.Invalid, fields: []string{""}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					in := valid(zoe.ID)
					tt.change(&in)
					before, err := st.ReportCounts(ctx)
					if err != nil {
						t.Fatal(err)
					}
					r, err := svc.Report(ctx, in)
					if tt.kind != apperr.Internal {
						if apperr.KindOf(err) != tt.kind {
							t.Fatalf("err = %v, want kind %s", err, tt.kind)
						}
						if got := fieldsOf(err); tt.kind == apperr.Invalid && !slices.Equal(got, tt.fields) {
							t.Errorf("fields = %q, want %q", got, tt.fields)
						}
						if after, _ := st.ReportCounts(ctx); !cmp.Equal(before, after) {
							t.Errorf("a refused report was stored: %v → %v", before, after)
						}
						if got := mails.next(t); len(got) != 0 {
							t.Errorf("a refused report sent %q", got)
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					got, err := st.Report(ctx, r.ID)
					if err != nil {
						t.Fatal(err)
					}
					address, network, _ := spam.RateKeys(in.IP)
					want := &comments.Report{ID: r.ID, CommentID: zoe.ID, Reason: in.Reason,
						Explanation: "Ce commentaire accuse nommément le maire d'un vol, sans la moindre preuve.", URL: in.URL,
						Name: strings.TrimSpace(in.Name), Email: strings.ToLower(in.Email), GoodFaith: true, Status: comments.ReportOpen,
						CreatedAt: epoch.Add(time.Hour), IP: in.IP, Port: in.Port, Address: address, Network: network}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Errorf("stored report (-want +got):\n%s", diff)
					}
					wantMails := []string{fmt.Sprintf("held %d on %d → moderation@example.org", r.ID, zoe.ID)}
					if want.Email != "" {
						wantMails = append([]string{fmt.Sprintf("received %d → ines@example.org", r.ID)}, wantMails...)
					}
					if diff := cmp.Diff(wantMails, mails.next(t)); diff != "" {
						t.Errorf("emails (-want +got):\n%s", diff)
					}
				})
			}
		})

		t.Run("ErrThrottled", func(t *testing.T) {
			in := valid(zoe.ID)
			in.IP = "192.0.2.77"
			for i := range comments.ReportsPerAddress {
				if _, err := svc.Report(ctx, in); err != nil {
					t.Fatalf("report %d: %v", i, err)
				}
			}
			mails.next(t)
			if _, err := svc.Report(ctx, in); !apperr.Is(err, apperr.Throttled) {
				t.Fatalf("report %d: err = %v, want throttled", comments.ReportsPerAddress+1, err)
			}
			// An hour later the address may report again.
			e.clock.Advance(spam.RateWindow + time.Second)
			if _, err := svc.Report(ctx, in); err != nil {
				t.Fatalf("an hour later: %v", err)
			}
			mails.next(t)
		})
		// The reports so far were all about Zoé's comment: decide them
		// (kept), so the list below shows only what follows as open.
		first, _, err := st.ListReports(ctx, comments.ReportQuery{Status: comments.ReportOpen, Limit: 1})
		if err != nil || len(first) != 1 {
			t.Fatalf("open reports: %v, %v", first, err)
		}

		t.Run("OKKeep", func(t *testing.T) {
			decided, err := svc.Decide(ctx, editor, first[0].ID, false, "Une opinion, pas une infraction.")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range decided {
				if r.CommentID != zoe.ID || r.Status != comments.ReportKept || r.Note != "Une opinion, pas une infraction." ||
					r.DecidedBy != editor.UserID || !r.DecidedAt.Equal(e.clock.Now()) {
					t.Errorf("decided %+v", r)
				}
			}
			counts, _ := st.ReportCounts(ctx)
			if counts[comments.ReportOpen] != 0 || counts[comments.ReportKept] != len(decided) || len(decided) < 2 {
				t.Errorf("counts %v after deciding %d", counts, len(decided))
			}
			if c, _ := st.Comment(ctx, zoe.ID); c.Status != comments.StatusApproved {
				t.Errorf("a kept comment is %s", c.Status)
			}
			got := mails.next(t)
			if len(got) != len(decided)-1 { // the anonymous notice has no address
				t.Errorf("decision emails %q for %d reports", got, len(decided))
			}
			for _, m := range got {
				if !strings.HasPrefix(m, "kept ") || !strings.HasSuffix(m, "→ ines@example.org") || strings.Contains(m, "statement") {
					t.Errorf("email %q", m)
				}
			}
		})

		ines := valid(daniel.ID)
		r1, err := svc.Report(ctx, ines)
		if err != nil {
			t.Fatal(err)
		}
		paul := valid(daniel.ID)
		paul.Reason, paul.Name, paul.Email = comments.ReasonHarassment, "Paul", "paul@example.org"
		r2, err := svc.Report(ctx, paul)
		if err != nil {
			t.Fatal(err)
		}
		r3, err := svc.Report(ctx, valid(newsroom.ID))
		if err != nil {
			t.Fatal(err)
		}
		r4, err := svc.Report(ctx, valid(erwan.ID))
		if err != nil {
			t.Fatal(err)
		}
		mails.next(t)

		t.Run("OKList", func(t *testing.T) {
			list, total, err := st.ListReports(ctx, comments.ReportQuery{Limit: 5})
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range list {
				ids = append(ids, r.ID)
			}
			if want := []int64{r4.ID, r3.ID, r2.ID, r1.ID}; !slices.Equal(ids[:4], want) || list[4].Status == comments.ReportOpen {
				t.Errorf("ids %v, want open ones first, newest first: %v", ids, want)
			}
			if c := list[3].Comment; c == nil || c.ID != daniel.ID || c.ArticleTitle != art.Title || c.AuthorName != "Daniel Daflon" ||
				c.BodyHTML != daniel.BodyHTML || c.Status != comments.StatusApproved || !c.CreatedAt.Equal(daniel.CreatedAt) {
				t.Errorf("listed comment %+v", c)
			}
			if list[4].DecidedByName != "Une editor" {
				t.Errorf("decided by %q", list[4].DecidedByName)
			}
			if open, _, _ := st.ListReports(ctx, comments.ReportQuery{Status: comments.ReportOpen}); len(open) != 4 {
				t.Errorf("%d open reports, want 4", len(open))
			}
			if n, err := svc.OpenReports(ctx); err != nil || n != 4 {
				t.Errorf("OpenReports = %d, %v", n, err)
			}
			if total < 5 {
				t.Errorf("total %d", total)
			}
		})

		t.Run("ErrForbidden", func(t *testing.T) {
			if _, err := svc.Decide(ctx, author, r1.ID, true, ""); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("an author decides: %v", err)
			}
			if _, err := svc.Reports(ctx, author, comments.ReportQuery{}); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("an author lists reports: %v", err)
			}
		})
		t.Run("ErrNoteTooLong", func(t *testing.T) {
			_, err := svc.Decide(ctx, editor, r1.ID, true, strings.Repeat("x", comments.MaxNoteLen+1))
			if !apperr.Is(err, apperr.Invalid) || !slices.Equal(fieldsOf(err), []string{"note"}) {
				t.Errorf("err = %v", err)
			}
		})
		t.Run("ErrUnknownReport", func(t *testing.T) {
			if _, err := svc.Decide(ctx, editor, 999999, true, ""); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("err = %v", err)
			}
		})
		if r, _ := st.Report(ctx, r1.ID); r.Status != comments.ReportOpen {
			t.Fatalf("a refused decision changed the report: %+v", r)
		}
		if c, _ := st.Comment(ctx, daniel.ID); c.Status != comments.StatusApproved {
			t.Fatalf("a refused decision moved the comment to %s", c.Status)
		}
		if got := mails.next(t); len(got) != 0 {
			t.Fatalf("a refused decision sent %q", got)
		}

		t.Run("OKRemove", func(t *testing.T) {
			e.clock.Advance(time.Minute)
			decided, err := svc.Decide(ctx, editor, r2.ID, true, " Accusation de vol sans preuve : diffamation.\r\n")
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, r := range decided {
				ids = append(ids, r.ID)
				if r.Status != comments.ReportRemoved || r.Note != "Accusation de vol sans preuve : diffamation." || r.DecidedBy != editor.UserID {
					t.Errorf("decided %+v", r)
				}
			}
			if !slices.Equal(ids, []int64{r1.ID, r2.ID}) {
				t.Errorf("decided %v, want every open report of the comment", ids)
			}
			c, err := st.Comment(ctx, daniel.ID)
			if err != nil || c.Status != comments.StatusTrash {
				t.Fatalf("removed comment: %+v, %v", c, err)
			}
			if got, want := commentLog(t, e.db, daniel.ID), []logLine{{"create", 0, "203.0.113.7"}, {"delete", editor.UserID, "192.0.2.1"}}; !cmp.Equal(got, want) {
				t.Errorf("legal log %v, want %v", got, want)
			}
			want := []string{
				fmt.Sprintf("removed %d → ines@example.org", r1.ID),
				fmt.Sprintf("removed %d → paul@example.org", r2.ID),
				fmt.Sprintf("statement on %d for %d: Accusation de vol sans preuve : diffamation. → daniel@example.org", daniel.ID, r2.ID),
			}
			if diff := cmp.Diff(want, mails.next(t)); diff != "" {
				t.Errorf("emails (-want +got):\n%s", diff)
			}
		})
		t.Run("ErrDecidedTwice", func(t *testing.T) {
			for _, id := range []int64{r1.ID, r2.ID} {
				if _, err := svc.Decide(ctx, editor, id, false, ""); !apperr.Is(err, apperr.Conflict) {
					t.Errorf("deciding report %d again: %v", id, err)
				}
			}
			if r, _ := st.Report(ctx, r1.ID); r.Status != comments.ReportRemoved {
				t.Errorf("report %+v", r)
			}
			if c, _ := st.Comment(ctx, daniel.ID); c.Status != comments.StatusTrash {
				t.Errorf("comment %s", c.Status)
			}
			if got := mails.next(t); len(got) != 0 {
				t.Errorf("a refused decision sent %q", got)
			}
		})
		t.Run("OKNoStatementToTheNewsroom", func(t *testing.T) {
			if _, err := svc.Decide(ctx, editor, r3.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{fmt.Sprintf("removed %d → ines@example.org", r3.ID)}, mails.next(t)); diff != "" {
				t.Errorf("emails (-want +got):\n%s", diff)
			}
		})
		t.Run("OKErasedCommentKeepsReport", func(t *testing.T) {
			if _, err := svc.ErasePerson(ctx, admin, "erwan@example.org"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Comment(ctx, erwan.ID); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("erased comment: %v", err)
			}
			r, err := st.Report(ctx, r4.ID)
			if err != nil || r.CommentID != erwan.ID || r.Status != comments.ReportOpen {
				t.Fatalf("report of an erased comment: %+v, %v", r, err)
			}
			list, _, err := st.ListReports(ctx, comments.ReportQuery{Status: comments.ReportOpen})
			if err != nil || len(list) != 1 || list[0].ID != r4.ID || list[0].Comment != nil {
				t.Fatalf("open reports: %+v, %v", list, err)
			}
			decided, err := svc.Decide(ctx, editor, r4.ID, true, "Adresse personnelle publiée.")
			if err != nil || len(decided) != 1 || decided[0].Status != comments.ReportRemoved {
				t.Fatalf("decide on an erased comment: %+v, %v", decided, err)
			}
			// The notifier hears of it; there is no author left to write to.
			if diff := cmp.Diff([]string{fmt.Sprintf("removed %d → ines@example.org", r4.ID)}, mails.next(t)); diff != "" {
				t.Errorf("emails (-want +got):\n%s", diff)
			}
		})
		t.Run("OKAddressesForgottenAfterAYear", func(t *testing.T) {
			if r, _ := st.Report(ctx, r4.ID); r.IP == "" {
				t.Fatal("the report lost its address before the year was over")
			}
			if _, err := st.PurgeLog(ctx, time.Now().AddDate(10, 0, 0)); err != nil {
				t.Fatal(err)
			}
			r, err := st.Report(ctx, r4.ID)
			if err != nil || r.IP != "" || r.Port != 0 || r.Explanation == "" || r.Status != comments.ReportRemoved {
				t.Errorf("after the purge: %+v, %v", r, err)
			}
		})
	})
}
