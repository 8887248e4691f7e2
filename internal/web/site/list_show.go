package site

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// listing describes one paged list of articles.
type listing struct {
	base        string // path of page 1, ending in "/"
	filter      content.ArticleFilter
	heading     string
	intro       string
	description string
	section     string
	feed        string
}

// showList renders page {n} of a listing.
func (h *Handler) showList(r *http.Request, c *reqCtx, ls listing) (*page, error) {
	n, err := pageNumber(r, ls.base)
	if err != nil {
		return nil, err
	}
	p, err := h.Content.PublicList(r.Context(), ls.filter, n, c.site.PostsPerPage)
	if err != nil {
		return nil, err
	}
	title := ls.heading
	if n > 1 {
		title = fmt.Sprintf("%s – %s", ls.heading, c.p.T("pagination.page_of", n, p.Pages()))
	}
	v := h.newPage(r, c, title, ls.description, pagedPath(ls.base)(n))
	v.Heading, v.Intro = c.typo(ls.heading), c.typo(ls.intro)
	v.Section = ls.section
	v.Articles = h.viewsOf(p.Articles, c)
	v.Total = p.Total
	v.Pagination = paginate(c, p, pagedPath(ls.base))
	v.PrevURL, v.NextURL = h.absolute(v.Pagination.PrevURL), h.absolute(v.Pagination.NextURL)
	if ls.feed != "" {
		v.FeedURL = ls.feed
		v.Feeds = append(v.Feeds, feedLink{Title: ls.heading, URL: h.BaseURL + ls.feed, Type: "application/rss+xml"})
	}
	return h.htmlPage(c, "list", v, newestOf(p.Articles), pagecache.TagLists)
}

func (h *Handler) showCategory(r *http.Request, c *reqCtx) (*page, error) {
	cat, err := h.Content.CategoryBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	base := web.CategoryPath(cat.Slug)
	return h.showList(r, c, listing{base: base, filter: content.ArticleFilter{CategorySlug: cat.Slug},
		heading: cat.Name, intro: cat.Description, description: cat.Description, section: cat.Slug, feed: base + "feed/"})
}

func (h *Handler) showTag(r *http.Request, c *reqCtx) (*page, error) {
	tag, err := h.Content.TagBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	base := web.TagPath(tag.Slug)
	heading := c.p.T("list.tag_title", tag.Name)
	return h.showList(r, c, listing{base: base, filter: content.ArticleFilter{TagSlug: tag.Slug},
		heading: heading, description: heading, feed: base + "feed/"})
}

func (h *Handler) showAuthor(r *http.Request, c *reqCtx) (*page, error) {
	au, err := h.Content.AuthorBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		return nil, err
	}
	return h.showList(r, c, listing{base: web.AuthorPath(au.Slug), filter: content.ArticleFilter{AuthorSlug: au.Slug},
		heading: c.p.T("list.author_title", au.Name), intro: au.Bio, description: au.Bio})
}

// showMonth renders the archive of a month, /2016/12/.
func (h *Handler) showMonth(r *http.Request, c *reqCtx) (*page, error) {
	year, err1 := strconv.Atoi(r.PathValue("year"))
	month, err2 := strconv.Atoi(r.PathValue("month"))
	if err1 != nil || err2 != nil || year < 1900 || year > 9999 || month < 1 || month > 12 || len(r.PathValue("month")) != 2 {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	when := time.Date(year, time.Month(month), 1, 0, 0, 0, 0, c.loc)
	label := c.p.Date(when, locale.MonthYear)
	heading := c.p.T("list.archive_title", label)
	return h.showList(r, c, listing{base: fmt.Sprintf("/%04d/%02d/", year, month),
		filter:  content.ArticleFilter{Year: year, Month: time.Month(month), Location: c.loc},
		heading: heading, description: c.p.T("list.month_intro", label), section: "archives"})
}

// showYear sends /2016/ to the archives, where the year's months are
// listed; a year of articles is too long for one page.
func (h *Handler) showYear(r *http.Request, c *reqCtx) (*page, error) {
	year, err := strconv.Atoi(r.PathValue("slug"))
	if err != nil || year < 1900 || year > 9999 || len(r.PathValue("slug")) != 4 {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return nil, &redirect{to: fmt.Sprintf("/archives/#y%04d", year), code: http.StatusFound}
}
