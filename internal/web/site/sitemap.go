package site

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// newsWindow is how far back the Google News sitemap reaches: Google
// only reads articles of the last two days from it.
const newsWindow = 48 * time.Hour

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	NSNews  string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string       `xml:"loc"`
	LastMod string       `xml:"lastmod,omitempty"`
	News    *sitemapNews `xml:"news:news,omitempty"`
}

type sitemapNews struct {
	Publication newsPublication `xml:"news:publication"`
	Date        string          `xml:"news:publication_date"`
	Title       string          `xml:"news:title"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

func xmlPage(body []byte, modified time.Time) *page {
	return &page{Page: pagecache.Page{Status: http.StatusOK, ContentType: "application/xml; charset=utf-8",
		CacheControl: web.CacheFeed, LastModified: modified, Body: body, Tags: []string{pagecache.TagLists}}}
}

// showSitemapIndex renders /sitemap.xml: the article files, the taxonomy
// file and the news file.
func (h *Handler) showSitemapIndex(r *http.Request, c *reqCtx) (*page, error) {
	ctx := r.Context()
	_, total, err := h.Content.PublicStubs(ctx, time.Time{}, 1)
	if err != nil {
		return nil, err
	}
	modified, err := h.Content.LastModified(ctx)
	if err != nil {
		return nil, err
	}
	lastmod := ""
	if !modified.IsZero() {
		lastmod = modified.UTC().Format(time.RFC3339)
	}
	idx := sitemapIndex{}
	files := max(1, (total+content.MaxStubs-1)/content.MaxStubs)
	for i := 1; i <= files; i++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: fmt.Sprintf("%s/sitemaps/articles-%d.xml", h.BaseURL, i), LastMod: lastmod})
	}
	idx.Sitemaps = append(idx.Sitemaps,
		sitemapRef{Loc: h.BaseURL + "/sitemaps/taxonomies.xml", LastMod: lastmod},
		sitemapRef{Loc: h.BaseURL + "/sitemaps/news.xml", LastMod: lastmod})
	body, err := marshalXML(idx)
	if err != nil {
		return nil, err
	}
	return xmlPage(body, modified), nil
}

// showSitemap renders one file of the sitemap: articles-N.xml,
// taxonomies.xml or news.xml.
func (h *Handler) showSitemap(r *http.Request, c *reqCtx) (*page, error) {
	file := r.PathValue("file")
	switch {
	case file == "taxonomies.xml":
		return h.sitemapTaxonomies(r, c)
	case file == "news.xml":
		return h.sitemapNews(r, c)
	case strings.HasPrefix(file, "articles-") && strings.HasSuffix(file, ".xml"):
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(file, "articles-"), ".xml"))
		if err != nil || n < 1 || n > maxPage {
			break
		}
		return h.sitemapArticles(r, c, n)
	}
	return nil, apperr.New(apperr.NotFound, "error.not_found.text")
}

func (h *Handler) sitemapArticles(r *http.Request, c *reqCtx, n int) (*page, error) {
	stubs, total, err := h.Content.PublicStubs(r.Context(), time.Time{}, n)
	if err != nil {
		return nil, err
	}
	if n > 1 && len(stubs) == 0 && total <= (n-1)*content.MaxStubs {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	set := urlSet{}
	var modified time.Time
	for _, st := range stubs {
		a := &content.Article{Slug: st.Slug, PublishedAt: st.PublishedAt}
		lm := maxTime(st.UpdatedAt, st.PublishedAt)
		modified = maxTime(modified, lm)
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + web.ArticlePath(a, c.loc), LastMod: lm.UTC().Format(time.RFC3339)})
	}
	body, err := marshalXML(set)
	if err != nil {
		return nil, err
	}
	return xmlPage(body, modified), nil
}

func (h *Handler) sitemapTaxonomies(r *http.Request, c *reqCtx) (*page, error) {
	ctx := r.Context()
	set := urlSet{URLs: []sitemapURL{{Loc: h.BaseURL + "/"}, {Loc: h.BaseURL + "/archives/"}}}
	pages, err := h.Content.PublicPages(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + web.PagePath(p.Slug), LastMod: p.UpdatedAt.UTC().Format(time.RFC3339)})
	}
	cats, err := h.Content.Categories(ctx)
	if err != nil {
		return nil, err
	}
	for _, cat := range cats {
		if cat.Count > 0 {
			set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + web.CategoryPath(cat.Slug)})
		}
	}
	tags, err := h.Content.Tags(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + web.TagPath(t.Slug)})
	}
	authors, err := h.Content.Authors(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range authors {
		set.URLs = append(set.URLs, sitemapURL{Loc: h.BaseURL + web.AuthorPath(a.Slug)})
	}
	body, err := marshalXML(set)
	if err != nil {
		return nil, err
	}
	return xmlPage(body, c.site.UpdatedAt), nil
}

// sitemapNews renders the Google News sitemap of the last 48 hours
// (https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap).
func (h *Handler) sitemapNews(r *http.Request, c *reqCtx) (*page, error) {
	since := h.Content.Now().Add(-newsWindow)
	stubs, _, err := h.Content.PublicStubs(r.Context(), since, 1)
	if err != nil {
		return nil, err
	}
	set := urlSet{NSNews: "http://www.google.com/schemas/sitemap-news/0.9"}
	var modified time.Time
	name := c.site.Publisher
	if name == "" {
		name = c.site.Title
	}
	for _, st := range stubs {
		a := &content.Article{Slug: st.Slug, PublishedAt: st.PublishedAt}
		modified = maxTime(modified, maxTime(st.UpdatedAt, st.PublishedAt))
		set.URLs = append(set.URLs, sitemapURL{
			Loc: h.BaseURL + web.ArticlePath(a, c.loc),
			News: &sitemapNews{
				Publication: newsPublication{Name: name, Language: c.l.Lang.Tag()},
				Date:        st.PublishedAt.In(c.loc).Format(time.RFC3339),
				Title:       st.Title,
			},
		})
	}
	body, err := marshalXML(set)
	if err != nil {
		return nil, err
	}
	p := xmlPage(body, modified)
	// The window slides with time even when nothing changes.
	p.CacheControl = "public, max-age=300"
	p.MaxAge = 5 * time.Minute
	return p, nil
}

// showRobots renders /robots.txt: everything may be crawled but search
// results, and the sitemap is announced.
func (h *Handler) showRobots(r *http.Request, c *reqCtx) (*page, error) {
	body := "User-agent: *\nDisallow: /search\nDisallow: /admin/\nDisallow: /api/\n\nSitemap: " + h.BaseURL + "/sitemap.xml\n"
	return &page{Page: pagecache.Page{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", CacheControl: web.CacheFeed,
		LastModified: c.site.UpdatedAt, Body: []byte(body), Tags: []string{pagecache.TagLists}}}, nil
}
