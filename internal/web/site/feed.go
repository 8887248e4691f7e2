package site

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

type feedKind int

const (
	feedRSS feedKind = iota
	feedAtom
)

type feedScope int

const (
	scopeSite feedScope = iota
	scopeCategory
	scopeTag
)

// feedItems is the number of articles in a feed, as WordPress's default.
const feedItems = 20

// showFeed renders RSS 2.0 or Atom 1.0 for the site, a category or a tag,
// at the paths WordPress uses (/feed/, /feed/atom/, /category/x/feed/), so
// readers' subscriptions survive a move from WordPress.
func (h *Handler) showFeed(kind feedKind, scope feedScope) pageFunc {
	return func(r *http.Request, c *reqCtx) (*page, error) {
		ctx := r.Context()
		title := c.p.T("feed.title", c.site.Title)
		home := h.BaseURL + "/"
		f := content.ArticleFilter{WithBody: true}
		switch scope {
		case scopeCategory:
			cat, err := h.Content.CategoryBySlug(ctx, r.PathValue("slug"))
			if err != nil {
				return nil, err
			}
			f.CategorySlug = cat.Slug
			title = c.p.T("feed.category_title", c.site.Title, cat.Name)
			home = h.BaseURL + web.CategoryPath(cat.Slug)
		case scopeTag:
			tag, err := h.Content.TagBySlug(ctx, r.PathValue("slug"))
			if err != nil {
				return nil, err
			}
			f.TagSlug = tag.Slug
			title = c.p.T("feed.tag_title", c.site.Title, tag.Name)
			home = h.BaseURL + web.TagPath(tag.Slug)
		}
		p, err := h.Content.PublicList(ctx, f, 1, feedItems)
		if err != nil {
			return nil, err
		}
		arts := p.Articles
		self := h.BaseURL + r.URL.Path
		updated := newestOf(arts)
		if updated.IsZero() {
			updated = c.site.UpdatedAt
		}
		var body []byte
		var ctype string
		if kind == feedAtom {
			body, err = h.atom(c, arts, title, home, self, updated)
			ctype = "application/atom+xml; charset=utf-8"
		} else {
			body, err = h.rss(c, arts, title, home, self, updated)
			ctype = "application/rss+xml; charset=utf-8"
		}
		if err != nil {
			return nil, err
		}
		return &page{Page: pagecache.Page{Status: http.StatusOK, ContentType: ctype, CacheControl: web.CacheFeed,
			LastModified: updated, Body: body, Tags: []string{pagecache.TagLists}}}, nil
	}
}

// absoluteHTML makes the site-relative links and images of a body
// absolute, since feed readers show it away from the site.
func (h *Handler) absoluteHTML(s string) string {
	s = strings.ReplaceAll(s, ` href="/`, ` href="`+h.BaseURL+`/`)
	s = strings.ReplaceAll(s, ` src="/`, ` src="`+h.BaseURL+`/`)
	return strings.ReplaceAll(s, `="`+h.BaseURL+`//`, `="//`)
}

type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	NSContent string     `xml:"xmlns:content,attr"`
	NSDC      string     `xml:"xmlns:dc,attr"`
	NSAtom    string     `xml:"xmlns:atom,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	AtomLink      atomLink  `xml:"atom:link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator"`
	Copyright     string    `xml:"copyright,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	GUID        rssGUID   `xml:"guid"`
	PubDate     string    `xml:"pubDate"`
	Creator     []string  `xml:"dc:creator"`
	Categories  []string  `xml:"category"`
	Description string    `xml:"description"`
	Content     cdataText `xml:"content:encoded"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type cdataText struct {
	Value string `xml:",cdata"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

func (h *Handler) rss(c *reqCtx, arts []*content.Article, title, home, self string, updated time.Time) ([]byte, error) {
	doc := rssDoc{
		Version: "2.0", NSContent: "http://purl.org/rss/1.0/modules/content/",
		NSDC: "http://purl.org/dc/elements/1.1/", NSAtom: "http://www.w3.org/2005/Atom",
		Channel: rssChannel{
			Title: c.site.Title, Link: home, Description: orDefault(c.site.Description, title),
			AtomLink: atomLink{Href: self, Rel: "self", Type: "application/rss+xml"},
			Language: c.l.Lang.Tag(), LastBuildDate: updated.UTC().Format(time.RFC1123Z),
			Generator: "kiosque", Copyright: c.site.Copyright,
		},
	}
	if title != c.p.T("feed.title", c.site.Title) {
		doc.Channel.Title = title
	}
	for _, a := range arts {
		link := h.BaseURL + web.ArticlePath(a, c.loc)
		it := rssItem{
			Title: c.typo(a.Title), Link: link, GUID: rssGUID{IsPermaLink: "true", Value: link},
			PubDate: a.PublishedAt.UTC().Format(time.RFC1123Z), Description: c.typo(a.Description()),
			Content: cdataText{h.absoluteHTML(a.BodyHTML)},
		}
		for _, au := range a.Authors {
			it.Creator = append(it.Creator, au.Name)
		}
		for _, cat := range a.Categories {
			it.Categories = append(it.Categories, cat.Name)
		}
		for _, t := range a.Tags {
			it.Categories = append(it.Categories, t.Name)
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	return marshalXML(doc)
}

type atomDoc struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Generator string      `xml:"generator"`
	Rights    string      `xml:"rights,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []atomPerson   `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    atomText       `xml:"content"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

func (h *Handler) atom(c *reqCtx, arts []*content.Article, title, home, self string, updated time.Time) ([]byte, error) {
	doc := atomDoc{
		Lang: c.l.Lang.Tag(), ID: self, Title: title, Subtitle: c.site.Description,
		Updated: updated.UTC().Format(time.RFC3339),
		Links: []atomLink{
			{Href: self, Rel: "self", Type: "application/atom+xml"},
			{Href: home, Rel: "alternate", Type: "text/html"},
		},
		Generator: "kiosque", Rights: c.site.Copyright,
	}
	for _, a := range arts {
		link := h.BaseURL + web.ArticlePath(a, c.loc)
		e := atomEntry{
			ID: link, Title: c.typo(a.Title),
			Links:     []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}},
			Published: a.PublishedAt.UTC().Format(time.RFC3339),
			Updated:   maxTime(a.UpdatedAt, a.PublishedAt).UTC().Format(time.RFC3339),
			Content:   atomText{Type: "html", Value: h.absoluteHTML(a.BodyHTML)},
		}
		if d := a.Description(); d != "" {
			e.Summary = &atomText{Type: "text", Value: c.typo(d)}
		}
		for _, au := range a.Authors {
			e.Authors = append(e.Authors, atomPerson{Name: au.Name, URI: h.BaseURL + web.AuthorPath(au.Slug)})
		}
		if len(e.Authors) == 0 {
			e.Authors = []atomPerson{{Name: c.site.Title}}
		}
		for _, cat := range a.Categories {
			e.Categories = append(e.Categories, atomCategory{Term: cat.Slug, Label: cat.Name, Scheme: h.BaseURL + "/category/"})
		}
		for _, t := range a.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t.Slug, Label: t.Name, Scheme: h.BaseURL + "/tag/"})
		}
		doc.Entries = append(doc.Entries, e)
	}
	return marshalXML(doc)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
