package content

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/textproc"
)

func (s *Service) taxonomyAudit(actor access.Actor, targetType string, id int64, summary string) *audit.Entry {
	return &audit.Entry{At: s.clock.Now(), UserID: actor.UserID, UserName: actor.Name, Action: audit.ActionTaxonomy,
		TargetType: targetType, TargetID: id, Summary: summary, IP: actor.IP}
}

// SaveCategory creates (ID 0) or updates a category for an editor or admin.
func (s *Service) SaveCategory(ctx context.Context, actor access.Actor, c *Category) error {
	if !actor.Can(access.ManageTaxonomies) {
		return forbidden()
	}
	c.Name = strings.TrimSpace(c.Name)
	c.Description = strings.TrimSpace(c.Description)
	if c.Name == "" || utf8.RuneCountInString(c.Name) > 100 {
		return apperr.New(apperr.Invalid, "error.category.name_required").InField("name")
	}
	if utf8.RuneCountInString(c.Description) > 1000 {
		return apperr.New(apperr.Invalid, "error.category.description_too_long").InField("description")
	}
	c.Slug = textproc.Slugify(c.Slug)
	if c.Slug == "" {
		c.Slug = textproc.Slugify(c.Name)
	}
	if c.Slug == "" {
		return apperr.New(apperr.Invalid, "error.category.name_required").InField("name")
	}
	if c.ParentID != 0 {
		if c.ParentID == c.ID {
			return apperr.New(apperr.Invalid, "error.category.bad_parent").InField("parent_id")
		}
		// Walk up from the parent: reaching c would make a loop.
		cats, err := s.store.Categories(ctx, s.clock.Now())
		if err != nil {
			return err
		}
		parent := map[int64]int64{}
		for _, x := range cats {
			parent[x.ID] = x.ParentID
		}
		if _, ok := parent[c.ParentID]; !ok {
			return apperr.New(apperr.Invalid, "error.category.bad_parent").InField("parent_id")
		}
		for p, n := c.ParentID, 0; p != 0 && n < len(cats)+1; p, n = parent[p], n+1 {
			if p == c.ID && c.ID != 0 {
				return apperr.New(apperr.Invalid, "error.category.bad_parent").InField("parent_id")
			}
		}
	}
	var err error
	if c.ID == 0 {
		err = s.store.CreateCategory(ctx, c, s.taxonomyAudit(actor, "category", 0, "+ "+c.Name))
	} else {
		err = s.store.UpdateCategory(ctx, c, s.taxonomyAudit(actor, "category", c.ID, c.Name))
	}
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(err, apperr.Conflict, "error.category.slug_taken").InField("slug")
	}
	return err
}

// DeleteCategory deletes a category, moving its articles to into (0:
// none) and its subcategories up one level.
func (s *Service) DeleteCategory(ctx context.Context, actor access.Actor, id, into int64) error {
	if !actor.Can(access.ManageTaxonomies) {
		return forbidden()
	}
	c, err := s.store.CategoryByID(ctx, id)
	if err != nil {
		return err
	}
	if into == id {
		return apperr.New(apperr.Invalid, "error.category.bad_parent").InField("into")
	}
	return s.store.DeleteCategory(ctx, id, into, s.taxonomyAudit(actor, "category", id, "− "+c.Name))
}

// CategoryByID returns one category.
func (s *Service) CategoryByID(ctx context.Context, id int64) (*Category, error) {
	return s.store.CategoryByID(ctx, id)
}

// AllTags returns every tag with its count of articles of any status.
func (s *Service) AllTags(ctx context.Context) ([]Tag, error) {
	return s.store.AllTags(ctx)
}

// TagByID returns one tag.
func (s *Service) TagByID(ctx context.Context, id int64) (*Tag, error) {
	return s.store.TagByID(ctx, id)
}

// RenameTag changes a tag's name and address; a name another tag already
// has is refused with a hint to merge them instead.
func (s *Service) RenameTag(ctx context.Context, actor access.Actor, id int64, name string) error {
	if !actor.Can(access.ManageTaxonomies) {
		return forbidden()
	}
	t, err := s.store.TagByID(ctx, id)
	if err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	slug := textproc.Slugify(name)
	if slug == "" || utf8.RuneCountInString(name) > 100 {
		return apperr.New(apperr.Invalid, "error.tag.name_required").InField("name")
	}
	old := t.Name
	t.Name, t.Slug = name, slug
	err = s.store.UpdateTag(ctx, t, s.taxonomyAudit(actor, "tag", id, old+" → "+name))
	if apperr.Is(err, apperr.Conflict) {
		return apperr.Wrap(err, apperr.Conflict, "error.tag.exists").InField("name")
	}
	return err
}

// MergeTags moves every article of tag from to tag into and deletes from.
func (s *Service) MergeTags(ctx context.Context, actor access.Actor, from, into int64) error {
	if !actor.Can(access.ManageTaxonomies) {
		return forbidden()
	}
	if from == into {
		return apperr.New(apperr.Invalid, "error.tag.merge_self").InField("into")
	}
	a, err := s.store.TagByID(ctx, from)
	if err != nil {
		return err
	}
	b, err := s.store.TagByID(ctx, into)
	if err != nil {
		return err
	}
	return s.store.MergeTags(ctx, from, into, s.taxonomyAudit(actor, "tag", into, fmt.Sprintf("%s → %s", a.Name, b.Name)))
}

// DeleteTag removes a tag from its articles and deletes it.
func (s *Service) DeleteTag(ctx context.Context, actor access.Actor, id int64) error {
	if !actor.Can(access.ManageTaxonomies) {
		return forbidden()
	}
	t, err := s.store.TagByID(ctx, id)
	if err != nil {
		return err
	}
	return s.store.DeleteTag(ctx, id, s.taxonomyAudit(actor, "tag", id, "− "+t.Name))
}
