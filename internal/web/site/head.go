package site

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/content"
)

// The <head> and the menu are written here rather than in the templates:
// they hold most of a page's interpolations, and html/template pays a
// reflective call for each (a third of the rendering time). Every value is
// escaped with html.EscapeString, which is safe in text and in quoted
// attribute values; the URLs are the site's own.

// headHTML returns the metadata of a page: description, canonical and
// neighbour links, stylesheet, feeds, Open Graph, Twitter card and JSON-LD.
func (v *pageView) headHTML() template.HTML {
	var b strings.Builder
	b.Grow(3000)
	w := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	esc := html.EscapeString
	w("<title>", esc(v.Title), "</title>\n")
	if v.Description != "" {
		w(`<meta name="description" content="`, esc(v.Description), "\">\n")
	}
	if v.NoIndex {
		w("<meta name=\"robots\" content=\"noindex, follow\">\n")
	}
	if v.Refresh > 0 {
		w(`<meta http-equiv="refresh" content="`, strconv.Itoa(v.Refresh), "\">\n")
	}
	if v.Canonical != "" {
		w(`<link rel="canonical" href="`, esc(v.Canonical), "\">\n")
	}
	if v.PrevURL != "" {
		w(`<link rel="prev" href="`, esc(v.PrevURL), "\">\n")
	}
	if v.NextURL != "" {
		w(`<link rel="next" href="`, esc(v.NextURL), "\">\n")
	}
	w(`<link rel="stylesheet" href="`, esc(v.CSS), "\">\n")
	w(`<link rel="icon" href="`, esc(v.Icon), "\" type=\"image/svg+xml\">\n")
	for _, f := range v.Feeds {
		w(`<link rel="alternate" type="`, esc(f.Type), `" title="`, esc(f.Title), `" href="`, esc(f.URL), "\">\n")
	}
	// Fediverse servers find the publication from its pages: the home
	// page's actor, an article's own object (TryGhost/ActivityPub#1225),
	// and its author for Mastodon's link previews (fediverse:creator).
	if v.FediverseActor != "" {
		switch {
		case v.Article != nil && v.Canonical != "":
			w(`<link rel="alternate" type="application/activity+json" href="`, esc(v.Canonical), "\">\n")
		case v.Canonical == v.BaseURL+"/":
			w(`<link rel="alternate" type="application/activity+json" href="`, esc(v.FediverseActor), "\">\n")
		}
	}
	meta := func(attr, name, content string) {
		w(`<meta `, attr, `="`, name, `" content="`, esc(content), "\">\n")
	}
	meta("property", "og:site_name", v.SiteTitle)
	meta("property", "og:locale", v.Lang.OGLocale())
	meta("property", "og:type", v.OGType)
	meta("property", "og:title", v.OGTitle)
	if v.Description != "" {
		meta("property", "og:description", v.Description)
	}
	if v.Canonical != "" {
		meta("property", "og:url", v.Canonical)
	}
	if v.Image != "" {
		meta("property", "og:image", v.Image)
		if v.ImageAlt != "" {
			meta("property", "og:image:alt", v.ImageAlt)
		}
	}
	if a := v.Article; a != nil {
		meta("property", "article:published_time", a.ISO)
		meta("property", "article:modified_time", a.ISOUpdated)
		for _, au := range a.Authors {
			meta("property", "article:author", v.BaseURL+"/author/"+au.Slug+"/")
		}
		for _, c := range a.Categories {
			meta("property", "article:section", c.Name)
		}
		for _, t := range a.Tags {
			meta("property", "article:tag", t.Name)
		}
	}
	card := "summary"
	if v.Image != "" {
		card = "summary_large_image"
	}
	meta("name", "twitter:card", card)
	if v.TwitterSite != "" {
		meta("name", "twitter:site", v.TwitterSite)
	}
	meta("name", "twitter:title", v.OGTitle)
	if v.Description != "" {
		meta("name", "twitter:description", v.Description)
	}
	if v.Image != "" {
		meta("name", "twitter:image", v.Image)
	}
	if v.Fediverse != "" && v.Article != nil {
		meta("name", "fediverse:creator", v.Fediverse)
	}
	if v.JSONLD != "" {
		// JSONLD is JSON with <, > and & escaped: it cannot end the element.
		w(`<script type="application/ld+json">`, string(v.JSONLD), "</script>\n")
	}
	return template.HTML(b.String()) //nolint:gosec // every value escaped above
}

// navHTML returns the items of the section menu, the current one marked.
func navHTML(cats []content.Category, section, homeLabel, archivesLabel string) template.HTML {
	var b strings.Builder
	b.Grow(512)
	item := func(href, label string, current bool) {
		b.WriteString(`<li><a href="`)
		b.WriteString(html.EscapeString(href))
		b.WriteString(`"`)
		if current {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteString(`>`)
		b.WriteString(html.EscapeString(label))
		b.WriteString("</a></li>\n")
	}
	item("/", homeLabel, section == "home")
	for _, c := range cats {
		item("/category/"+c.Slug+"/", c.Name, section == c.Slug)
	}
	item("/archives/", archivesLabel, section == "archives")
	return template.HTML(b.String()) //nolint:gosec // escaped above
}
