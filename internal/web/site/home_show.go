package site

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// featuredCount is the number of articles in the home page's featured block.
const featuredCount = 3

// showHome renders the home page: the featured articles on top, then the
// latest others, paged.
func (h *Handler) showHome(r *http.Request, c *reqCtx) (*page, error) {
	n, err := pageNumber(r, "/")
	if err != nil {
		return nil, err
	}
	yes := true
	featured, err := h.Content.PublicList(r.Context(), content.ArticleFilter{Featured: &yes}, 1, featuredCount)
	if err != nil {
		return nil, err
	}
	f := content.ArticleFilter{}
	for _, a := range featured.Articles {
		f.ExcludeIDs = append(f.ExcludeIDs, a.ID)
	}
	latest, err := h.Content.PublicList(r.Context(), f, n, c.site.PostsPerPage)
	if err != nil {
		return nil, err
	}
	canonical := pagedPath("/")(n)
	v := h.newPage(r, c, c.site.Title, c.site.Description, canonical)
	v.Section = "home"
	v.Articles = h.viewsOf(latest.Articles, c)
	v.Pagination = paginate(c, latest, pagedPath("/"))
	v.PrevURL, v.NextURL = h.absolute(v.Pagination.PrevURL), h.absolute(v.Pagination.NextURL)
	if n == 1 {
		v.Featured = h.viewsOf(featured.Articles, c)
		v.JSONLD = jsonLD(h.websiteLD(c))
	}
	return h.htmlPage(c, "home", v, newestOf(append(featured.Articles, latest.Articles...)), pagecache.TagLists)
}
