package site

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/web"
)

// confirmRefresh is how often, in seconds, the order page reloads itself
// while the payment is being confirmed.
const confirmRefresh = 5

// orderView is the customer's order page.
type orderView struct {
	Number     string
	Status     string
	StatusKind string
	// Confirming: back from the payment page, the provider's event has
	// not arrived yet.
	Confirming bool
	Placed     string
	Lines      template.HTML
	HasUsed    bool
	Email      string
	ShipTo     []string
	Tracking   string
	Invoices   []invoiceLink
}

type invoiceLink struct{ Label, URL string }

// showOrder renders the customer's order from the signed link of the
// payment page's return and of every email (?r=&t=); a changed link gets
// 404. Back from payment (the provider adds session_id), the cart is
// emptied, and while the payment's confirmation has not arrived the page
// says so and reloads itself every few seconds.
func (h *Handler) showOrder(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, sl := h.shopCtx(r, c)
	qv := r.URL.Query()
	ref, token := qv.Get("r"), qv.Get("t")
	o, invs, err := h.Shop.OrderFromLink(r.Context(), ref, token)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	returning := qv.Get("session_id") != ""
	if returning {
		h.emptyCart(w, r)
	}
	p := c.p
	ov := &orderView{Number: orderNumber(o), StatusKind: string(o.Status), Lines: linesHTML(c, orderSummary(c, o)),
		HasUsed: o.HasUsed(), Email: o.Email,
		Placed: p.Date(o.CreatedAt.In(c.loc), locale.DateLong) + ", " + p.Time(o.CreatedAt.In(c.loc))}
	ov.Status = p.T("shop.page.status." + string(o.Status))
	if o.Status == shop.OrderPending && returning {
		ov.Confirming, ov.Status = true, p.T("shop.page.status.confirming")
	}
	if o.Status == shop.OrderShipped || o.Status == shop.OrderDelivered {
		ov.Tracking = o.Tracking
	}
	a := o.ShipTo
	for _, line := range []string{a.Name, a.Company, a.Line1, a.Line2, strings.TrimSpace(a.PostalCode + " " + a.City),
		countryName(a.Country, c.l.Lang)} {
		if line != "" {
			ov.ShipTo = append(ov.ShipTo, line)
		}
	}
	for _, inv := range invs {
		key := "shop.page.invoice"
		if inv.Kind == shop.KindCredit {
			key = "shop.page.credit_note"
		}
		q := url.Values{"r": {ref}, "t": {token}, "id": {strconv.FormatInt(inv.ID, 10)}}
		ov.Invoices = append(ov.Invoices, invoiceLink{Label: p.T(key, inv.Number, p.Date(inv.IssuedAt.In(c.loc), locale.DateLong)),
			URL: sl.Invoice + "?" + q.Encode()})
	}
	v := h.newPage(r, c, p.T("shop.page.order_title", ov.Number), "", "")
	v.Section, v.NoIndex = "shop", true
	if ov.Confirming {
		v.Refresh = confirmRefresh
	}
	sv := newShopView(c, sl, h.Shop.Policy())
	sv.Order = ov
	v.Shop = sv
	buf, err := h.render(c, "shop_order", v)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	w.Header().Set("Referrer-Policy", "no-referrer") // the link is the key to the order
	writePersonal(w, r, http.StatusOK, buf)
}

// orderSummary describes a placed order, from the copy of each line it
// keeps: a book edited or withdrawn since changes nothing.
func orderSummary(c *reqCtx, o *shop.Order) *summary {
	p := c.p
	s := &summary{Goods: p.Money(o.GoodsCents, "EUR"), Shipping: p.Money(o.ShippingCents, "EUR"),
		Total: p.Money(o.TotalCents, "EUR"), TotalCents: o.TotalCents, Carrier: o.CarrierName, Exemption: o.VATExemption}
	for _, w := range strings.Split(o.ShippingWhy, "\n") {
		if w = strings.TrimSpace(w); w != "" {
			s.Why = append(s.Why, w)
		}
	}
	for _, l := range o.Lines {
		sl := summaryLine{BookID: l.BookID, Title: c.typo(l.Title), Used: l.Condition == shop.ConditionUsed, Quantity: l.Quantity,
			Unit: p.Money(l.UnitCents, "EUR"), Total: p.Money(l.TotalCents(), "EUR"),
			Publisher: publisherPrice(p, l.PublisherCents, l.UnitCents)}
		if l.Format != shop.FormatPrint {
			sl.Format = formatLabel(p, l.Format)
		}
		s.Lines = append(s.Lines, sl)
	}
	s.VAT = vatLines(c, o.VAT)
	return s
}

// orderNumber is the short number customers see: the reference's first
// eight characters after "ord_", as on the payment page and the emails.
func orderNumber(o *shop.Order) string {
	ref := strings.TrimPrefix(o.Reference, "ord_")
	if len(ref) > 8 {
		ref = ref[:8]
	}
	return ref
}

// emptyCart deletes the visitor's cart and its cookie once the order is
// paid for (a missing cart is no error: the page may be reloaded).
func (h *Handler) emptyCart(w http.ResponseWriter, r *http.Request) {
	signed := cartCookie(r)
	if signed == "" {
		return
	}
	cart, err := h.Shop.Cart(r.Context(), signed)
	if err == nil && cart.Token != "" {
		err = h.Shop.Orders.DeleteCart(r.Context(), cart.Token)
	}
	if err != nil {
		h.Log.Warn("empty the cart after payment", "error", err)
		return
	}
	h.clearCartCookie(w)
}

// clearCartCookie removes the cart's cookie.
func (h *Handler) clearCartCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: shop.CartCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.Secure, //nolint:gosec // G124: Secure follows the base URL
		SameSite: http.SameSiteLaxMode})
}

// showInvoice hands the customer an invoice or a credit note of their
// order as the PDF that was issued, from the order page's signed link.
func (h *Handler) showInvoice(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, _ = h.shopCtx(r, c)
	qv := r.URL.Query()
	id, err := strconv.ParseInt(qv.Get("id"), 10, 64)
	if err != nil {
		h.serveError(w, r, c, apperr.New(apperr.NotFound, "error.shop.bad_order_link"))
		return
	}
	inv, err := h.Shop.InvoiceFromLink(r.Context(), qv.Get("r"), qv.Get("t"), id)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	name := "shop.page.invoice_file"
	if inv.Kind == shop.KindCredit {
		name = "shop.page.credit_note_file"
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `attachment; filename="`+c.p.T(name, inv.Number)+`.pdf"`)
	hd.Set("Cache-Control", web.CacheNoStore)
	hd.Set("X-Robots-Tag", "noindex")
	hd.Set("Content-Length", strconv.Itoa(len(inv.PDF)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(inv.PDF) //nolint:gosec // G705: a PDF we drew, sent as an attachment
	}
}
