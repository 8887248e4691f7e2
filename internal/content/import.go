package content

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/textproc"
)

// ImportInput is an article brought from another system (the WordPress
// import): what a writer would submit, plus what the other system knew.
type ImportInput struct {
	ArticleInput
	// CreatedAt and UpdatedAt are the article's dates in the other system;
	// zero takes the publication date, then now.
	CreatedAt, UpdatedAt time.Time
	// TrashedFrom is the status a trashed article had there.
	TrashedFrom Status
	// TagSlugs, when not nil, are the slugs of Tags, in order: the other
	// system's, which its old tag addresses use.
	TagSlugs []string
}

// PrepareImport validates in and fills a with it as CreateArticle would,
// without storing it: a is a new article, or the stored one an earlier
// run of the import wrote. reserved tells slugs already given to articles
// of the import that are not stored yet. It returns the article's search
// terms; the importer stores a and them in its own batches, without the
// jobs of a write: an imported article is old news, not to be posted to
// social networks.
func (s *Service) PrepareImport(ctx context.Context, a *Article, in ImportInput, reserved func(slug string) bool) (string, error) {
	created := a.CreatedAt
	if err := s.applyWith(ctx, a, in.ArticleInput, reserved); err != nil {
		return "", err
	}
	switch {
	case !created.IsZero():
		a.CreatedAt = created
	case !in.CreatedAt.IsZero():
		a.CreatedAt = in.CreatedAt.UTC()
	case !a.PublishedAt.IsZero():
		a.CreatedAt = a.PublishedAt
	}
	if !in.UpdatedAt.IsZero() {
		a.UpdatedAt = in.UpdatedAt.UTC()
	}
	if a.UpdatedAt.Before(a.CreatedAt) {
		a.UpdatedAt = a.CreatedAt
	}
	if a.Status == StatusTrash {
		a.TrashedFrom = in.TrashedFrom
		if !a.TrashedFrom.Valid() || a.TrashedFrom == StatusTrash {
			a.TrashedFrom = StatusDraft
		}
	}
	if in.TagSlugs != nil {
		for i := range a.Tags {
			if i < len(in.TagSlugs) && in.TagSlugs[i] != "" {
				a.Tags[i].Slug = in.TagSlugs[i]
			}
		}
	}
	return s.searchTerms(a), nil
}

// EnsureTag returns the tag with slug (made from name when empty),
// creating it with name when there is none: an import brings the tags no
// article uses yet too.
func (s *Service) EnsureTag(ctx context.Context, actor access.Actor, name, slug string) (*Tag, error) {
	if !actor.Can(access.ManageTaxonomies) {
		return nil, forbidden()
	}
	t := &Tag{Name: strings.TrimSpace(name), Slug: textproc.Slugify(slug)}
	if t.Slug == "" {
		t.Slug = textproc.Slugify(t.Name)
	}
	if t.Slug == "" || utf8.RuneCountInString(t.Name) > MaxTaxonomyName {
		return nil, apperr.New(apperr.Invalid, "error.tag.name_required").InField("name")
	}
	e := s.taxonomyAudit(actor, "tag", 0, "+ "+t.Name)
	if err := s.store.EnsureTag(ctx, t, e); err != nil {
		return nil, err
	}
	return t, nil
}
