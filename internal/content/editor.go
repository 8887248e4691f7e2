package content

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// Intent is what a writer asks for when saving.
type Intent string

// The intents of the editor's buttons.
const (
	// IntentSave keeps the status: a draft stays a draft, a published
	// article is updated in place.
	IntentSave Intent = "save"
	// IntentSubmit asks an editor to review a draft.
	IntentSubmit Intent = "submit"
	// IntentPublish publishes now (or at a past date, to backdate).
	IntentPublish Intent = "publish"
	// IntentSchedule publishes at a future date.
	IntentSchedule Intent = "schedule"
	// IntentUnpublish takes a published or scheduled article back to draft.
	IntentUnpublish Intent = "unpublish"
)

// stateOf is what access needs to know about an article.
func stateOf(a *Article) access.ArticleState {
	return access.ArticleState{AuthorIDs: a.AuthorIDs(), Published: a.Status.Live()}
}

func forbidden() error { return apperr.New(apperr.Forbidden, "error.forbidden.text") }

// canTouch checks the rules of pages (editors and admins) and articles.
func canTouch(actor access.Actor, a *Article) bool {
	if a.Kind == KindPage {
		return actor.Can(access.ManagePages)
	}
	return actor.CanEdit(stateOf(a))
}

// Save creates (id 0) or updates an article for a person, applying the
// rules of their role: contributors write drafts and submit them, authors
// publish their own, editors everything. Every save with new text keeps a
// revision; a save from an older version is refused (Conflict) and changes
// nothing, so two people never overwrite each other.
func (s *Service) Save(ctx context.Context, actor access.Actor, id int64, in ArticleInput, intent Intent) (*Article, error) {
	now := s.clock.Now()
	var a *Article
	var before Article
	if id == 0 {
		a = &Article{Kind: in.Kind}
		if a.Kind == "" {
			a.Kind = KindPost
		}
		// A new article is signed by its writer, unless an editor chose.
		if len(in.AuthorIDs) == 0 || !actor.Can(access.EditOthers) {
			in.AuthorIDs = []int64{actor.UserID}
		}
		a.Authors = []Author{{ID: actor.UserID}}
		a.Status = StatusDraft
	} else {
		var err error
		if a, err = s.store.ArticleByID(ctx, id); err != nil {
			return nil, err
		}
		if a.Status == StatusTrash {
			return nil, apperr.New(apperr.Invalid, "error.article.in_trash")
		}
		if in.Version != a.Version {
			return nil, apperr.New(apperr.Conflict, "error.article.stale")
		}
		before = *a
		// Only editors change who signs an article.
		if !actor.Can(access.EditOthers) {
			in.AuthorIDs = a.AuthorIDs()
		}
		in.Kind = a.Kind
	}
	if !canTouch(actor, a) {
		return nil, forbidden()
	}
	status, action, err := s.target(actor, a, &in, intent, now)
	if err != nil {
		return nil, err
	}
	in.Status = status
	if !actor.Can(access.EditOthers) {
		// Authors and contributors do not decide what is featured.
		in.Featured = a.Featured
	}
	if err := s.apply(ctx, a, in); err != nil {
		return nil, err
	}
	eff := Effects{Revision: id == 0 || textChanged(&before, a), RevisionBy: actor.UserID,
		Audit: &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: action,
			TargetType: string(a.Kind), TargetID: a.ID, Summary: a.Title, IP: actor.IP}}
	if id == 0 {
		return s.create(ctx, a, eff)
	}
	return s.update(ctx, a, eff)
}

