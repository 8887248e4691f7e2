package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/content"
)

// ArticlePath returns the public path of an article: its publication date
// in the site's time zone, then its slug, as WordPress's "day and name"
// permalinks, so links of a newsroom coming from WordPress keep their shape.
func ArticlePath(a *content.Article, loc *time.Location) string {
	t := a.PublishedAt
	if t.IsZero() {
		t = a.CreatedAt
	}
	t = t.In(loc)
	return fmt.Sprintf("/%04d/%02d/%02d/%s/", t.Year(), int(t.Month()), t.Day(), a.Slug)
}

// PagePath returns the public path of a static page: /slug/.
func PagePath(slug string) string { return "/" + slug + "/" }

// CategoryPath returns the public path of a category.
func CategoryPath(slug string) string { return "/category/" + slug + "/" }

// TagPath returns the public path of a tag.
func TagPath(slug string) string { return "/tag/" + slug + "/" }

// AuthorPath returns the public path of an author.
func AuthorPath(slug string) string { return "/author/" + slug + "/" }

// ArticleSlugOf returns the slug of the article a path names in the shape
// ArticlePath writes ("/2016/12/11/palmyre/"), false for any other path.
func ArticleSlugOf(p string) (string, bool) {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) != 4 || !strings.HasSuffix(p, "/") {
		return "", false
	}
	for i, n := range []int{4, 2, 2} {
		if len(parts[i]) != n || strings.Trim(parts[i], "0123456789") != "" {
			return "", false
		}
	}
	if parts[3] == "" {
		return "", false
	}
	return parts[3], true
}
