package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
	"github.com/kiosque/kiosque/internal/users"
)

// staff creates one account per role and returns their actors.
func (e *env) staff(t *testing.T) map[users.Role]access.Actor {
	t.Helper()
	out := map[users.Role]access.Actor{}
	for _, r := range []users.Role{users.RoleAdmin, users.RoleEditor, users.RoleAuthor, users.RoleContributor} {
		u, err := e.users.Create(context.Background(), users.NewUser{Email: string(r) + "@example.org", Name: "Une " + string(r), Role: r, Password: "a long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		out[r] = access.Actor{UserID: u.ID, Name: u.Name, Role: r, IP: "192.0.2.1"}
	}
	return out
}

func TestEditorRoles(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := e.staff(t)
		contrib, author, editor := st[users.RoleContributor], st[users.RoleAuthor], st[users.RoleEditor]

		// A contributor writes a draft, cannot publish it, submits it.
		draft, err := e.content.Save(ctx, contrib, 0, content.ArticleInput{Title: "Brouillon", Body: "Texte"}, content.IntentSave)
		if err != nil {
			t.Fatal(err)
		}
		if draft.Status != content.StatusDraft || len(draft.Authors) != 1 || draft.Authors[0].ID != contrib.UserID {
			t.Fatalf("draft = %s by %+v", draft.Status, draft.Authors)
		}
		in := content.InputOf(draft)
		if _, err := e.content.Save(ctx, contrib, draft.ID, in, content.IntentPublish); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("contributor publishes: err = %v, want Forbidden", err)
		}
		pending, err := e.content.Save(ctx, contrib, draft.ID, in, content.IntentSubmit)
		if err != nil || pending.Status != content.StatusPending {
			t.Fatalf("submit: %v, %v", pending, err)
		}
		// An author may not touch it; an editor publishes it.
		in = content.InputOf(pending)
		if _, err := e.content.Save(ctx, author, pending.ID, in, content.IntentSave); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("author edits another's article: err = %v", err)
		}
		pub, err := e.content.Save(ctx, editor, pending.ID, in, content.IntentPublish)
		if err != nil || pub.Status != content.StatusPublished || pub.PublishedAt.IsZero() {
			t.Fatalf("editor publishes: %v, %v", pub, err)
		}
		// Once published, the contributor can no longer edit or trash it.
		in = content.InputOf(pub)
		if _, err := e.content.Save(ctx, contrib, pub.ID, in, content.IntentSave); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("contributor edits a published article: err = %v", err)
		}
		if err := e.content.Trash(ctx, contrib, pub.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("contributor trashes a published article: err = %v", err)
		}
		// An author publishes their own and schedules.
		own, err := e.content.Save(ctx, author, 0, content.ArticleInput{Title: "À moi", Body: "x"}, content.IntentPublish)
		if err != nil || own.Status != content.StatusPublished {
			t.Fatalf("author publishes own: %v, %v", own, err)
		}
		later := content.ArticleInput{Title: "Plus tard", Body: "y", PublishedAt: epoch.Add(time.Hour)}
		sched, err := e.content.Save(ctx, author, 0, later, content.IntentSchedule)
		if err != nil || sched.Status != content.StatusScheduled {
			t.Fatalf("author schedules: %v, %v", sched, err)
		}
		later.PublishedAt = epoch.Add(-time.Hour)
		if _, err := e.content.Save(ctx, author, 0, later, content.IntentSchedule); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("schedule in the past: err = %v, want Invalid", err)
		}
		// Featured is the editors' choice.
		in = content.InputOf(own)
		in.Featured = true
		got, err := e.content.Save(ctx, author, own.ID, in, content.IntentSave)
		if err != nil || got.Featured {
			t.Errorf("author features an article: featured=%v, %v", got.Featured, err)
		}
		// Pages are for editors and admins.
		if _, err := e.content.Save(ctx, author, 0, content.ArticleInput{Kind: content.KindPage, Title: "Mentions légales"}, content.IntentSave); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("author writes a page: err = %v", err)
		}
		page, err := e.content.Save(ctx, editor, 0, content.ArticleInput{Kind: content.KindPage, Title: "Mentions légales", Body: "Éditeur : l'association."}, content.IntentPublish)
		if err != nil || page.Kind != content.KindPage {
			t.Fatalf("editor writes a page: %v, %v", page, err)
		}
		if _, err := e.content.PublicPage(ctx, page.Slug); err != nil {
			t.Errorf("page not public: %v", err)
		}
		if _, err := e.content.PublicArticle(ctx, page.Slug); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("a page served as an article: err = %v", err)
		}
		list, err := e.content.PublicList(ctx, content.ArticleFilter{}, 1, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range list.Articles {
			if a.Kind == content.KindPage {
				t.Error("a page is listed among articles")
			}
		}
		entries, err := storage.NewAuditStore(e.db).AuditEntries(ctx, 0, 50)
		if err != nil || len(entries) < 6 {
			t.Fatalf("audit log: %d entries, %v", len(entries), err)
		}
		if entries[0].UserName != editor.Name || entries[0].Action != "article_publish" || entries[0].IP != "192.0.2.1" {
			t.Errorf("newest audit entry = %+v", entries[0])
		}
	})
}