// target decides the status a save leads to and the action it records.
func (s *Service) target(actor access.Actor, a *Article, in *ArticleInput, intent Intent, now time.Time) (Status, string, error) {
	canPublish := actor.CanPublish(access.ArticleState{AuthorIDs: in.AuthorIDs, Published: a.Status.Live()})
	if a.Kind == KindPage {
		canPublish = actor.Can(access.ManagePages)
	}
	update := audit.ActionArticleUpdate
	if a.ID == 0 {
		update = audit.ActionArticleCreate
	}
	switch intent {
	case IntentSave, "":
		if a.Status.Live() && !canPublish {
			return "", "", forbidden()
		}
		if a.Status == StatusScheduled && !in.PublishedAt.IsZero() && !in.PublishedAt.After(now) {
			return StatusPublished, audit.ActionArticlePublish, nil
		}
		if !a.Status.Live() {
			// A draft keeps no date until it is published.
			in.PublishedAt = time.Time{}
		}
		return a.Status, update, nil
	case IntentSubmit:
		if a.Status.Live() {
			return "", "", apperr.New(apperr.Invalid, "error.article.bad_status")
		}
		in.PublishedAt = time.Time{}
		return StatusPending, audit.ActionArticleSubmit, nil
	case IntentPublish:
		if !canPublish {
			return "", "", forbidden()
		}
		if in.PublishedAt.IsZero() || in.PublishedAt.After(now) {
			if a.Status == StatusPublished && !a.PublishedAt.IsZero() {
				in.PublishedAt = a.PublishedAt
			} else {
				in.PublishedAt = now
			}
		}
		return StatusPublished, audit.ActionArticlePublish, nil
	case IntentSchedule:
		if !canPublish {
			return "", "", forbidden()
		}
		if in.PublishedAt.IsZero() {
			return "", "", apperr.New(apperr.Invalid, "error.article.schedule_needs_date").InField("published_at")
		}
		if !in.PublishedAt.After(now) {
			return "", "", apperr.New(apperr.Invalid, "error.article.schedule_in_past").InField("published_at")
		}
		return StatusScheduled, audit.ActionArticleSchedule, nil
	case IntentUnpublish:
		if !canPublish {
			return "", "", forbidden()
		}
		in.PublishedAt = time.Time{}
		return StatusDraft, audit.ActionArticleUnpublish, nil
	}
	return "", "", apperr.New(apperr.Invalid, "error.article.bad_status")
}

// Trash moves an article to the trash; Restore brings it back as it was.
func (s *Service) Trash(ctx context.Context, actor access.Actor, id int64) error {
	return s.setTrash(ctx, actor, id, true)
}

// Restore takes an article out of the trash, in the status it had.
func (s *Service) Restore(ctx context.Context, actor access.Actor, id int64) error {
	return s.setTrash(ctx, actor, id, false)
}

func (s *Service) setTrash(ctx context.Context, actor access.Actor, id int64, trash bool) error {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	st := stateOf(a)
	if a.Status == StatusTrash {
		st.Published = a.TrashedFrom.Live()
	}
	allowed := actor.CanTrash(st)
	if a.Kind == KindPage {
		allowed = actor.Can(access.ManagePages)
	}
	if !allowed || (st.Published && !actor.CanPublish(st) && a.Kind == KindPost) {
		return forbidden()
	}
	action := audit.ActionArticleTrash
	switch {
	case trash && a.Status == StatusTrash, !trash && a.Status != StatusTrash:
		return nil // already there: a double click changes nothing
	case trash:
		a.TrashedFrom, a.Status = a.Status, StatusTrash
	default:
		a.Status, a.TrashedFrom = a.TrashedFrom, ""
		if a.Status == "" || !a.Status.Valid() {
			a.Status = StatusDraft
		}
		action = audit.ActionArticleRestore
	}
	now := s.clock.Now()
	if a.Status == StatusScheduled && !a.PublishedAt.After(now) {
		a.Status = StatusPublished
	}
	a.UpdatedAt = now
	_, err = s.update(ctx, a, Effects{Audit: &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name,
		Action: action, TargetType: string(a.Kind), TargetID: a.ID, Summary: a.Title, IP: actor.IP}})
	return err
}

// Autosave keeps the text being written without touching the article, one
// copy per writer, so a crash or a closed tab loses at most a few seconds.
func (s *Service) Autosave(ctx context.Context, actor access.Actor, id int64, title, excerpt, body string) error {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return err
	}
	if !canTouch(actor, a) {
		return forbidden()
	}
	if len(body) > MaxBodyBytes || utf8.RuneCountInString(title) > MaxTitleRunes || !utf8.ValidString(title+excerpt+body) {
		return apperr.New(apperr.Invalid, "error.article.body_too_long")
	}
	return s.store.SaveAutosave(ctx, &Revision{ArticleID: id, Version: a.Version, Autosave: true, UserID: actor.UserID,
		Title: strings.TrimSpace(title), Excerpt: excerpt, Body: body, CreatedAt: s.clock.Now()})
}

// Revisions lists an article's revisions for someone who may edit it.
func (s *Service) Revisions(ctx context.Context, actor access.Actor, id int64) ([]Revision, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canTouch(actor, a) {
		return nil, forbidden()
	}
	return s.store.Revisions(ctx, id)
}

// Revision returns one revision of an article the actor may edit.
func (s *Service) Revision(ctx context.Context, actor access.Actor, id int64) (*Revision, *Article, error) {
	r, err := s.store.RevisionByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.store.ArticleByID(ctx, r.ArticleID)
	if err != nil {
		return nil, nil, err
	}
	if !canTouch(actor, a) {
		return nil, nil, forbidden()
	}
	return r, a, nil
}

