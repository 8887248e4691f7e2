package site

import (
	"context"
	"html/template"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
)

// bookshopBlock is the bookshop's block under an article: the newsroom's
// text (promo), up to four books for the article (those an editor picked,
// else books on its tags and categories) with their covers and prices,
// the delivery offer and the way to the shop. Without a shop it is the
// text alone; with neither text nor books, nothing. A failure to find
// books leaves them out: the article matters more.
// withBooks reports whether it shows books, whose changes must then purge
// the page.
func (h *Handler) bookshopBlock(ctx context.Context, c *reqCtx, a *content.Article, promo template.HTML) (block template.HTML, withBooks bool) {
	if h.Shop == nil {
		return promo, false
	}
	terms := make([]string, 0, len(a.Tags)+len(a.Categories))
	for _, t := range a.Tags {
		terms = append(terms, t.Name)
	}
	for _, k := range a.Categories {
		terms = append(terms, k.Name)
	}
	books, err := h.Shop.Promotion(ctx, a.ID, terms)
	if err != nil {
		h.Log.Warn("books for an article", "article", a.ID, "error", err)
		books = nil
	}
	if promo == "" && len(books) == 0 {
		return "", false
	}
	sl := shopFR
	if c.l.Lang == locale.English {
		sl = shopEN
	}
	var w htmlWriter
	w.raw(string(promo)) // rendered and sanitized when saved
	bookCardsHTML(&w, books, c, sl, h.Shop.Clock.Now())
	if offer := offerText(c, h.Shop.Policy()); offer != "" {
		w.raw(`<p class="shop-offer">`)
		w.text(offer)
		w.raw("</p>\n")
	}
	w.raw(`<p class="bookshop-action"><a class="button" href="`, sl.Home, `">`)
	w.text(c.p.T("shop.page.visit"))
	w.raw("</a></p>\n")
	return w.html(), len(books) > 0
}
