package wpimport

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/wpcontent"
	"github.com/kiosque/kiosque/internal/wxr"
)

// post turns a post or page of the export into a pending write, nil when
// there is nothing to write.
func (r *run) post(ctx context.Context, it *wxr.Item, ref string) (*pending, error) {
	counts := &r.rep.Posts
	kind := content.KindPost
	if it.Type == wxr.TypePage {
		counts, kind = &r.rep.Pages, content.KindPage
	}
	p := &pending{ref: ref, counts: counts, post: &Post{WPID: it.PostID, GUID: it.GUID}}
	a := &content.Article{}
	if id := r.mapping[idKey(KindPost, it.PostID)]; id != 0 {
		stored, err := r.im.d.Content.ArticleByID(ctx, id)
		switch {
		case err == nil:
			a, p.update = stored, true
		case !apperr.Is(err, apperr.NotFound):
			return nil, err
		}
	}
	in, err := r.input(ctx, it, kind, ref)
	if err != nil {
		return nil, err
	}
	if p.update && in.PublishedAt.IsZero() && in.Status == content.StatusPublished {
		// A post the export gives no date: the first run's stands.
		in.PublishedAt = a.PublishedAt
	}
	if p.update {
		edited, err := r.editedSince(ctx, a)
		if err != nil {
			return nil, err
		}
		if edited {
			p.kept, p.post.KeepArticle = true, true
			r.rep.note(ref, "edited in kiosque since the last import: left as it is")
		}
	}
	if !p.post.KeepArticle {
		next := *a
		if p.update {
			next.Version = a.Version
		}
		terms, err := r.im.d.Content.PrepareImport(ctx, &next, in, func(s string) bool { return r.slugs[s] })
		if err != nil {
			return nil, err
		}
		if p.update && sameArticle(a, &next) {
			p.post.KeepArticle = true
		} else {
			a = &next
			p.post.SearchTerms = terms
		}
	}
	p.post.Article = a
	r.slugs[a.Slug] = true
	if err := r.comments(ctx, it, p); err != nil {
		return nil, err
	}
	if p.post.KeepArticle && len(p.post.Comments) == 0 {
		// Nothing to write: count it now.
		r.done(p)
		return nil, nil
	}
	p.redirects = r.postRedirects(it, a)
	return p, nil
}

// editedSince reports whether someone saved the article in kiosque since
// it was imported: an import writes no revision, the editor does.
func (r *run) editedSince(ctx context.Context, a *content.Article) (bool, error) {
	revs, err := r.im.d.Content.Revisions(ctx, access.System, a.ID)
	if err != nil {
		return false, fmt.Errorf("revisions of article %d: %w", a.ID, err)
	}
	return len(revs) > 0, nil
}

// sameArticle reports whether a second import of an article would change
// nothing that the export holds.
func sameArticle(a, b *content.Article) bool {
	return a.Title == b.Title && a.Slug == b.Slug && a.Excerpt == b.Excerpt && a.Body == b.Body &&
		a.Status == b.Status && a.PublishedAt.Equal(b.PublishedAt) && a.Featured == b.Featured &&
		a.CommentsOpen == b.CommentsOpen && a.SEOTitle == b.SEOTitle && a.SEODescription == b.SEODescription &&
		a.ImageURL == b.ImageURL && a.ImageAlt == b.ImageAlt &&
		slices.Equal(a.AuthorIDs(), b.AuthorIDs()) &&
		slices.EqualFunc(a.Categories, b.Categories, func(x, y content.Category) bool { return x.ID == y.ID }) &&
		slices.EqualFunc(a.Tags, b.Tags, func(x, y content.Tag) bool { return x.Slug == y.Slug })
}

