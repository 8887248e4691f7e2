package site

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// summary is what a cart, a checkout or an order costs, line by line, as
// the pages show it: the goods, the delivery charge and why it is that
// much, the VAT per rate (or why there is none) and the total.
type summary struct {
	Lines     []summaryLine
	Goods     string
	Carrier   string
	Shipping  string
	Why       []string
	VAT       []vatLineView
	Exemption string
	Total     string
	// TotalCents is the total shown, which checkout checks again.
	TotalCents int64
	// Problems are the quote's remarks about no line in particular.
	Problems []string
}

// summaryLine is one title of a summary.
type summaryLine struct {
	BookID   int64
	Title    string
	URL      string
	Authors  string
	CoverURL string
	Used     bool
	Format   string
	Quantity int
	Unit     string
	// Publisher is the publisher's price (for a used copy, the shop's)
	// when the buyer pays less, shown struck through; "" otherwise.
	Publisher string
	Total     string
	// Excluded lines (withdrawn, bad quantity…) count in no total.
	Excluded bool
	Problems []string
}

type vatLineView struct{ Rate, Base, VAT, Total string }

// quoteSummary describes a priced cart; problems go next to their line,
// or in Problems when they concern no line.
func quoteSummary(c *reqCtx, sl *shopLang, q *shop.Quote) *summary {
	p := c.p
	s := &summary{Goods: p.Money(q.GoodsCents, "EUR"), Shipping: p.Money(q.ShippingCents, "EUR"),
		Total: p.Money(q.TotalCents, "EUR"), TotalCents: q.TotalCents, Exemption: q.VATExemption}
	if q.Carrier != nil {
		s.Carrier = q.Carrier.Name
	}
	for _, r := range q.Shipping.Why {
		s.Why = append(s.Why, r.Text(p))
	}
	byBook := map[int64][]string{}
	for _, pr := range q.Problems {
		if pr.BookID == 0 {
			s.Problems = append(s.Problems, pr.Text(p))
			continue
		}
		byBook[pr.BookID] = append(byBook[pr.BookID], pr.Text(p))
	}
	for _, l := range q.Lines {
		ln := summaryLine{BookID: l.BookID, Quantity: l.Quantity, Excluded: l.Excluded, Problems: byBook[l.BookID],
			Unit: p.Money(l.UnitCents, "EUR"), Total: p.Money(l.TotalCents, "EUR"),
			Publisher: publisherPrice(p, l.PublisherCents, l.UnitCents)}
		if b := l.Book; b != nil {
			ln.Title, ln.URL, ln.CoverURL = c.typo(b.Title), sl.BookURL(b), b.CoverURL
			ln.Authors, ln.Used = strings.Join(b.Authors(), ", "), b.Condition == shop.ConditionUsed
			if b.Format != shop.FormatPrint {
				ln.Format = formatLabel(p, b.Format)
			}
		} else {
			ln.Title = p.T("shop.page.book_gone")
		}
		if l.Excluded {
			ln.Unit, ln.Total, ln.Publisher = "", "", ""
		}
		s.Lines = append(s.Lines, ln)
	}
	s.VAT = vatLines(c, q.VAT)
	return s
}

// publisherPrice writes the price before a discount when the buyer pays
// less (unit below publisher), and "" otherwise.
func publisherPrice(p *locale.Printer, publisher, unit int64) string {
	if unit >= publisher {
		return ""
	}
	return p.Money(publisher, "EUR")
}

// beforeDiscountLabel names the struck-through price for screen readers:
// the publisher's for a new book, the shop's own for a used copy.
func beforeDiscountLabel(p *locale.Printer, used bool) string {
	if used {
		return p.T("shop.page.price_before_discount")
	}
	return p.T("shop.page.publisher_price")
}

func vatLines(c *reqCtx, vat []shop.VATLine) []vatLineView {
	out := make([]vatLineView, len(vat))
	for i, v := range vat {
		out[i] = vatLineView{Rate: vatRate(c.p, v.Rate), Base: c.p.Money(v.BaseCents, "EUR"), VAT: c.p.Money(v.VATCents, "EUR"),
			Total: c.p.Money(v.TotalCents, "EUR")}
	}
	return out
}

// vatRate prints a rate in basis points: « 5,5 % », "5.5%".
func vatRate(p *locale.Printer, bp int) string {
	s := strconv.Itoa(bp / 100)
	if frac := bp % 100; frac != 0 {
		dec := strconv.Itoa(100 + frac)[1:]
		dec = strings.TrimRight(dec, "0")
		sep := "."
		if p.Lang() == locale.French {
			sep = ","
		}
		s += sep + dec
	}
	if p.Lang() == locale.French {
		return s + "\u202f%"
	}
	return s + "%"
}

