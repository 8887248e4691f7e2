package site

import (
	"html/template"

	"github.com/kiosque/kiosque/internal/settings"
)

// socialHTML lists the newsroom's social profiles for the footer, under
// label. The Mastodon link carries rel="me", which Mastodon checks to show
// the site as verified on the profile.
func socialHTML(links []settings.SocialLink, label string) template.HTML {
	if len(links) == 0 {
		return ""
	}
	var w htmlWriter
	w.raw(`<ul class="footer-links social-links" aria-label="`)
	w.text(label)
	w.raw(`">`)
	for _, l := range links {
		w.raw(`<li><a href="`)
		w.text(l.URL)
		w.raw(`"`)
		if l.Network == "mastodon" {
			w.raw(` rel="me"`)
		}
		w.raw(`>`)
		w.text(settings.NetworkName(l.Network))
		w.raw("</a></li>")
	}
	w.raw("</ul>\n")
	return w.html()
}