// input builds what the content service validates from an item.
func (r *run) input(ctx context.Context, it *wxr.Item, kind content.Kind, ref string) (content.ImportInput, error) {
	in := content.ImportInput{ArticleInput: content.ArticleInput{Kind: kind}}
	body, crep := wpcontent.Convert(it.Content, r.convertOptions(ctx))
	in.Title = plainText(it.Title)
	if in.Title == "" {
		in.Title = untitled(body, it.PostID)
		r.rep.note(ref, "no title in WordPress: titled « "+in.Title+" »")
	}
	if n := utf8.RuneCountInString(in.Title); n > content.MaxTitleRunes {
		in.Title = clipRunes(in.Title, content.MaxTitleRunes)
		r.rep.note(ref, fmt.Sprintf("title of %d characters cut to %d", n, content.MaxTitleRunes))
	}
	in.Slug = it.Name
	if s, err := url.PathUnescape(it.Name); err == nil {
		in.Slug = s
	}
	// WordPress renames a trashed post's slug, and gives it back when the
	// post is restored.
	in.Slug = strings.TrimSuffix(in.Slug, "__trashed")
	in.Body = body
	r.contentReport(ref, crep)
	in.Excerpt = plainText(it.Excerpt)
	if in.Excerpt == "" && crep.MoreTag {
		// WordPress shows what comes before <!--more--> as the teaser.
		teaser, _, _ := strings.Cut(it.Content, "<!--more")
		t, _ := wpcontent.Convert(teaser, wpcontent.Options{})
		in.Excerpt = plainText(t)
	}
	if n := utf8.RuneCountInString(in.Excerpt); n > content.MaxExcerptRunes {
		in.Excerpt = clipRunes(in.Excerpt, content.MaxExcerptRunes)
		r.rep.note(ref, fmt.Sprintf("excerpt of %d characters cut to %d", n, content.MaxExcerptRunes))
	}
	in.Status = r.status(it, ref)
	date := it.Time(r.opts.Location)
	switch in.Status {
	case content.StatusPublished, content.StatusScheduled:
		in.PublishedAt = date
	case content.StatusTrash:
		if st, _ := it.Meta.Get("_wp_trash_meta_status"); st == wxr.StatusPublish {
			in.PublishedAt = date
		}
		in.TrashedFrom = statusOf(metaOr(it.Meta, "_wp_trash_meta_status", wxr.StatusDraft))
	}
	in.CreatedAt = date
	if in.CreatedAt.IsZero() {
		in.CreatedAt = wall(it.Date, r.opts.Location)
	}
	in.UpdatedAt = it.ModifiedGMT
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = wall(it.Modified, r.opts.Location)
	}
	in.Featured = it.Sticky
	in.CommentsOpen = it.CommentStatus == "open"
	in.SEOTitle = seoField(it.Meta, "_yoast_wpseo_title", "rank_math_title")
	in.SEODescription = seoField(it.Meta, "_yoast_wpseo_metadesc", "rank_math_description")
	if id, ok := it.Meta.Get("_thumbnail_id"); ok {
		if n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64); err == nil {
			if att, ok := r.attachment(ctx, n); ok {
				in.ImageURL, in.ImageAlt = att.URL, att.Alt
			}
		}
	}
	if login := it.Creator; login != "" {
		id, err := r.authorOf(ctx, login)
		if err != nil {
			return in, err
		}
		if id != 0 {
			in.AuthorIDs = append(in.AuthorIDs, id)
		}
	}
	in.TagSlugs = []string{}
	for _, c := range it.Categories {
		switch {
		case c.Domain == wxr.TaxonomyCategory && c.Nicename != "":
			id, err := r.categoryOf(ctx, c)
			if err != nil {
				return in, err
			}
			if id != 0 {
				in.CategoryIDs = append(in.CategoryIDs, id)
			}
		case (c.Domain == wxr.TaxonomyTag || c.Domain == "tag") && c.Nicename != "":
			t, err := r.tagOf(ctx, c)
			if err != nil {
				return in, err
			}
			if t.Slug != "" && !slices.Contains(in.TagSlugs, t.Slug) {
				in.Tags = append(in.Tags, t.Name)
				in.TagSlugs = append(in.TagSlugs, t.Slug)
			}
		}
	}
	return in, nil
}

// status maps a WordPress status to kiosque's, noting what has no
// equivalent.
func (r *run) status(it *wxr.Item, ref string) content.Status {
	st := statusOf(it.Status)
	switch {
	case it.Password != "" && st != content.StatusTrash:
		r.rep.note(ref, "protected by a password in WordPress: imported as a draft")
		return content.StatusDraft
	case it.Status == wxr.StatusPrivate:
		r.rep.note(ref, "private in WordPress: imported as a draft")
	case st == content.StatusDraft && it.Status != wxr.StatusDraft && it.Status != "auto-draft":
		r.rep.note(ref, fmt.Sprintf("status %q unknown: imported as a draft", it.Status))
	}
	return st
}

// statusOf maps a WordPress post status to kiosque's.
func statusOf(s string) content.Status {
	switch s {
	case wxr.StatusPublish:
		return content.StatusPublished
	case wxr.StatusFuture:
		return content.StatusScheduled
	case wxr.StatusPending:
		return content.StatusPending
	case wxr.StatusTrash:
		return content.StatusTrash
	}
	return content.StatusDraft
}

// categoryOf returns the local category of an item's category, creating
// one the export's terms did not list.
func (r *run) categoryOf(ctx context.Context, c wxr.Category) (int64, error) {
	if cat, ok := r.categories[c.Nicename]; ok {
		return cat.ID, nil
	}
	if err := r.importTerms(ctx, []wxr.Term{{Taxonomy: wxr.TaxonomyCategory, Slug: c.Nicename, Name: c.Name}}); err != nil {
		return 0, err
	}
	return r.categories[c.Nicename].ID, nil
}

