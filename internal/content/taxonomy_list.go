package content

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/textproc"
)

// AllCategories returns every category in menu order with its count of
// articles of any status but the trash, for the back office.
func (s *Service) AllCategories(ctx context.Context) ([]Category, error) {
	return s.store.AllCategories(ctx)
}

// CategoryNode is a category at its place in the tree of categories.
type CategoryNode struct {
	Category
	// Depth is 0 for a top-level category, 1 for its subcategories, and so on.
	Depth int
}

// CategoryTree orders cats depth first, each category followed by its
// subcategories, keeping the order of cats among siblings. A category whose
// parent is not in cats is shown at the top level, and so is one caught in
// a loop, so that every category appears exactly once.
func CategoryTree(cats []Category) []CategoryNode {
	known := make(map[int64]bool, len(cats))
	for _, c := range cats {
		known[c.ID] = true
	}
	children := map[int64][]int{}
	for i, c := range cats {
		p := c.ParentID
		if !known[p] || p == c.ID {
			p = 0
		}
		children[p] = append(children[p], i)
	}
	out := make([]CategoryNode, 0, len(cats))
	seen := make([]bool, len(cats))
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, i := range children[parent] {
			if seen[i] {
				continue
			}
			seen[i] = true
			out = append(out, CategoryNode{Category: cats[i], Depth: depth})
			walk(cats[i].ID, depth+1)
		}
	}
	walk(0, 0)
	for i := range cats {
		if !seen[i] {
			seen[i] = true
			out = append(out, CategoryNode{Category: cats[i]})
			walk(cats[i].ID, 1)
		}
	}
	return out
}

// TagFilter selects tags for the back office's list. Zero fields do not filter.
type TagFilter struct {
	// Search keeps the tags whose name contains it (ASCII case ignored) or
	// whose slug contains SearchSlug.
	Search string
	// SearchSlug is Search made a slug, so that a search ignores accents,
	// case and punctuation; AdminTags fills it.
	SearchSlug string
	// Name keeps the tags named exactly Name.
	Name string
	// ByCount orders by number of articles, most first, then by slug; the
	// default order is by slug, which is the name without accents or case.
	ByCount bool

	Offset int
	Limit  int
}

// TagPage is one page of the back office's list of tags.
type TagPage struct {
	Tags   []Tag
	Total  int
	Number int
	Size   int
}

// Pages returns the number of pages, at least 1.
func (p TagPage) Pages() int { return Page{Total: p.Total, Size: p.Size}.Pages() }

// HasPrev reports whether a page comes before this one.
func (p TagPage) HasPrev() bool { return p.Number > 1 }

// HasNext reports whether a page comes after this one.
func (p TagPage) HasNext() bool { return p.Number < p.Pages() }

// AdminTags returns page number page (from 1) of the tags matching f, size
// tags a page, each with its count of articles of any status but the trash.
func (s *Service) AdminTags(ctx context.Context, f TagFilter, page, size int) (TagPage, error) {
	if page < 1 {
		page = 1
	}
	if size < 1 || size > MaxPageSize {
		size = 50
	}
	f.Search = strings.TrimSpace(f.Search)
	f.SearchSlug = textproc.Slugify(f.Search)
	f.Offset, f.Limit = (page-1)*size, size
	tags, total, err := s.store.TagList(ctx, f)
	if err != nil {
		return TagPage{}, fmt.Errorf("list tags: %w", err)
	}
	return TagPage{Tags: tags, Total: total, Number: page, Size: size}, nil
}

// TagNamed returns the tag called name, or else the one whose slug name
// makes (a tag typed without its accents); NotFound with the message
// error.tag.unknown otherwise.
func (s *Service) TagNamed(ctx context.Context, name string) (*Tag, error) {
	name = strings.TrimSpace(name)
	unknown := apperr.New(apperr.NotFound, "error.tag.unknown")
	if name == "" {
		return nil, unknown
	}
	tags, _, err := s.store.TagList(ctx, TagFilter{Name: name, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(tags) > 0 {
		return &tags[0], nil
	}
	slug := textproc.Slugify(name)
	if slug == "" {
		return nil, unknown
	}
	t, err := s.store.TagBySlug(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Wrap(err, apperr.NotFound, "error.tag.unknown")
	}
	return t, err
}
