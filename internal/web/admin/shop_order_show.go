package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// orderLineRow is a line of an order as its page shows it.
type orderLineRow struct {
	Title, ISBN string
	Format      shop.Format
	Used        bool
	Quantity    int
	Unit, Total string
	// Publisher is the publisher's price when the buyer paid another one
	// (a bookshop pickup's rebate).
	Publisher string
	VATRate   string
	BookID    int64
}

// vatRow is one rate of the order's VAT breakdown, written out.
type vatRow struct{ Rate, Base, VAT, Total string }

// historyRow is one status change, in the site's zone.
type historyRow struct {
	At          time.Time
	From, To    shop.OrderStatus
	Actor, Note string
}

// documentRow is an invoice or credit note of the order.
type documentRow struct {
	ID     int64
	Kind   shop.InvoiceKind
	Number string
	Issued time.Time
	Amount string
}

// orderForm is what the action forms posted, kept to show them again.
type orderForm struct {
	Tracking, Reason, Amount string
	Full                     bool
}

type shopOrderPage struct {
	basePage
	Order                             *shop.Order
	Lines                             []orderLineRow
	VAT                               []vatRow
	Goods, Shipping, Total            string
	Refunded, Refundable              string
	ShippingWhy                       []string
	History                           []historyRow
	Documents                         []documentRow
	Created, Paid, Shipped, Delivered time.Time
	// VATMode names the order's VAT mode when it charged none.
	VATMode string
	// Seen is the order's version the action forms carry back.
	Seen   string
	Form   orderForm
	Errors formErrors
}

// showShopOrder shows one order: its lines (« occasion » labelled), the
// addresses, the delivery and why it costs what it does, the VAT, the
// history, the invoice and credit notes, and the forms of what can be done
// next.
func (h *Handler) showShopOrder(w http.ResponseWriter, r *http.Request, s *session) {
	h.renderShopOrder(w, r, s, http.StatusOK, nil, orderForm{Full: true}, nil)
}

// renderShopOrder renders the order's page, with a message when an
// action was refused.
func (h *Handler) renderShopOrder(w http.ResponseWriter, r *http.Request, s *session, status int, fl *flash, f orderForm, errs formErrors) {
	ctx := r.Context()
	id := pathID(r)
	o, err := h.Shop.OrderByID(ctx, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	history, err := h.Shop.OrderHistory(ctx, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	docs, err := h.Shop.OrderInvoices(ctx, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	money := func(c int64) string { return p.Money(c, "EUR") }
	page := &shopOrderPage{basePage: h.shopBase(r, s, p.T("admin.shop.order.title", o.Reference)), Order: o,
		Goods: money(o.GoodsCents), Shipping: money(o.ShippingCents), Total: money(o.TotalCents),
		Refunded: money(o.RefundedCents), Refundable: money(o.RefundableCents()),
		Created: in(o.CreatedAt), Paid: in(o.PaidAt), Shipped: in(o.ShippedAt), Delivered: in(o.DeliveredAt),
		Seen: o.Version(), Form: f, Errors: errs, VATMode: vatModeLabel(p, o.VATMode)}
	if fl != nil {
		page.Flash = fl
	}
	for _, why := range strings.Split(o.ShippingWhy, "\n") {
		if why = strings.TrimSpace(why); why != "" {
			page.ShippingWhy = append(page.ShippingWhy, why)
		}
	}
	for _, l := range o.Lines {
		row := orderLineRow{Title: l.Title, ISBN: l.ISBN, Format: l.Format, Used: l.Condition == shop.ConditionUsed,
			Quantity: l.Quantity, Unit: money(l.UnitCents), Total: money(l.TotalCents()), VATRate: rateText(p, l.VATRate),
			BookID: l.BookID}
		if l.PublisherCents != l.UnitCents && l.PublisherCents > 0 {
			row.Publisher = money(l.PublisherCents)
		}
		page.Lines = append(page.Lines, row)
	}
	for _, v := range o.VAT {
		page.VAT = append(page.VAT, vatRow{Rate: rateText(p, v.Rate), Base: money(v.BaseCents), VAT: money(v.VATCents),
			Total: money(v.TotalCents)})
	}
	for _, c := range history {
		page.History = append(page.History, historyRow{At: in(c.At), From: c.From, To: c.To, Actor: c.Actor, Note: c.Note})
	}
	for _, d := range docs {
		page.Documents = append(page.Documents, documentRow{ID: d.ID, Kind: d.Kind, Number: d.Number, Issued: in(d.IssuedAt),
			Amount: money(d.AmountCents)})
	}
	h.render(w, r, status, "shop_order", page)
}

// vatModeLabel names a VAT mode.
func vatModeLabel(p *locale.Printer, m shop.VATMode) string {
	switch m {
	case shop.VATExempt:
		return p.T("admin.shop.vat_mode.exempt")
	case shop.VATFranchise:
		return p.T("admin.shop.vat_mode.franchise")
	}
	return p.T("admin.shop.vat_mode.liable")
}

// rateText writes a VAT rate in basis points as a percentage: "5,5 %".
func rateText(p *locale.Printer, bp int) string {
	whole, frac := bp/100, bp%100
	s := p.Number(int64(whole))
	if frac != 0 {
		dec := "."
		if p.Lang() == locale.French {
			dec = ","
		}
		f := []byte{byte('0' + frac/10), byte('0' + frac%10)}
		if f[1] == '0' {
			f = f[:1]
		}
		s += dec + string(f)
	}
	return p.T("admin.shop.percent", s)
}
