package content

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/textproc"
)

// Limits on what a person may type, so one article cannot fill the disk or
// break a layout.
const (
	MaxTitleRunes   = 300
	MaxExcerptRunes = 1000
	MaxBodyBytes    = 2 << 20
	maxSlugRunes    = 120
)

// PublishScheduledJob asks for a scheduled article to be published once its
// time has come.
type PublishScheduledJob struct {
	ArticleID int64 `json:"article_id"`
	// At is the publication time asked for; it makes a rescheduled article
	// a different (unique) job.
	At time.Time `json:"at"`
}

// Kind names the worker that publishes scheduled articles.
func (PublishScheduledJob) Kind() string { return "content.publish_scheduled" }

// ArticleChangedJob tells whoever follows the articles (social
// auto-publishing, the fediverse) that an article was written: published,
// changed or unpublished. It is enqueued with the write, so a publication
// and its consequences commit together; one job per article version, and
// its worker reads the article's state rather than trusting the event, so
// running it twice changes nothing.
type ArticleChangedJob struct {
	ArticleID int64 `json:"article_id"`
	Version   int   `json:"version"`
}

// Kind names the worker that passes the change on.
func (ArticleChangedJob) Kind() string { return "content.changed" }

// Language tells the service how to treat text: the typography style applied
// at render time and the analyzer feeding search.
type Language struct {
	Typography textproc.Style
	Analyzer   *search.Analyzer
}

// Service applies the newsroom's publishing rules on top of a Store.
type Service struct {
	store    Store
	clock    clock.Clock
	renderer *textproc.Renderer
	lang     func() Language
	images   ImageLookup
}

// ImageLookup tells the renderer about the images the site stores (their
// size and resized copies); the media library implements it.
type ImageLookup interface {
	ImageInfo(ctx context.Context, src string) (textproc.ImageInfo, bool)
}

// UseImages makes saves and previews give the images l knows their size
// and srcset. Call it while wiring, before the service is used.
func (s *Service) UseImages(l ImageLookup) { s.images = l }

// render turns Markdown into the article's HTML.
func (s *Service) render(ctx context.Context, body string, style textproc.Style) (string, error) {
	var resolve textproc.ImageResolver
	if s.images != nil {
		resolve = func(src string) (textproc.ImageInfo, bool) { return s.images.ImageInfo(ctx, src) }
	}
	return s.renderer.RenderWith(body, style, resolve)
}

// NewService returns a Service. lang is asked at every write, so a change of
// the site's language applies to the next save.
func NewService(store Store, clk clock.Clock, renderer *textproc.Renderer, lang func() Language) *Service {
	return &Service{store: store, clock: clk, renderer: renderer, lang: lang}
}

// Now returns the service's current time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// ArticleInput is what a writer submits for a new or edited article.
type ArticleInput struct {
	// Kind is post (the default) or page; it is fixed at creation.
	Kind           Kind
	Title          string
	Slug           string
	Excerpt        string
	Body           string
	Status         Status
	PublishedAt    time.Time
	Featured       bool
	CommentsOpen   bool
	SEOTitle       string
	SEODescription string
	ImageURL       string
	ImageAlt       string
	AuthorIDs      []int64
	CategoryIDs    []int64
	// Tags are display names; missing tags are created.
	Tags []string
	// Version is the version the writer started from (updates only).
	Version int
}

// CreateArticle validates in, renders its body and stores it, with the
// rights of the system (imports, the demo); a scheduled article gets a job
// that publishes it at its time. People write through Save.
func (s *Service) CreateArticle(ctx context.Context, in ArticleInput) (*Article, error) {
	a := &Article{}
	if err := s.apply(ctx, a, in); err != nil {
		return nil, err
	}
	return s.create(ctx, a, Effects{Revision: true})
}

func (s *Service) create(ctx context.Context, a *Article, eff Effects) (*Article, error) {
	eff.Jobs = jobsFor
	if err := s.store.CreateArticle(ctx, a, s.searchTerms(a), eff); err != nil {
		return nil, fmt.Errorf("create article %q: %w", a.Slug, err)
	}
	return s.store.ArticleByID(ctx, a.ID)
}

// UpdateArticle applies in to the article id if in.Version is current, with
// the rights of the system; Conflict otherwise, so that two writers never
// overwrite each other.
func (s *Service) UpdateArticle(ctx context.Context, id int64, in ArticleInput) (*Article, error) {
	a, err := s.store.ArticleByID(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("update article %d: %w", id, err)
	}
	if in.Version != a.Version {
		return nil, apperr.New(apperr.Conflict, "error.article.stale")
	}
	before := *a
	if err := s.apply(ctx, a, in); err != nil {
		return nil, err
	}
	return s.update(ctx, a, Effects{Revision: textChanged(&before, a)})
}

