package site

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxQueryRunes bounds search queries; longer ones are refused with a message.
const maxQueryRunes = 200

// showSearch renders search results. Results are never cached (every query
// differs) and never indexed by search engines.
func (h *Handler) showSearch(r *http.Request, c *reqCtx) (*page, error) {
	if err := validQuery(r); err != nil {
		return nil, err
	}
	n, err := queryPage(r)
	if err != nil {
		return nil, err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	title := c.p.T("search.title")
	if q != "" {
		title = c.p.T("list.search_title", q)
	}
	v := h.newPage(r, c, title, "", "")
	v.IsSearch = true
	v.Heading = title
	v.NoIndex = true
	v.Query = q
	switch {
	case q == "":
	case utf8.RuneCountInString(q) > maxQueryRunes:
		v.SearchTooLong = true
	default:
		query := h.analyzer(c.l.Lang).Query(q)
		p, err := h.Content.Search(r.Context(), query, n, c.site.PostsPerPage)
		if err != nil {
			return nil, err
		}
		v.Articles = h.viewsOf(p.Articles, c)
		v.Total = p.Total
		v.Pagination = paginate(c, p, func(n int) string {
			u := "/search?q=" + url.QueryEscape(q)
			if n > 1 {
				u += "&page=" + strconv.Itoa(n)
			}
			return u
		})
	}
	page, err := h.htmlPage(c, "list", v, c.site.UpdatedAt)
	if err != nil {
		return nil, err
	}
	page.CacheControl = "private, max-age=60"
	return page, nil
}
