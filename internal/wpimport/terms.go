package wpimport

import (
	"context"
	"fmt"
	"hash/crc32"
	"html"
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/wxr"
)

// importTerms finds or creates the categories (parents first) and tags of
// the export; other taxonomies (formats, menus, custom ones) are counted
// and left out. Terms already done are passed over.
func (r *run) importTerms(ctx context.Context, terms []wxr.Term) error {
	if r.categories == nil {
		r.categories, r.tags = map[string]content.Category{}, map[string]content.Tag{}
	}
	cats := map[string]*wxr.Term{}
	var order []*wxr.Term
	for i := range terms {
		t := &terms[i]
		switch t.Taxonomy {
		case wxr.TaxonomyCategory:
			if _, done := r.categories[t.Slug]; !done {
				cats[t.Slug] = t
				order = append(order, t)
			}
		case wxr.TaxonomyTag:
			if _, done := r.tags[t.Slug]; done {
				continue
			}
			if err := r.tag(ctx, t); err != nil {
				return err
			}
		}
	}
	if len(order) == 0 {
		return nil
	}
	existing, err := r.im.d.Content.AllCategories(ctx)
	if err != nil {
		return fmt.Errorf("list categories: %w", err)
	}
	byID := map[int64]content.Category{}
	bySlug := map[string]content.Category{}
	for _, c := range existing {
		byID[c.ID], bySlug[c.Slug] = c, c
	}
	var visit func(t *wxr.Term, depth int) error
	visit = func(t *wxr.Term, depth int) error {
		if _, done := r.categories[t.Slug]; done {
			return nil
		}
		var parent int64
		if p := cats[t.Parent]; p != nil && depth < 32 {
			if err := visit(p, depth+1); err != nil {
				return err
			}
		}
		if t.Parent != "" {
			parent = r.categories[t.Parent].ID
		}
		return r.category(ctx, t, parent, byID, bySlug)
	}
	for _, t := range order {
		if err := visit(t, 0); err != nil {
			return err
		}
	}
	return nil
}

// termKey is the mapping key of a term: its id, or its slug in WXR 1.0,
// which has no term ids.
func termKey(kind Kind, t *wxr.Term) Key {
	if t.ID != 0 {
		return Key{kind, strconv.FormatInt(t.ID, 10)}
	}
	return Key{kind, "slug:" + t.Slug}
}

// localSlug returns kiosque's slug for a term's WordPress slug, which
// WordPress percent-encodes when it has non-ASCII letters: the slug with
// its accents folded. A slug kiosque cannot spell (Chinese, Cyrillic), or
// one another term of the export already took ("标签1" and "话题1" both
// spell "1"), becomes the kind and the term's id ("tag-12"), so that two
// WordPress terms never merge.
func (r *run) localSlug(kind Kind, t *wxr.Term) string {
	slug := t.Slug
	if s, err := url.PathUnescape(slug); err == nil {
		slug = s
	}
	s := textproc.Slugify(slug)
	if s == "" {
		s = textproc.Slugify(t.Name)
	}
	if r.termSlugs == nil {
		r.termSlugs = map[Key]string{}
	}
	if owner, taken := r.termSlugs[Key{kind, s}]; s == "" || taken && owner != t.Slug {
		id := strconv.FormatInt(t.ID, 10)
		if t.ID == 0 {
			id = strconv.FormatUint(uint64(crc32.ChecksumIEEE([]byte(t.Slug))), 36)
		}
		s = string(kind) + "-" + id
	}
	r.termSlugs[Key{kind, s}] = t.Slug
	return s
}

// termName returns a term's name as text (WordPress escapes it as HTML).
func termName(t *wxr.Term) string {
	name := strings.TrimSpace(html.UnescapeString(t.Name))
	if r := []rune(name); len(r) > content.MaxTaxonomyName {
		name = strings.TrimSpace(string(r[:content.MaxTaxonomyName]))
	}
	return name
}