func (s *Service) update(ctx context.Context, a *Article, eff Effects) (*Article, error) {
	eff.Jobs = jobsFor
	if err := s.store.UpdateArticle(ctx, a, s.searchTerms(a), eff); err != nil {
		return nil, fmt.Errorf("update article %d: %w", a.ID, err)
	}
	return s.store.ArticleByID(ctx, a.ID)
}

// textChanged reports whether the text of an article differs between two states.
func textChanged(a, b *Article) bool {
	return a.Title != b.Title || a.Excerpt != b.Excerpt || a.Body != b.Body
}

// apply validates in and copies it onto a, rendering the body.
func (s *Service) apply(ctx context.Context, a *Article, in ArticleInput) error {
	return s.applyWith(ctx, a, in, nil)
}

// applyWith is apply, with reserved telling slugs that are taken though
// not stored yet (an import's batch); nil reserves none.
func (s *Service) applyWith(ctx context.Context, a *Article, in ArticleInput, reserved func(slug string) bool) error {
	in.Title = strings.TrimSpace(in.Title)
	switch {
	case in.Title == "":
		return apperr.New(apperr.Invalid, "error.article.title_required").InField("title")
	case utf8.RuneCountInString(in.Title) > MaxTitleRunes:
		return apperr.New(apperr.Invalid, "error.article.title_too_long", MaxTitleRunes).InField("title")
	case utf8.RuneCountInString(in.Excerpt) > MaxExcerptRunes:
		return apperr.New(apperr.Invalid, "error.article.excerpt_too_long", MaxExcerptRunes).InField("excerpt")
	case len(in.Body) > MaxBodyBytes:
		return apperr.New(apperr.Invalid, "error.article.body_too_long").InField("body")
	case !utf8.ValidString(in.Title + in.Excerpt + in.Body):
		return apperr.New(apperr.Invalid, "error.invalid_encoding")
	}
	if in.Status == "" {
		in.Status = StatusDraft
	}
	if a.ID == 0 {
		a.Kind = in.Kind
		if a.Kind == "" {
			a.Kind = KindPost
		}
		if a.Kind != KindPost && a.Kind != KindPage {
			return apperr.New(apperr.Invalid, "error.article.bad_status").InField("kind")
		}
	}
	if !in.Status.Valid() {
		return apperr.New(apperr.Invalid, "error.article.bad_status").InField("status")
	}
	now := s.clock.Now()
	switch in.Status {
	case StatusScheduled:
		if in.PublishedAt.IsZero() {
			return apperr.New(apperr.Invalid, "error.article.schedule_needs_date").InField("published_at")
		}
		if !in.PublishedAt.After(now) {
			// A date in the past means "publish now", as WordPress does.
			in.Status = StatusPublished
		}
	case StatusPublished:
		if in.PublishedAt.IsZero() {
			in.PublishedAt = now
		}
	}
	requested := in.Slug
	if requested == "" && a.Slug != "" {
		// An edit keeps the address readers and search engines know.
		requested = a.Slug
	}
	slug, err := s.uniqueSlug(ctx, requested, in.Title, a.ID, a.Kind, reserved)
	if err != nil {
		return err
	}
	lang := s.lang()
	html, err := s.render(ctx, in.Body, lang.Typography)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "error.article.body_invalid").InField("body")
	}

	a.Title = in.Title
	a.Slug = slug
	a.Excerpt = strings.TrimSpace(in.Excerpt)
	a.Body = in.Body
	a.BodyHTML = html
	a.Status = in.Status
	a.PublishedAt = in.PublishedAt.UTC()
	a.Featured = in.Featured
	a.CommentsOpen = in.CommentsOpen
	a.SEOTitle = strings.TrimSpace(in.SEOTitle)
	a.SEODescription = strings.TrimSpace(in.SEODescription)
	a.ImageURL = strings.TrimSpace(in.ImageURL)
	a.ImageAlt = strings.TrimSpace(in.ImageAlt)
	a.ReadingMinutes = textproc.ReadingMinutes(html)
	a.UpdatedAt = now
	if a.ID == 0 {
		a.CreatedAt = now
		if a.Status == StatusPublished && a.PublishedAt.Before(now) {
			// A backdated article (imported, or the demo) was not updated
			// after publication.
			a.UpdatedAt = a.PublishedAt
		}
	}
	a.Authors = a.Authors[:0]
	for _, id := range uniqueIDs(in.AuthorIDs) {
		a.Authors = append(a.Authors, Author{ID: id})
	}
	a.Categories = a.Categories[:0]
	for _, id := range uniqueIDs(in.CategoryIDs) {
		a.Categories = append(a.Categories, Category{ID: id})
	}
	a.Tags = a.Tags[:0]
	seen := map[string]bool{}
	for _, name := range in.Tags {
		name = strings.TrimSpace(name)
		tagSlug := textproc.Slugify(name)
		if tagSlug == "" || seen[tagSlug] {
			continue
		}
		seen[tagSlug] = true
		a.Tags = append(a.Tags, Tag{Slug: tagSlug, Name: name})
	}
	return nil
}

