package storage_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/testutil"
	"github.com/kiosque/kiosque/internal/users"
)

// targets adapts the content service to comments.Articles, as the app does.
type targets struct{ e *env }

func (t targets) CommentTarget(ctx context.Context, id int64) (*comments.Target, error) {
	a, err := t.e.content.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return &comments.Target{ID: a.ID, Title: a.Title, Visible: a.VisibleAt(t.e.clock.Now()), Open: a.CommentsOpen,
		PublishedAt: a.PublishedAt}, nil
}

// TestCommentPost posts through the comments service on a real database:
// the policy matrix end to end, the spam defences, and every refusal.
func TestCommentPost(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		f := e.fixture(t)
		ctx := context.Background()
		u, err := e.users.Create(ctx, users.NewUser{Email: "admin@example.org", Name: "Admin", Role: users.RoleAdmin, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		admin := access.Actor{UserID: u.ID, Name: u.Name, Role: u.Role}
		st := storage.NewCommentStore(e.db)
		svc := comments.NewService(comments.Deps{Store: st, Articles: targets{e}, Clock: e.clock, Settings: e.settings.Get,
			Stamper: spam.NewStamper([]byte("a secret of at least sixteen bytes"))})
		palmyre := e.article(t, content.ArticleInput{Title: "L'État islamique reprend Palmyre", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: true})
		closed := e.article(t, content.ArticleInput{Title: "Commentaires fermés", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: false})
		draft := e.article(t, content.ArticleInput{Title: "Brouillon", Body: "Texte.", Status: content.StatusDraft,
			AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: true})

		// form returns a comment as the form posts it, its stamp issued
		// a minute ago, from a new address each time (n).
		n := 0
		form := func(article int64, name, text string) comments.NewComment {
			n++
			stamp := svc.Stamper.Stamp(article, e.clock.Now().Add(-time.Minute))
			return comments.NewComment{ArticleID: article, Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org",
				Text: text, Consent: true, Stamp: stamp, IP: fmt.Sprintf("198.51.%d.%d", n/200, n%200+1), Port: 40000 + n}
		}
		setPolicy := func(edit func(p *settings.CommentPolicy)) {
			t.Helper()
			s := *e.settings.Get()
			edit(&s.CommentPolicy)
			if err := e.settings.Save(ctx, admin, s); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("OKFirstTimeIsHeldThenKnown", func(t *testing.T) {
			c, err := svc.Post(ctx, form(palmyre.ID, "Daniel Daflon", "Triste nouvelle pour Palmyre et pour ses habitants."))
			if err != nil || c.Status != comments.StatusPending || len(c.Reasons) != 0 {
				t.Fatalf("first comment = %+v, %v", c, err)
			}
			if _, err := st.SetStatus(ctx, []int64{c.ID}, comments.StatusApproved, comments.LogEntry{Operation: comments.OpModify, At: e.clock.Now()}, nil); err != nil {
				t.Fatal(err)
			}
			again, err := svc.Post(ctx, form(palmyre.ID, "Daniel Daflon", "J'ajoute que le théâtre antique avait déjà souffert."))
			if err != nil || again.Status != comments.StatusApproved {
				t.Errorf("second comment of a known commenter = %+v, %v", again, err)
			}
			reply := form(palmyre.ID, "Daniel Daflon", "Et je réponds à mon propre commentaire.")
			reply.ParentID = c.ID
			if r, err := svc.Post(ctx, reply); err != nil || r.Status != comments.StatusApproved || r.ParentID != c.ID {
				t.Errorf("reply = %+v, %v", r, err)
			}
			if !strings.Contains(again.BodyHTML, "J’ajoute") {
				t.Errorf("typography not applied: %s", again.BodyHTML)
			}
		})
		t.Run("OKPolicyNoneAndAll", func(t *testing.T) {
			setPolicy(func(p *settings.CommentPolicy) { p.Moderation = settings.ModerateNone })
			c, err := svc.Post(ctx, form(palmyre.ID, "Nouvelle Lectrice", "Merci pour ce reportage très complet sur la Syrie."))
			if err != nil || c.Status != comments.StatusApproved {
				t.Errorf("policy none = %+v, %v", c, err)
			}
			setPolicy(func(p *settings.CommentPolicy) { p.Moderation = settings.ModerateAll })
			c, err = svc.Post(ctx, form(palmyre.ID, "Daniel Daflon", "Même un habitué attend une validation désormais."))
			if err != nil || c.Status != comments.StatusPending {
				t.Errorf("policy all = %+v, %v", c, err)
			}
			setPolicy(func(p *settings.CommentPolicy) { p.Moderation = settings.ModerateNone })
		})
		t.Run("OKSpamDefences", func(t *testing.T) {
			setPolicy(func(p *settings.CommentPolicy) {
				p.HoldWords, p.BannedWords, p.BannedAddresses = []string{"Assad"}, []string{"viagra"}, []string{"198.51.99.0/24"}
			})
			tests := []struct {
				name    string
				edit    func(*comments.NewComment)
				status  comments.Status
				reasons []string
			}{
				{"OKClean", func(*comments.NewComment) {}, comments.StatusApproved, nil},
				{"Honeypot", func(c *comments.NewComment) { c.Honeypot = "http://spam.example" }, comments.StatusSpam, []string{"honeypot"}},
				{"NoStamp", func(c *comments.NewComment) { c.Stamp = "" }, comments.StatusSpam, []string{"stamp_missing"}},
				{"ForgedStamp", func(c *comments.NewComment) {
					c.Stamp = spam.NewStamper([]byte("another secret, sixteen bytes+")).Stamp(palmyre.ID, epoch)
				},
					comments.StatusSpam, []string{"stamp_forged"}},
				{"OtherArticleStamp", func(c *comments.NewComment) { c.Stamp = svc.Stamper.Stamp(closed.ID, epoch.Add(-time.Minute)) },
					comments.StatusSpam, []string{"stamp_other_article"}},
				{"TooFast", func(c *comments.NewComment) { c.Stamp = svc.Stamper.Stamp(palmyre.ID, epoch) }, comments.StatusPending, []string{"too_fast"}},
				{"HeldWord", func(c *comments.NewComment) { c.Text = "Le régime d'Assad a perdu la ville une seconde fois." }, comments.StatusPending, []string{"banned_word"}},
				{"BannedWord", func(c *comments.NewComment) { c.Text = "Achetez du VIAGRA pas cher, livraison rapide." }, comments.StatusSpam, []string{"spam_word"}},
				{"BannedAddress", func(c *comments.NewComment) { c.IP = "198.51.99.14" }, comments.StatusSpam, []string{"spam_address"}},
				{"Links", func(c *comments.NewComment) {
					c.Text = "Voir https://a.example/un et https://b.example/deux pour les détails."
				}, comments.StatusPending, []string{"links"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					in := form(palmyre.ID, "Lecteur "+tt.name, "Un commentaire tout à fait ordinaire sur l'article "+tt.name+".")
					tt.edit(&in)
					c, err := svc.Post(ctx, in)
					if err != nil {
						t.Fatal(err)
					}
					if c.Status != tt.status || !slices.Equal(c.Reasons, tt.reasons) {
						t.Errorf("status %s, reasons %q; want %s, %q", c.Status, c.Reasons, tt.status, tt.reasons)
					}
					stored, err := st.Comment(ctx, c.ID)
					if err != nil || stored.Status != tt.status {
						t.Errorf("stored = %+v, %v: spam is kept, never dropped", stored, err)
					}
				})
			}
			setPolicy(func(p *settings.CommentPolicy) { p.HoldWords, p.BannedWords, p.BannedAddresses = nil, nil, nil })
		})
		t.Run("ErrRefusals", func(t *testing.T) {
			tests := []struct {
				name  string
				edit  func(*comments.NewComment)
				kind  apperr.Kind
				field string
			}{
				{"ErrNoName", func(c *comments.NewComment) { c.Name = "  " }, apperr.Invalid, "name"},
				{"ErrLongName", func(c *comments.NewComment) { c.Name = strings.Repeat("é", 101) }, apperr.Invalid, "name"},
				{"ErrEmail", func(c *comments.NewComment) { c.Email = "pas une adresse" }, apperr.Invalid, "email"},
				{"ErrNamedEmail", func(c *comments.NewComment) { c.Email = "Daniel <d@example.org>" }, apperr.Invalid, "email"},
				{"ErrURL", func(c *comments.NewComment) { c.URL = "javascript:alert(1)" }, apperr.Invalid, "url"},
				{"ErrEmptyText", func(c *comments.NewComment) { c.Text = " \n " }, apperr.Invalid, "text"},
				{"ErrTooShort", func(c *comments.NewComment) { c.Text = "a" }, apperr.Invalid, "text"},
				{"ErrTooLong", func(c *comments.NewComment) { c.Text = strings.Repeat("mot ", 1500) }, apperr.Invalid, "text"},
				{"ErrBadUTF8", func(c *comments.NewComment) { c.Text = "Bonjour \xff\xfe le monde" }, apperr.Invalid, "text"},
				{"ErrNoConsent", func(c *comments.NewComment) { c.Consent = false }, apperr.Invalid, "consent"},
				{"ErrClosed", func(c *comments.NewComment) { c.ArticleID = closed.ID }, apperr.Forbidden, ""},
				{"ErrDraft", func(c *comments.NewComment) { c.ArticleID = draft.ID }, apperr.NotFound, ""},
				{"ErrUnknownArticle", func(c *comments.NewComment) { c.ArticleID = 999999 }, apperr.NotFound, ""},
				{"ErrUnknownParent", func(c *comments.NewComment) { c.ParentID = 999999 }, apperr.Invalid, "parent"},
				{"ErrBadAddress", func(c *comments.NewComment) { c.IP = "" }, apperr.Invalid, ""},
			}
			count := func() int {
				n, err := st.ApprovedCount(ctx, palmyre.ID)
				if err != nil {
					t.Fatal(err)
				}
				return n
			}
			before := count()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					in := form(palmyre.ID, "Lecteur Refusé", "Un commentaire que rien ne devrait enregistrer ici.")
					tt.edit(&in)
					c, err := svc.Post(ctx, in)
					if !apperr.Is(err, tt.kind) {
						t.Fatalf("Post = %+v, %v; want %v", c, err, tt.kind)
					}
					if tt.field != "" && !slices.Contains(testutil.Fields(err), tt.field) {
						t.Errorf("fields %q, want %q", testutil.Fields(err), tt.field)
					}
				})
			}
			if count() != before {
				t.Error("a refused comment was stored")
			}
		})
		t.Run("ErrReplyToAnotherArticle", func(t *testing.T) {
			other := e.article(t, content.ArticleInput{Title: "Alep", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
				AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: true})
			c, err := svc.Post(ctx, form(other.ID, "Lectrice Alep", "Un commentaire sous l'article sur Alep, rien de plus."))
			if err != nil || c.Status != comments.StatusApproved {
				t.Fatalf("comment on Alep = %+v, %v", c, err)
			}
			in := form(palmyre.ID, "Lectrice Alep", "Une réponse égarée sous un autre article que le sien.")
			in.ParentID = c.ID
			if _, err := svc.Post(ctx, in); !apperr.Is(err, apperr.Invalid) || !slices.Contains(testutil.Fields(err), "parent") {
				t.Errorf("reply across articles: %v", err)
			}
		})
		t.Run("OKFloodFromOneAddress", func(t *testing.T) {
			// The flood: 1,000 posts from one address in an hour.
			var accepted, held, refused int
			for i := range 1000 {
				in := form(palmyre.ID, "Robot", fmt.Sprintf("Message numéro %d d'un robot très bavard ce matin.", i))
				in.IP = "203.0.113.99"
				c, err := svc.Post(ctx, in)
				switch {
				case apperr.Is(err, apperr.Throttled):
					refused++
				case err != nil:
					t.Fatal(err)
				case c.Status == comments.StatusApproved:
					accepted++
				default:
					held++
				}
			}
			if accepted != 10 || held != 20 || refused != 970 {
				t.Errorf("1,000 posts from one address: %d accepted, %d held, %d refused", accepted, held, refused)
			}
			// Nothing stored is lost, and every refusal stored nothing.
			q, err := svc.Queue(ctx, access.System, comments.Query{Text: "203.0.113.99", Limit: 200})
			if err != nil || q.Total != 30 {
				t.Errorf("stored from the flooding address: %d (%v), want 30", q.Total, err)
			}
		})
		t.Run("OKModerationQueueAndTraining", func(t *testing.T) {
			in := form(palmyre.ID, "Lectrice Modérée", "Un avis nuancé sur la reprise de Palmyre par les jihadistes.")
			in.IP = "192.0.2.77"
			c, err := svc.Post(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			author := access.Actor{UserID: f.claire.ID, Role: users.RoleAuthor}
			if err := svc.Moderate(ctx, author, []int64{c.ID}, comments.StatusSpam); !apperr.Is(err, apperr.Forbidden) {
				t.Errorf("an author moderated: %v", err)
			}
			editor := access.Actor{UserID: f.julien.ID, Role: users.RoleEditor, IP: "192.0.2.1"}
			for _, q := range []string{"nuancé", "LECTRICE MOD", "lectrice.modérée@", "192.0.2.77"} {
				queue, err := svc.Queue(ctx, editor, comments.Query{Text: q})
				if err != nil || queue.Total != 1 || queue.Comments[0].ID != c.ID || queue.Comments[0].IP != "192.0.2.77" ||
					queue.Comments[0].ArticleTitle != palmyre.Title {
					t.Errorf("search %q = %+v, %v", q, queue, err)
				}
			}
			totals := func() spam.Totals {
				tt, _, err := st.SpamCounts(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				return tt
			}
			start := totals()
			if err := svc.Moderate(ctx, editor, []int64{c.ID}, comments.StatusSpam); err != nil {
				t.Fatal(err)
			}
			if got := totals(); got.Spam != start.Spam+1 || got.Ham != start.Ham {
				t.Errorf("after marking spam: %+v, from %+v", got, start)
			}
			// A second click changes nothing; approving moves the counts.
			if err := svc.Moderate(ctx, editor, []int64{c.ID}, comments.StatusSpam); err != nil {
				t.Fatal(err)
			}
			if err := svc.Moderate(ctx, editor, []int64{c.ID}, comments.StatusApproved); err != nil {
				t.Fatal(err)
			}
			if got := totals(); got.Spam != start.Spam || got.Ham != start.Ham+1 {
				t.Errorf("after approving: %+v, from %+v", got, start)
			}
			if got, _ := st.Comment(ctx, c.ID); got.Status != comments.StatusApproved || got.Trained != spam.LabelHam || len(got.TrainedTokens) == 0 {
				t.Errorf("comment after approval = %+v", got)
			}
			queue, err := svc.Queue(ctx, editor, comments.Query{Status: comments.StatusSpam})
			if err != nil || queue.Counts[comments.StatusApproved] == 0 || queue.Total != queue.Counts[comments.StatusSpam] {
				t.Errorf("spam tab = %d of %v, %v", queue.Total, queue.Counts, err)
			}
			if err := svc.Moderate(ctx, editor, nil, comments.StatusTrash); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("empty selection: %v", err)
			}
		})
		t.Run("Import", func(t *testing.T) {
			at := e.clock.Now() // its log entry is dated then: the year-long test below counts on it
			c := &comments.Comment{ArticleID: palmyre.ID, AuthorName: "Ancien lecteur", AuthorEmail: "Ancien@Exemple.fr",
				Body: "Un commentaire venu de **WordPress**.", Status: comments.StatusApproved, CreatedAt: at}
			if err := svc.Import(ctx, c, "2001:db8::9"); err != nil {
				t.Fatal(err)
			}
			got, err := st.Comment(ctx, c.ID)
			if err != nil || !got.CreatedAt.Equal(at) || got.AuthorEmail != "ancien@exemple.fr" || !strings.Contains(got.BodyHTML, "<strong>WordPress</strong>") {
				t.Errorf("imported = %+v, %v", got, err)
			}
			other := e.article(t, content.ArticleInput{Title: "Mossoul", Body: "Texte.", PublishedAt: epoch.Add(-time.Hour),
				AuthorIDs: []int64{f.claire.ID}, CategoryIDs: []int64{f.intl.ID}, CommentsOpen: true})
			for name, bad := range map[string]*comments.Comment{
				"ErrNoDate":       {ArticleID: palmyre.ID, AuthorName: "X", Body: "Texte.", Status: comments.StatusApproved},
				"ErrNoStatus":     {ArticleID: palmyre.ID, AuthorName: "X", Body: "Texte.", CreatedAt: at},
				"ErrOtherArticle": {ArticleID: other.ID, ParentID: c.ID, AuthorName: "X", Body: "Texte.", Status: comments.StatusApproved, CreatedAt: at},
				"ErrUnreadable":   {ArticleID: palmyre.ID, AuthorName: "X", Body: "\xff", Status: comments.StatusApproved, CreatedAt: at},
				"ErrNoAuthorName": {ArticleID: palmyre.ID, AuthorName: " ", Body: "Texte.", Status: comments.StatusApproved, CreatedAt: at},
			} {
				if err := svc.Import(ctx, bad, ""); !apperr.Is(err, apperr.Invalid) {
					t.Errorf("%s: %v", name, err)
				}
			}
		})
		t.Run("OKLegalLogKeptOneYear", func(t *testing.T) {
			if n, err := svc.PurgeLog(ctx); err != nil || n != 0 {
				t.Fatalf("PurgeLog today = %d, %v; want nothing erased", n, err)
			}
			e.clock.Advance(comments.LogRetention - time.Minute)
			if n, err := svc.PurgeLog(ctx); err != nil || n != 0 {
				t.Fatalf("PurgeLog a minute before a year = %d, %v", n, err)
			}
			e.clock.Advance(2 * time.Minute)
			if n, err := svc.PurgeLog(ctx); err != nil || n == 0 {
				t.Errorf("PurgeLog after a year = %d, %v; want every entry", n, err)
			}
			if left, err := st.PurgeLog(ctx, e.clock.Now().Add(time.Hour)); err != nil || left != 0 {
				t.Errorf("%d entries left, %v", left, err)
			}
		})
	})
}