// category finds or creates the category of t under parent: the one an
// earlier run made (updated when the export changed it), else the
// category with the same slug, else a new one. Its old address gets a
// redirect when it differs from the new one (a child category's
// WordPress address holds its parents' slugs).
func (r *run) category(ctx context.Context, t *wxr.Term, parent int64, byID map[int64]content.Category, bySlug map[string]content.Category) error {
	ref := headerRef("wp:category", t.Line, t.ID, t.Slug)
	key := termKey(KindCategory, t)
	want := content.Category{Slug: r.localSlug(KindCategory, t), Name: termName(t), ParentID: parent,
		Description: strings.TrimSpace(textproc.PlainText(t.Description))}
	c, mapped := byID[r.mapping[key]]
	switch {
	case mapped && c.ID != 0:
		if c.Name == want.Name && c.Description == want.Description && c.ParentID == want.ParentID {
			r.rep.Categories.Unchanged++
			break
		}
		c.Name, c.Description, c.ParentID = want.Name, want.Description, want.ParentID
		if !r.opts.DryRun {
			if err := r.im.d.Content.SaveCategory(ctx, access.System, &c); err != nil {
				return r.termFailed(ref, err)
			}
		}
		r.rep.Categories.Updated++
	case bySlug[want.Slug].ID != 0:
		c = bySlug[want.Slug]
		r.rep.Categories.Matched++
		if err := r.remember(ctx, key, c.ID); err != nil {
			return err
		}
	default:
		c = want
		if !r.opts.DryRun {
			if err := r.im.d.Content.SaveCategory(ctx, access.System, &c); err != nil {
				return r.termFailed(ref, err)
			}
			if err := r.remember(ctx, key, c.ID); err != nil {
				return err
			}
		}
		byID[c.ID], bySlug[c.Slug] = c, c
		r.rep.Categories.Created++
	}
	r.categories[t.Slug] = c
	if t.ID != 0 {
		r.termRedirect("/?cat="+strconv.FormatInt(t.ID, 10), "/category/"+c.Slug+"/")
	}
	if old := "/category/" + r.categoryPath(t) + "/"; old != "/category/"+c.Slug+"/" {
		r.termRedirect(old, "/category/"+c.Slug+"/")
	}
	return nil
}

// categoryPath returns the path WordPress gives t under /category/: its
// ancestors' slugs, then its own.
func (r *run) categoryPath(t *wxr.Term) string {
	path := t.Slug
	seen := map[string]bool{t.Slug: true}
	for p := t.Parent; p != "" && !seen[p]; {
		seen[p] = true
		path = p + "/" + path
		next := ""
		for i := range r.rd.Terms {
			if x := &r.rd.Terms[i]; x.Taxonomy == wxr.TaxonomyCategory && x.Slug == p {
				next = x.Parent
				break
			}
		}
		p = next
	}
	return path
}

// tag finds or creates the tag of t.
func (r *run) tag(ctx context.Context, t *wxr.Term) error {
	ref := headerRef("wp:tag", t.Line, t.ID, t.Slug)
	key := termKey(KindTag, t)
	tag := content.Tag{Slug: r.localSlug(KindTag, t), Name: termName(t)}
	switch _, mapped := r.mapping[key]; {
	case r.opts.DryRun:
		if mapped {
			r.rep.Tags.Unchanged++
		} else {
			r.rep.Tags.Created++
		}
	default:
		got, err := r.im.d.Content.EnsureTag(ctx, access.System, tag.Name, tag.Slug)
		if err != nil {
			return r.termFailed(ref, err)
		}
		tag = *got
		if mapped {
			r.rep.Tags.Unchanged++
		} else {
			r.rep.Tags.Created++
			if err := r.remember(ctx, key, tag.ID); err != nil {
				return err
			}
		}
	}
	r.tags[t.Slug] = tag
	r.termRedirect("/?tag="+t.Slug, "/tag/"+tag.Slug+"/")
	if t.Slug != tag.Slug {
		r.termRedirect("/tag/"+t.Slug+"/", "/tag/"+tag.Slug+"/")
	}
	return nil
}

// termFailed reports a term that could not be stored; a database error
// stops the import.
func (r *run) termFailed(ref string, err error) error {
	if apperr.Is(err, apperr.Internal) || apperr.Is(err, apperr.Unavailable) {
		return fmt.Errorf("%s: %w", ref, err)
	}
	return r.fail(ref, r.describe(err))
}

// termRedirect adds the redirect of a term's old address to the next
// batch.
func (r *run) termRedirect(from, to string) {
	r.termRedirects = append(r.termRedirects, redirects.Redirect{From: from, To: to, Code: redirects.Permanent})
}