// tagOf returns the local tag of an item's tag, creating one the export's
// terms did not list.
func (r *run) tagOf(ctx context.Context, c wxr.Category) (content.Tag, error) {
	if t, ok := r.tags[c.Nicename]; ok {
		return t, nil
	}
	if err := r.importTerms(ctx, []wxr.Term{{Taxonomy: wxr.TaxonomyTag, Slug: c.Nicename, Name: c.Name}}); err != nil {
		return content.Tag{}, err
	}
	return r.tags[c.Nicename], nil
}

// contentReport adds what converting a post's content noticed to the
// report.
func (r *run) contentReport(ref string, c wpcontent.Report) {
	for name, n := range c.UnknownShortcodes {
		count(&r.rep.UnknownShortcodes, name, n)
	}
	if len(c.UnknownShortcodes) > 0 {
		names := make([]string, 0, len(c.UnknownShortcodes))
		for n := range c.UnknownShortcodes {
			names = append(names, "["+n+"]")
		}
		slices.Sort(names)
		r.rep.note(ref, "shortcodes kept as text: "+strings.Join(names, " "))
	}
	for _, u := range c.KeptUploadURLs {
		if r.keptURLs == nil {
			r.keptURLs = map[string]bool{}
		}
		if !r.keptURLs[u] {
			r.keptURLs[u] = true
			r.rep.KeptURLs = append(r.rep.KeptURLs, u)
		}
	}
	if len(c.UnresolvedGalleryIDs) > 0 {
		r.rep.note(ref, "gallery images not in the export, left out: "+strings.Join(c.UnresolvedGalleryIDs, ", "))
	}
	for name := range c.DynamicBlocks {
		r.rep.note(ref, "block "+name+" is drawn by WordPress itself: nothing of it was carried over")
	}
	for _, w := range c.Warnings {
		r.rep.note(ref, w)
	}
}

// postRedirects returns the redirects of a post's old addresses to its new
// one: its permalink when it differs, and "/?p=ID" (or "/?page_id=ID").
// Only public posts get them: a draft has no address to go to.
func (r *run) postRedirects(it *wxr.Item, a *content.Article) []redirects.Redirect {
	if a.Status != content.StatusPublished && a.Status != content.StatusScheduled {
		return nil
	}
	to := r.im.d.ArticlePath(a)
	param := "p"
	if a.Kind == content.KindPage {
		param = "page_id"
	}
	out := []redirects.Redirect{{From: "/?" + param + "=" + strconv.FormatInt(it.PostID, 10), To: to, Code: redirects.Permanent}}
	if old := r.oldPath(it.Link); old != "" && !strings.EqualFold(strings.TrimSuffix(old, "/"), strings.TrimSuffix(to, "/")) {
		out = append(out, redirects.Redirect{From: old, To: to, Code: redirects.Permanent})
	}
	return out
}

// oldPath returns the path of link on the old site, "" when it is on
// another site or is a query ("/?p=12", given its own redirect).
func (r *run) oldPath(link string) string {
	u, err := url.Parse(link)
	if err != nil || u.RawQuery != "" {
		return ""
	}
	base, err := url.Parse(r.source)
	if err != nil || !strings.EqualFold(u.Host, base.Host) {
		return ""
	}
	p := u.EscapedPath()
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if prefix := strings.TrimRight(base.EscapedPath(), "/"); prefix != "" {
		// A site in a sub-folder: the new one is at the root.
		if !strings.HasPrefix(p, prefix+"/") {
			return ""
		}
		p = strings.TrimPrefix(p, prefix)
	}
	if p == "" || p == "/" {
		return ""
	}
	return p
}

// plainText turns a WordPress field (title, excerpt) into text: tags
// removed, entities decoded, spaces collapsed.
func plainText(s string) string {
	if strings.ContainsAny(s, "<&") {
		s = textproc.PlainText(s)
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// untitled gives a post WordPress let go without a title one made of the
// first words of its body (converted), else its number.
func untitled(body string, postID int64) string {
	words := strings.Fields(plainText(body))
	if len(words) == 0 {
		return "Sans titre " + strconv.FormatInt(postID, 10)
	}
	title := strings.Join(words[:min(len(words), 8)], " ")
	if len(words) > 8 {
		title += "…"
	}
	return clipRunes(title, content.MaxTitleRunes)
}

// clipRunes cuts s to n characters, the last one an ellipsis.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// seoField returns the first of keys an SEO plugin left in meta, unless it
// holds the plugin's variables (%%title%%), which only it can fill.
func seoField(meta wxr.Metadata, keys ...string) string {
	for _, k := range keys {
		if v, ok := meta.Get(k); ok {
			v = plainText(v)
			if v != "" && !strings.Contains(v, "%%") && !strings.Contains(v, "%title%") {
				return v
			}
		}
	}
	return ""
}

// metaOr returns meta's value for key, def when it has none.
func metaOr(meta wxr.Metadata, key, def string) string {
	if v, ok := meta.Get(key); ok && v != "" {
		return v
	}
	return def
}

// wall reads a WordPress wall-clock date in loc.
func wall(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, mo, d, h, mi, s, 0, loc)
}