func TestConcurrentEditsAndRevisions(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := e.staff(t)
		ed, admin := st[users.RoleEditor], st[users.RoleAdmin]
		a, err := e.content.Save(ctx, ed, 0, content.ArticleInput{Title: "Version 1", Body: "Premier texte"}, content.IntentSave)
		if err != nil {
			t.Fatal(err)
		}
		// Two people open version 1.
		mine, theirs := content.InputOf(a), content.InputOf(a)
		mine.Body = "Texte de l'éditrice"
		theirs.Body = "Texte de l'administratrice"
		if _, err := e.content.Save(ctx, ed, a.ID, mine, content.IntentSave); err != nil {
			t.Fatal(err)
		}
		if _, err := e.content.Save(ctx, admin, a.ID, theirs, content.IntentSave); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second save: err = %v, want Conflict", err)
		}
		cur, _ := e.content.ArticleByID(ctx, a.ID)
		if cur.Body != "Texte de l'éditrice" {
			t.Errorf("body = %q: the conflicting save overwrote", cur.Body)
		}
		// The refused text survives as an autosave of its writer.
		if err := e.content.Autosave(ctx, admin, a.ID, theirs.Title, theirs.Excerpt, theirs.Body); err != nil {
			t.Fatal(err)
		}
		if err := e.content.Autosave(ctx, admin, a.ID, theirs.Title, theirs.Excerpt, theirs.Body+" (suite)"); err != nil {
			t.Fatal(err)
		}
		revs, err := e.content.Revisions(ctx, ed, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		autosaves, saves := 0, 0
		for _, r := range revs {
			if r.Autosave {
				autosaves++
			} else {
				saves++
			}
		}
		if autosaves != 1 || saves != 2 {
			t.Fatalf("revisions: %d autosaves, %d saves; want 1 and 2", autosaves, saves)
		}
		// Reverting to the first save makes a new version with the old text.
		first := revs[len(revs)-1]
		back, err := e.content.RevertTo(ctx, ed, first.ID, cur.Version)
		if err != nil {
			t.Fatal(err)
		}
		if back.Body != "Premier texte" || back.Version != cur.Version+1 {
			t.Errorf("after revert: body %q version %d", back.Body, back.Version)
		}
		// Trash and restore keep the status.
		if err := e.content.Trash(ctx, ed, a.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.content.Trash(ctx, ed, a.ID); err != nil {
			t.Errorf("trashing twice: %v", err)
		}
		trashed, _ := e.content.ArticleByID(ctx, a.ID)
		if trashed.Status != content.StatusTrash || trashed.TrashedFrom != content.StatusDraft {
			t.Fatalf("trashed: %s from %s", trashed.Status, trashed.TrashedFrom)
		}
		if _, err := e.content.Save(ctx, ed, a.ID, content.InputOf(trashed), content.IntentSave); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("editing in the trash: err = %v", err)
		}
		if err := e.content.Restore(ctx, ed, a.ID); err != nil {
			t.Fatal(err)
		}
		restored, _ := e.content.ArticleByID(ctx, a.ID)
		if restored.Status != content.StatusDraft {
			t.Errorf("restored as %s", restored.Status)
		}
		p, err := e.content.AdminList(ctx, content.ArticleFilter{}, 1, 20)
		if err != nil || p.Total != 1 {
			t.Errorf("admin list: %d, %v", p.Total, err)
		}
	})
}

func TestTaxonomyManagement(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		_, arts := e.newsroom(t)
		ctx := context.Background()
		st := e.staff(t)
		ed, author := st[users.RoleEditor], st[users.RoleAuthor]
		sub := &content.Category{Name: "Proche-Orient"}
		intl, err := e.content.CategoryBySlug(ctx, "international")
		if err != nil {
			t.Fatal(err)
		}
		sub.ParentID = intl.ID
		if err := e.content.SaveCategory(ctx, author, sub); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("author manages categories: err = %v", err)
		}
		if err := e.content.SaveCategory(ctx, ed, sub); err != nil {
			t.Fatal(err)
		}
		intl.ParentID = sub.ID
		if err := e.content.SaveCategory(ctx, ed, intl); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("category loop: err = %v, want Invalid", err)
		}
		dup := &content.Category{Name: "France"}
		if err := e.content.SaveCategory(ctx, ed, dup); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("duplicate slug: err = %v, want Conflict", err)
		}
		france, _ := e.content.CategoryBySlug(ctx, "france")
		if err := e.content.DeleteCategory(ctx, ed, france.ID, intl.ID); err != nil {
			t.Fatal(err)
		}
		hol, _ := e.content.ArticleByID(ctx, arts["hollande"].ID)
		if len(hol.Categories) != 1 || hol.Categories[0].Slug != "international" {
			t.Errorf("after deleting France: %+v", hol.Categories)
		}
		tags, err := e.content.AllTags(ctx)
		if err != nil {
			t.Fatal(err)
		}
		byName := map[string]content.Tag{}
		for _, tg := range tags {
			byName[tg.Slug] = tg
		}
		if err := e.content.RenameTag(ctx, ed, byName["irak"].ID, "Syrie"); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("rename onto an existing tag: err = %v", err)
		}
		if err := e.content.MergeTags(ctx, ed, byName["irak"].ID, byName["syrie"].ID); err != nil {
			t.Fatal(err)
		}
		m, _ := e.content.ArticleByID(ctx, arts["mossoul"].ID)
		names := map[string]bool{}
		for _, tg := range m.Tags {
			names[tg.Slug] = true
		}
		if !names["syrie"] || names["irak"] {
			t.Errorf("Mossoul tags after merge: %+v", m.Tags)
		}
		if err := e.content.RenameTag(ctx, ed, byName["syrie"].ID, "Syrie (guerre)"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.content.TagBySlug(ctx, "syrie-guerre"); err != nil {
			t.Errorf("renamed tag: %v", err)
		}
		if err := e.content.DeleteTag(ctx, ed, byName["etat-islamique"].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.content.TagBySlug(ctx, "etat-islamique"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("deleted tag still there: %v", err)
		}
	})
}
