package site

import (
	"context"
	"html/template"
	"strconv"
	"sync"
	"time"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web/pagecache"
)

// progressTTL bounds how long the campaign's figures are reused between
// renders; a paid gift resets them (InvalidateCampaign).
const progressTTL = 30 * time.Second

// progressCache keeps the running campaign's progress for a short while:
// every page with the appeal shows it.
type progressCache struct {
	mu  sync.Mutex
	at  time.Time
	val *donations.Progress
}

func (pc *progressCache) get(ctx context.Context, d *donations.Service) *donations.Progress {
	if d == nil {
		return nil
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if !pc.at.IsZero() && time.Since(pc.at) < progressTTL {
		return pc.val
	}
	p, err := d.Progress(ctx)
	if err != nil {
		// The bar is an extra: a page without it beats an error page.
		return pc.val
	}
	pc.val, pc.at = p, time.Now()
	return p
}

// InvalidateCampaign forgets the campaign's figures: a gift was paid or
// refunded. The caller purges pagecache.TagCampaign.
func (h *Handler) InvalidateCampaign() {
	h.progress.mu.Lock()
	h.progress.at = time.Time{}
	h.progress.mu.Unlock()
}

// SupportPath is the donation page in the site's language: /soutenir/ in
// French, /support/ in English (both answer).
func SupportPath(l locale.Lang) string {
	if l == locale.English {
		return "/support/"
	}
	return "/soutenir/"
}

// appealHTML is the appeal under articles and pages: the newsroom's text,
// the running campaign's bar (« 12 430 € sur 20 000 €, 312 donateurs »),
// and the way to the donation page.
func (h *Handler) appealHTML(ctx context.Context, c *reqCtx) template.HTML {
	text := c.site.AppealHTML
	if text == "" {
		return ""
	}
	var w htmlWriter
	w.raw(text) // rendered and sanitized when saved
	h.campaignHTML(ctx, &w, c)
	w.raw(`<p class="appeal-action"><a class="button" href="`, SupportPath(c.l.Lang), `">`)
	w.text(c.p.T("donations.give"))
	w.raw("</a></p>\n")
	return w.html()
}

// campaignHTML writes the running campaign's title and bar, if any.
func (h *Handler) campaignHTML(ctx context.Context, w *htmlWriter, c *reqCtx) {
	if p := h.progress.get(ctx, h.Donations); p != nil {
		pct := strconv.Itoa(p.Percent())
		label := c.p.N("donations.progress", p.Donors, c.p.MoneyShort(p.RaisedCents, "EUR"), c.p.MoneyShort(p.Campaign.GoalCents, "EUR"))
		w.raw(`<div class="campaign"><p class="campaign-title">`)
		w.text(p.Campaign.Title)
		// A <progress> element: the site's CSP forbids inline styles,
		// and assistive technologies read it natively.
		w.raw(`</p><progress class="campaign-bar" max="100" value="`, pct, `" aria-label="`)
		w.text(label)
		w.raw(`">`, pct, ` %</progress><p class="campaign-figures">`)
		w.text(label)
		w.raw("</p></div>\n")
	}
}

// appealOff reports whether one of an article's categories (in) has the
// appeal switched off, as the menu's categories (all) say.
func appealOff(all, in []content.Category) bool {
	for _, c := range in {
		for _, k := range all {
			if k.ID == c.ID && k.NoAppeal {
				return true
			}
		}
	}
	return false
}

// appealTags are the cache tags of a page that shows the appeal.
func appealTags(tags ...string) []string { return append(tags, pagecache.TagCampaign) }