// linesHTML writes a summary's lines as a table (checkout, order): each
// title with « occasion » next to its price when used.
func linesHTML(c *reqCtx, s *summary) template.HTML {
	var w htmlWriter
	p := c.p
	w.raw(`<table class="shop-lines"><caption class="visually-hidden">`)
	w.text(p.T("shop.page.lines_caption"))
	w.raw(`</caption><thead><tr><th scope="col">`)
	w.text(p.T("shop.page.col.title"))
	w.raw(`</th><th scope="col" class="num">`)
	w.text(p.T("shop.page.col.unit"))
	w.raw(`</th><th scope="col" class="num">`)
	w.text(p.T("shop.page.col.quantity"))
	w.raw(`</th><th scope="col" class="num">`)
	w.text(p.T("shop.page.col.total"))
	w.raw("</th></tr></thead>\n<tbody>\n")
	for _, l := range s.Lines {
		w.raw(`<tr><th scope="row">`)
		if l.URL != "" {
			w.raw(`<a href="`)
			w.text(l.URL)
			w.raw(`">`)
			w.text(l.Title)
			w.raw(`</a>`)
		} else {
			w.text(l.Title)
		}
		if l.Format != "" {
			w.raw(` <span class="book-format">`)
			w.text(l.Format)
			w.raw(`</span>`)
		}
		for _, pr := range l.Problems {
			w.raw(`<br><span class="line-problem" role="alert">`)
			w.text(pr)
			w.raw(`</span>`)
		}
		w.raw(`</th><td class="num">`)
		if l.Publisher != "" {
			w.raw(`<del><span class="visually-hidden">`)
			w.text(beforeDiscountLabel(p, l.Used))
			w.raw(` </span>`)
			w.text(l.Publisher)
			w.raw(`</del> <span class="visually-hidden">`)
			w.text(p.T("shop.page.discounted_price"))
			w.raw(` </span>`)
		}
		w.text(l.Unit)
		if l.Used {
			w.raw(` <span class="condition-used">`)
			w.text(usedLabel(p))
			w.raw(`</span>`)
		}
		w.raw(`</td><td class="num">`)
		w.raw(strconv.Itoa(l.Quantity))
		w.raw(`</td><td class="num">`)
		w.text(l.Total)
		w.raw("</td></tr>\n")
	}
	w.raw("</tbody></table>\n")
	totalsHTML(&w, c, s)
	return w.html()
}

// totalsHTML writes the goods, the delivery charge with its reasons, the
// VAT and the total.
func totalsHTML(w *htmlWriter, c *reqCtx, s *summary) {
	p := c.p
	row := func(class, label, amount string) {
		w.raw(`<div class="`, class, `"><dt>`)
		w.text(label)
		w.raw(`</dt><dd>`)
		w.text(amount)
		w.raw("</dd></div>\n")
	}
	w.raw("<dl class=\"shop-totals\">\n")
	row("goods", p.T("shop.page.goods"), s.Goods)
	label := p.T("shop.delivery")
	if s.Carrier != "" {
		label += " (" + s.Carrier + ")"
	}
	w.raw(`<div class="shipping"><dt>`)
	w.text(label)
	w.raw(`</dt><dd>`)
	w.text(s.Shipping)
	w.raw(`</dd>`)
	if len(s.Why) > 0 {
		w.raw(`<dd class="shipping-why"><ul>`)
		for _, why := range s.Why {
			w.raw(`<li>`)
			w.text(why)
			w.raw(`</li>`)
		}
		w.raw(`</ul></dd>`)
	}
	w.raw("</div>\n")
	row("total", p.T("shop.page.total_ttc"), s.Total)
	w.raw("</dl>\n")
	if len(s.VAT) > 0 {
		w.raw(`<table class="shop-vat"><caption>`)
		w.text(p.T("shop.page.vat_caption"))
		w.raw(`</caption><thead><tr><th scope="col">`)
		w.text(p.T("shop.page.vat_rate"))
		w.raw(`</th><th scope="col" class="num">`)
		w.text(p.T("shop.page.vat_base"))
		w.raw(`</th><th scope="col" class="num">`)
		w.text(p.T("shop.page.vat_amount"))
		w.raw(`</th><th scope="col" class="num">`)
		w.text(p.T("shop.page.vat_total"))
		w.raw("</th></tr></thead><tbody>\n")
		for _, v := range s.VAT {
			w.raw(`<tr><th scope="row">`)
			w.text(v.Rate)
			w.raw(`</th><td class="num">`)
			w.text(v.Base)
			w.raw(`</td><td class="num">`)
			w.text(v.VAT)
			w.raw(`</td><td class="num">`)
			w.text(v.Total)
			w.raw("</td></tr>\n")
		}
		w.raw("</tbody></table>\n")
	} else if s.Exemption != "" {
		w.raw(`<p class="vat-exemption">`)
		w.text(s.Exemption)
		w.raw("</p>\n")
	}
}

// totalsOnly is totalsHTML as a template value.
func totalsOnly(c *reqCtx, s *summary) template.HTML {
	var w htmlWriter
	totalsHTML(&w, c, s)
	return w.html()
}
