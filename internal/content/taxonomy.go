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

// MaxTaxonomyName is the longest name, in characters, of a category or a tag.
const MaxTaxonomyName = 100

// maxCategoryDescription bounds a category's description, in characters.
const maxCategoryDescription = 1000

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
	if c.Name == "" || utf8.RuneCountInString(c.Name) > MaxTaxonomyName {
		return apperr.New(apperr.Invalid, "error.category.name_required").InField("name")
	}
	if utf8.RuneCountInString(c.Description) > maxCategoryDescription {
		return apperr.New(apperr.Invalid, "error.category.description_too_long", maxCategoryDescription).InField("description")
	}
	c.Slug = textproc.Slugify(c.Slug)
	if c.Slug == "" {
		c.Slug = textproc.Slugify(c.Name)
	}
	if c.Slug == "" {
		return apperr.New(apperr.Invalid, "error.category.name_required").InField("name")
	}
	cats, err := s.store.Categories(ctx, s.clock.Now())
	if err != nil {
		return err
	}
	if c.ParentID != 0 && !parentAllowed(cats, c.ID, c.ParentID) {
		return apperr.New(apperr.Invalid, "error.category.bad_parent").InField("parent_id")
	}
	if c.ID == 0 && c.Position == 0 {
		// A new category goes last in menus, not first.
		for _, x := range cats {
			c.Position = max(c.Position, x.Position+1)
		}
	}
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

// DeleteCategory deletes a category, moving its articles to category into
// and its subcategories up one level, in one transaction. into is required
// and must be another existing category, so the last category cannot be
// deleted: articles always have somewhere to go.
func (s *Service) DeleteCategory(ctx context.Context, actor access.Actor, id, into int64) error {
	if !actor.Can(access.ManageTaxonomies) {
		return forbidden()
	}
	c, err := s.store.CategoryByID(ctx, id)
	if err != nil {
		return err
	}
	cats, err := s.store.Categories(ctx, s.clock.Now())
	if err != nil {
		return err
	}
	if len(cats) <= 1 {
		return apperr.New(apperr.Invalid, "error.category.last").InField("into")
	}
	var target *Category
	for i := range cats {
		if cats[i].ID == into && into != id {
			target = &cats[i]
		}
	}
	if target == nil {
		return apperr.New(apperr.Invalid, "error.category.into_required").InField("into")
	}
	return s.store.DeleteCategory(ctx, id, into, s.taxonomyAudit(actor, "category", id, "− "+c.Name+" → "+target.Name))
}

// parentAllowed reports whether category id may be placed under parent:
// parent exists, and is neither id nor one of its descendants.
func parentAllowed(cats []Category, id, parent int64) bool {
	up := make(map[int64]int64, len(cats))
	for _, x := range cats {
		up[x.ID] = x.ParentID
	}
	if _, ok := up[parent]; !ok {
		return false
	}
	// Walk up from the parent: reaching id would make a loop. The walk is
	// bounded, should the stored tree already hold one.
	for p, n := parent, 0; p != 0 && n <= len(cats); p, n = up[p], n+1 {
		if p == id && id != 0 {
			return false
		}
	}
	return true
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
	if slug == "" || utf8.RuneCountInString(name) > MaxTaxonomyName {
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
