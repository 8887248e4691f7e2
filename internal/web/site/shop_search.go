package site

import (
	"html/template"
	"net/http"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// shopPerPage is the number of books on a page of results.
const shopPerPage = 24

// shopResultsView is a page of books: a search, or the books of an
// author, a publisher or a subject, with the facets to narrow it.
type shopResultsView struct {
	Heading    string
	Query      string
	Total      int
	Books      template.HTML
	Pagination pagination
	Facets     []facetGroup
	// Active are the filters in force, each linking to the page without it.
	Active  []facetLink
	Sorts   []facetLink
	TooLong bool
}

// facetGroup is one facet: its name and its values as links.
type facetGroup struct {
	Label string
	Links []facetLink
}

// showShopSearch renders /librairie/recherche: the books matching what was
// typed (an ISBN finds its copies) and the facets followed, newest first
// when nothing was typed. Pages of filters alone are kept in the page
// cache until a book changes; pages of typed queries are not (each
// differs) and are not indexed.
func (h *Handler) showShopSearch(r *http.Request, c *reqCtx) (*page, error) {
	return h.shopResults(r, c, "")
}

// showShopAuthor renders the books of a contributor.
func (h *Handler) showShopAuthor(r *http.Request, c *reqCtx) (*page, error) {
	return h.shopResults(r, c, "author")
}

// showShopPublisher renders the books of a publisher.
func (h *Handler) showShopPublisher(r *http.Request, c *reqCtx) (*page, error) {
	return h.shopResults(r, c, "publisher")
}

// showShopSubject renders the books of a subject ("clil:3435").
func (h *Handler) showShopSubject(r *http.Request, c *reqCtx) (*page, error) {
	return h.shopResults(r, c, "subject")
}

// shopResults renders a page of books; by names the path's filter
// (author, publisher, subject), "" for the search page.
func (h *Handler) shopResults(r *http.Request, c *reqCtx, by string) (*page, error) {
	if err := h.shopOff(); err != nil {
		return nil, err
	}
	c, sl := h.shopCtx(r, c)
	sq, err := parseShopQuery(r)
	if err != nil {
		return nil, err
	}
	name := r.PathValue("name")
	base := sl.url(shopQuery{})
	switch by {
	case "author":
		sq.Author, base = name, sl.AuthorURL(name)
	case "publisher":
		sq.Publisher, base = name, sl.PublisherURL(name)
	case "subject":
		if _, ok := shop.ParseSubjectKey(name); !ok {
			return nil, apperr.New(apperr.NotFound, "error.not_found.text")
		}
		sq.Subject, base = name, sl.SubjectURL(name)
	}
	if by != "" && name == "" {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	rv := &shopResultsView{Query: sq.Query}
	var res *shop.BookResult
	if utf8.RuneCountInString(sq.Query) > maxQueryRunes {
		rv.TooLong, res = true, &shop.BookResult{}
	} else {
		res, err = h.Shop.Search(r.Context(), shop.SearchParams{Query: sq.Query, Author: sq.Author, Publisher: sq.Publisher,
			Subject: sq.Subject, Format: sq.Format, Condition: sq.Condition, Sort: sq.Sort, Page: sq.Page, PerPage: shopPerPage})
		if err != nil {
			return nil, err
		}
	}
	if by != "" && res.Total == 0 {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	rv.Total = res.Total
	rv.Heading = h.resultsHeading(c, by, name, sq, res)
	rv.Books = booksHTML(res.Books, c, sl, h.Shop.Clock.Now())
	// On an author's, a publisher's or a subject's page, the path holds
	// that filter: links keep it by staying on the page.
	link := func(q shopQuery) string {
		if by == "" {
			return sl.url(q)
		}
		switch by {
		case "author":
			q.Author = ""
		case "publisher":
			q.Publisher = ""
		case "subject":
			q.Subject = ""
		}
		u := sl.url(q)
		if i := len(sl.Search); len(u) > i {
			return base + u[i:]
		}
		return base
	}
	rv.Facets, rv.Active = facetsOf(c, sl, sq, res.Facets, by, link)
	rv.Sorts = sortLinks(c, sq, link)
	pages := (res.Total + shopPerPage - 1) / shopPerPage
	rv.Pagination = pagination{Number: sq.Page, Pages: pages}
	if pages > 1 {
		rv.Pagination.Label = c.p.T("pagination.page_of", sq.Page, pages)
	}
	at := func(n int) string { q := sq; q.Page = n; return link(q) }
	if sq.Page > 1 {
		rv.Pagination.PrevURL = at(sq.Page - 1)
	}
	if sq.Page < pages {
		rv.Pagination.NextURL = at(sq.Page + 1)
	}

	canonical := ""
	if by != "" {
		canonical = base
	}
	v := h.newPage(r, c, rv.Heading, "", canonical)
	v.Section = "shop"
	v.PrevURL, v.NextURL = rv.Pagination.PrevURL, rv.Pagination.NextURL
	v.NoIndex = by == "" || sq.Query != ""
	sv := newShopView(c, sl, h.Shop.Policy())
	sv.Results = rv
	sv.setBar(c.p, sq.Query)
	v.Shop = sv
	var tags []string
	if sq.Query == "" && sq.Clean {
		tags = []string{pagecache.TagShop}
	}
	p, err := h.htmlPage(c, "shop_search", v, c.site.UpdatedAt, tags...)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		p.CacheControl = "private, max-age=60"
	}
	return p, nil
}

// resultsHeading is the title of a page of books.
func (h *Handler) resultsHeading(c *reqCtx, by, name string, sq shopQuery, res *shop.BookResult) string {
	switch by {
	case "author":
		return c.p.T("shop.page.author_title", name)
	case "publisher":
		return c.p.T("shop.page.publisher_title", name)
	case "subject":
		return c.p.T("shop.page.subject_title", subjectHeading(name, res))
	}
	if sq.Query != "" {
		return c.p.T("shop.page.search_title_q", sq.Query)
	}
	return c.p.T("shop.page.search_title")
}

// subjectHeading finds the name of a subject key among the facets or the
// books found, or returns the key.
func subjectHeading(key string, res *shop.BookResult) string {
	for _, f := range res.Facets.Subjects {
		if f.Value == key && f.Label != "" {
			return f.Label
		}
	}
	k, _ := shop.ParseSubjectKey(key)
	for _, b := range res.Books {
		for _, s := range b.Subjects {
			if s.Scheme == k.Scheme && s.Code == k.Code && s.Heading != "" {
				return s.Heading
			}
		}
	}
	return key
}

// facetsOf turns the result's facets into links that add one filter and
// keep the others, and lists the filters in force with a link that
// removes each. The path's own filter (by) is neither offered nor
// removable.
func facetsOf(c *reqCtx, sl *shopLang, sq shopQuery, f shop.Facets, by string, link func(shopQuery) string) ([]facetGroup, []facetLink) {
	base := sq
	base.Page = 1
	var groups []facetGroup
	group := func(label string, values []shop.FacetCount, current string, set func(*shopQuery, string), name func(shop.FacetCount) string) {
		if current != "" {
			return // chosen already: listed among the active filters
		}
		g := facetGroup{Label: label}
		for _, v := range values {
			q := base
			set(&q, v.Value)
			g.Links = append(g.Links, facetLink{Label: name(v), URL: link(q), Count: v.Count})
		}
		if len(g.Links) > 0 {
			groups = append(groups, g)
		}
	}
	label := func(v shop.FacetCount) string { return c.typo(v.Label) }
	value := func(v shop.FacetCount) string { return v.Value }
	if by != "subject" {
		group(c.p.T("shop.page.facet.subject"), f.Subjects, sq.Subject, func(q *shopQuery, v string) { q.Subject = v }, label)
	}
	if by != "author" {
		group(c.p.T("shop.page.facet.author"), f.Authors, sq.Author, func(q *shopQuery, v string) { q.Author = v }, value)
	}
	if by != "publisher" {
		group(c.p.T("shop.page.facet.publisher"), f.Publishers, sq.Publisher, func(q *shopQuery, v string) { q.Publisher = v }, value)
	}
	group(c.p.T("shop.page.facet.format"), f.Formats, string(sq.Format), func(q *shopQuery, v string) { q.Format = shop.Format(v) },
		func(v shop.FacetCount) string { return formatLabel(c.p, shop.Format(v.Value)) })
	if sq.Condition == "" {
		q := base
		g := facetGroup{Label: c.p.T("shop.page.facet.condition")}
		for _, cond := range []shop.Condition{shop.ConditionNew, shop.ConditionUsed} {
			q.Condition = cond
			g.Links = append(g.Links, facetLink{Label: conditionLabel(c, cond), URL: link(q)})
		}
		groups = append(groups, g)
	}

	var active []facetLink
	remove := func(label string, clear func(*shopQuery)) {
		q := base
		clear(&q)
		active = append(active, facetLink{Label: label, URL: link(q), Current: true})
	}
	if sq.Subject != "" && by != "subject" {
		remove(subjectLabel(sq.Subject, f), func(q *shopQuery) { q.Subject = "" })
	}
	if sq.Author != "" && by != "author" {
		remove(sq.Author, func(q *shopQuery) { q.Author = "" })
	}
	if sq.Publisher != "" && by != "publisher" {
		remove(sq.Publisher, func(q *shopQuery) { q.Publisher = "" })
	}
	if sq.Format != "" {
		remove(formatLabel(c.p, sq.Format), func(q *shopQuery) { q.Format = "" })
	}
	if sq.Condition != "" {
		remove(conditionLabel(c, sq.Condition), func(q *shopQuery) { q.Condition = "" })
	}
	return groups, active
}

func subjectLabel(key string, f shop.Facets) string {
	return subjectHeading(key, &shop.BookResult{Facets: f})
}

func conditionLabel(c *reqCtx, cond shop.Condition) string {
	if cond == shop.ConditionUsed {
		return c.p.T("shop.page.condition.used")
	}
	return c.p.T("shop.page.condition.new")
}

// sortLinks offers the orders of results, the current one marked.
func sortLinks(c *reqCtx, sq shopQuery, link func(shopQuery) string) []facetLink {
	current := sq.Sort
	if current == "" || (current == shop.SortRelevance && sq.Query == "") {
		current = shop.SortRelevance
		if sq.Query == "" {
			current = shop.SortNewest
		}
	}
	var out []facetLink
	for _, s := range []shop.BookSort{shop.SortRelevance, shop.SortNewest, shop.SortTitle, shop.SortPrice} {
		if s == shop.SortRelevance && sq.Query == "" {
			continue
		}
		q := sq
		q.Sort, q.Page = s, 1
		out = append(out, facetLink{Label: c.p.T("shop.page.sort." + string(s)), URL: link(q), Current: s == current})
	}
	return out
}