// uniqueIDs returns ids without repeats, in their first order.
func uniqueIDs(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// uniqueSlug returns the requested slug, or one made from the title, made
// unique by a numeric suffix as WordPress does ("palmyre-2").
func (s *Service) uniqueSlug(ctx context.Context, requested, title string, id int64, kind Kind, reserved func(string) bool) (string, error) {
	base := textproc.Slugify(requested)
	if base == "" {
		base = textproc.Slugify(title)
	}
	if base == "" {
		base = "article"
	}
	if r := []rune(base); len(r) > maxSlugRunes {
		base = strings.Trim(string(r[:maxSlugRunes]), "-")
	}
	slug := base
	for n := 2; ; n++ {
		// A page lives at /{slug}/: it must not shadow a year of the
		// archives or an address the site uses itself.
		taken := kind == KindPage && (IsYearSlug(slug) || reservedPageSlugs[slug]) || reserved != nil && reserved(slug)
		var err error
		if !taken {
			taken, err = s.store.ArticleSlugExists(ctx, slug, id)
		}
		if err != nil {
			return "", fmt.Errorf("check slug %q: %w", slug, err)
		}
		if !taken {
			return slug, nil
		}
		if n > 1000 {
			return "", apperr.New(apperr.Conflict, "error.article.slug_taken").InField("slug")
		}
		slug = fmt.Sprintf("%s-%d", base, n)
	}
}

// reservedPageSlugs are the first path segments the site answers itself,
// which a static page cannot take.
var reservedPageSlugs = map[string]bool{
	"admin": true, "api": true, "archives": true, "author": true, "category": true, "feed": true,
	"healthz": true, "media": true, "metrics": true, "page": true, "search": true, "sitemaps": true,
	"static": true, "tag": true, "wp-admin": true, "wp-content": true, "wp-json": true, "wp-login.php": true,
}

// IsYearSlug reports whether a one-segment address names a year of the
// archives ("2016") rather than a static page.
func IsYearSlug(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (s *Service) searchTerms(a *Article) string {
	an := s.lang().Analyzer
	return an.Document(a.Title, a.Excerpt, textproc.PlainText(a.BodyHTML))
}

// jobsFor is the JobsFunc of article writes: a scheduled article gets the
// job that publishes it at its time, any other the news of its change.
func jobsFor(a *Article) []job.Job {
	if a.Status == StatusScheduled {
		return []job.Job{{Args: PublishScheduledJob{ArticleID: a.ID, At: a.PublishedAt}, RunAt: a.PublishedAt, Unique: true}}
	}
	return []job.Job{{Args: ArticleChangedJob{ArticleID: a.ID, Version: a.Version}, Unique: true}}
}

// PublishDue publishes every scheduled article whose time has come and
// returns how many it published. Running it twice, or on two instances at
// once, publishes each article once.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	now := s.clock.Now()
	ids, err := s.store.DueScheduled(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("list due articles: %w", err)
	}
	n := 0
	for _, id := range ids {
		done, err := s.store.PublishScheduled(ctx, id, now, jobsFor)
		if err != nil {
			return n, fmt.Errorf("publish article %d: %w", id, err)
		}
		if done {
			n++
		}
	}
	return n, nil
}

// PublishScheduled publishes one scheduled article if its time has come; it
// is what the scheduled job runs, and does nothing when the article was
// already published, unscheduled or rescheduled later.
func (s *Service) PublishScheduled(ctx context.Context, id int64) (bool, error) {
	done, err := s.store.PublishScheduled(ctx, id, s.clock.Now(), jobsFor)
	if err != nil {
		return false, fmt.Errorf("publish article %d: %w", id, err)
	}
	return done, nil
}