// RevertTo puts a revision's text back as the article's, as a new save
// (so it can itself be undone).
func (s *Service) RevertTo(ctx context.Context, actor access.Actor, revisionID int64, version int) (*Article, error) {
	r, a, err := s.Revision(ctx, actor, revisionID)
	if err != nil {
		return nil, err
	}
	in := InputOf(a)
	in.Version = version
	in.Title, in.Excerpt, in.Body = r.Title, r.Excerpt, r.Body
	saved, err := s.Save(ctx, actor, a.ID, in, IntentSave)
	if err != nil {
		return nil, fmt.Errorf("revert article %d: %w", a.ID, err)
	}
	return saved, nil
}

// InputOf returns the input that would save a as it is.
func InputOf(a *Article) ArticleInput {
	in := ArticleInput{Kind: a.Kind, Title: a.Title, Slug: a.Slug, Excerpt: a.Excerpt, Body: a.Body, Status: a.Status,
		PublishedAt: a.PublishedAt, Featured: a.Featured, CommentsOpen: a.CommentsOpen, SEOTitle: a.SEOTitle,
		SEODescription: a.SEODescription, ImageURL: a.ImageURL, ImageAlt: a.ImageAlt, Version: a.Version,
		AuthorIDs: a.AuthorIDs()}
	for _, c := range a.Categories {
		in.CategoryIDs = append(in.CategoryIDs, c.ID)
	}
	for _, t := range a.Tags {
		in.Tags = append(in.Tags, t.Name)
	}
	return in
}

// EditableArticle returns an article for its editor, if the actor may edit it.
func (s *Service) EditableArticle(ctx context.Context, actor access.Actor, id int64) (*Article, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canTouch(actor, a) {
		return nil, forbidden()
	}
	return a, nil
}

// AdminList returns a page of the back office's article list. Everybody
// sees every article, as in WordPress; the editor decides what one may change.
func (s *Service) AdminList(ctx context.Context, f ArticleFilter, page, size int) (Page, error) {
	if page < 1 {
		page = 1
	}
	if size < 1 || size > MaxPageSize {
		size = 20
	}
	f.VisibleAt = time.Time{}
	f.ByUpdate = true
	if f.Status == "" {
		f.NotTrashed = true
	}
	f.Offset, f.Limit = (page-1)*size, size
	arts, total, err := s.store.Articles(ctx, f)
	if err != nil {
		return Page{}, fmt.Errorf("list articles: %w", err)
	}
	return Page{Articles: arts, Total: total, Number: page, Size: size}, nil
}

// Preview renders Markdown exactly as a save would, for the editor's live
// preview.
func (s *Service) Preview(ctx context.Context, body string) (string, error) {
	if len(body) > MaxBodyBytes {
		return "", apperr.New(apperr.Invalid, "error.article.body_too_long").InField("body")
	}
	return s.render(ctx, body, s.lang().Typography)
}

// PublicPage returns the static page with this slug if the public may read it.
func (s *Service) PublicPage(ctx context.Context, slug string) (*Article, error) {
	return s.store.VisibleArticleBySlug(ctx, KindPage, slug, s.clock.Now(), 0)
}

// PublicPages returns the published static pages, for menus and footers.
func (s *Service) PublicPages(ctx context.Context) ([]*Article, error) {
	arts, _, err := s.store.Articles(ctx, ArticleFilter{Kind: KindPage, Status: StatusPublished, Limit: MaxPageSize})
	// In the order they were created, as a newsroom builds its menu.
	slices.SortFunc(arts, func(a, b *Article) int { return cmp.Compare(a.ID, b.ID) })
	return arts, err
}

// Counts returns the number of posts in each status, for the dashboard.
func (s *Service) Counts(ctx context.Context) (map[Status]int, error) {
	return s.store.StatusCounts(ctx)
}

// WeekCount is the number of posts published in the week starting Start.
type WeekCount struct {
	Start time.Time
	Count int
}

// PublishedPerWeek returns the posts published in each of the last weeks
// weeks (weeks start on Monday, in loc), oldest first.
func (s *Service) PublishedPerWeek(ctx context.Context, weeks int, loc *time.Location) ([]WeekCount, error) {
	now := s.clock.Now().In(loc)
	monday := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7))
	out := make([]WeekCount, weeks)
	for i := range out {
		out[i].Start = monday.AddDate(0, 0, -7*(weeks-1-i))
	}
	times, err := s.store.PublishedTimes(ctx, out[0].Start, s.clock.Now())
	if err != nil {
		return nil, err
	}
	for _, t := range times {
		t = t.In(loc)
		for i := len(out) - 1; i >= 0; i-- {
			if !t.Before(out[i].Start) {
				out[i].Count++
				break
			}
		}
	}
	return out, nil
}
