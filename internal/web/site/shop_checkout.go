package site

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// checkoutView is the checkout page: who buys, where to deliver and bill,
// how, and the summary of what will be paid.
type checkoutView struct {
	Action, CartURL string
	Message         string
	Email           fieldView
	Ship            []fieldView
	ShipCountry     fieldView
	OtherBilling    bool
	Bill            []fieldView
	BillCountry     fieldView
	Company         bool
	CompanyFields   []fieldView
	Countries       []countryOption
	BillCountries   []countryOption
	Carriers        []carrierView
	CarrierError    string
	Lines           template.HTML
	Problems        []string
	SeenTotal       int64
	PayLabel        string
	HasUsed         bool
	Online          bool
}

// checkoutForm is the checkout form as posted.
type checkoutForm struct {
	Email        string
	Ship, Bill   shop.Address
	OtherBilling bool
	Company      bool
	Carrier      string
	SeenTotal    int64
}

func checkoutFormOf(r *http.Request) checkoutForm {
	v := r.PostForm
	addr := func(prefix string) shop.Address {
		g := func(f string) string { return v.Get(prefix + "." + f) }
		return shop.Address{Name: g("name"), Line1: g("line1"), Line2: g("line2"), PostalCode: g("postal_code"), City: g("city"),
			Country: strings.ToUpper(strings.TrimSpace(g("country"))), Phone: g("phone"), Company: g("company"), SIREN: g("siren")}
	}
	f := checkoutForm{Email: strings.TrimSpace(v.Get("email")), Ship: addr("ship_to"), Bill: addr("bill_to"),
		OtherBilling: v.Get("other_billing") != "", Company: v.Get("company") != "", Carrier: strings.TrimSpace(v.Get("carrier"))}
	f.SeenTotal, _ = strconv.ParseInt(v.Get("seen_total"), 10, 64)
	return f
}

// checkout returns what the service places: with the same billing
// address, the company and its SIREN travel on the delivery address,
// which is then copied as the billing one.
func (f checkoutForm) checkout() shop.Checkout {
	in := shop.Checkout{Email: f.Email, Company: f.Company, ShipTo: f.Ship, SameBilling: !f.OtherBilling, BillTo: f.Bill,
		CarrierID: f.Carrier, SeenTotalCents: f.SeenTotal}
	in.ShipTo.Company, in.ShipTo.SIREN = "", ""
	if f.Company && !f.OtherBilling {
		in.ShipTo.Company, in.ShipTo.SIREN = f.Bill.Company, f.Bill.SIREN
	}
	return in
}

// showCheckout renders /librairie/commande/ for the cart, priced for the
// carrier and country chosen in the cart. An empty cart, or one that
// cannot be ordered as it is, goes back to the cart page.
func (h *Handler) showCheckout(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, sl := h.shopCtx(r, c)
	ch := cartChoiceOf(r.URL.Query())
	cart, err := h.Shop.Cart(r.Context(), cartCookie(r))
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if len(cart.Lines) == 0 {
		http.Redirect(w, r, sl.Cart, http.StatusSeeOther) //nolint:gosec // G710: the shop's own cart path
		return
	}
	q, err := h.Shop.QuoteCart(r.Context(), cart, ch.Carrier, ch.Country)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if q.Err() != nil {
		http.Redirect(w, r, sl.Cart+ch.query(), http.StatusSeeOther) //nolint:gosec // G710: the shop's own cart path, with an encoded query
		return
	}
	f := checkoutForm{Ship: shop.Address{Country: q.Country}, Bill: shop.Address{Country: q.Country}}
	if q.Carrier != nil {
		f.Carrier = q.Carrier.ID
	}
	h.writeCheckout(w, r, c, sl, q, f, nil, "", http.StatusOK)
}

// postCheckout places the order and sends the buyer to the payment page
// (303). A form to fix comes back with what was typed (422); a total
// that changed since it was shown comes back with the new one (409); a
// book out of stock shows the cart (409); a payment service that does not
// answer gets a polite page to try again (503). The button « recalculer »
// only prices the order again for the carrier and country chosen.
func (h *Handler) postCheckout(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, sl := h.shopCtx(r, c)
	if !h.parseForm(w, r, c, 64<<10, "error.shop.form_too_big", "error.shop.bad_form") {
		return
	}
	f := checkoutFormOf(r)
	ch := cartChoice{Carrier: f.Carrier, Country: f.Ship.Country}
	if !shop.ValidCountry(ch.Country) {
		ch.Country = "FR"
	}
	signed := cartCookie(r)
	if r.PostForm.Get("recalc") != "" {
		h.requoteCheckout(w, r, c, sl, signed, f, ch, nil, "", http.StatusOK)
		return
	}
	in := f.checkout()
	in.Lang = c.l.Lang
	in.SuccessURL = func(o *shop.Order) string { return h.BaseURL + sl.Order + "?" + h.Shop.OrderQuery(o) }
	in.CancelURL = h.BaseURL + sl.Cart + ch.query()
	res, err := h.Shop.PlaceOrderOnce(r.Context(), signed, in)
	if err == nil {
		http.Redirect(w, r, res.PaymentURL, http.StatusSeeOther) //nolint:gosec // G710: the payment provider's checkout page
		return
	}
	key, _ := apperr.Message(err)
	switch kind := apperr.KindOf(err); {
	case kind == apperr.Invalid && key == "error.shop.cart_empty":
		http.Redirect(w, r, sl.Cart, http.StatusSeeOther) //nolint:gosec // G710: the shop's own cart path
	case kind == apperr.Invalid && key == "error.shop.cart_changed":
		// The quote says what: next to the lines in the cart, or about
		// the delivery here.
		h.requoteCheckout(w, r, c, sl, signed, f, ch, nil, shopMessage(c, err), http.StatusUnprocessableEntity)
	case kind == apperr.Invalid:
		errs := shopFieldMessages(c, err)
		if !f.OtherBilling {
			for _, k := range []string{"name", "line1", "line2", "postal_code", "city", "country", "phone"} {
				delete(errs, "bill_to."+k) // the delivery address, reported there
			}
		}
		msg := errs[""]
		if msg == "" {
			msg = c.p.T("shop.page.fix_form")
		}
		delete(errs, "")
		h.requoteCheckout(w, r, c, sl, signed, f, ch, errs, msg, http.StatusUnprocessableEntity)
	case kind == apperr.Conflict && key == "error.shop.total_changed":
		h.requoteCheckout(w, r, c, sl, signed, f, ch, nil, shopMessage(c, err), http.StatusConflict)
	case kind == apperr.Conflict || kind == apperr.NotFound:
		cart, cerr := h.Shop.Cart(r.Context(), signed)
		if cerr != nil {
			h.serveError(w, r, c, cerr)
			return
		}
		h.writeCart(w, r, c, sl, cart, ch, nil, shopMessage(c, err), http.StatusConflict)
	case kind == apperr.Unavailable:
		w.Header().Set("Retry-After", "120")
		h.requoteCheckout(w, r, c, sl, signed, f, ch, nil, shopMessage(c, err), http.StatusServiceUnavailable)
	default:
		h.serveError(w, r, c, err)
	}
}

// requoteCheckout prices the cart again and shows the checkout with the
// form as typed.
func (h *Handler) requoteCheckout(w http.ResponseWriter, r *http.Request, c *reqCtx, sl *shopLang, signed string, f checkoutForm,
	ch cartChoice, errs map[string]string, message string, status int) {
	cart, err := h.Shop.Cart(r.Context(), signed)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if len(cart.Lines) == 0 {
		http.Redirect(w, r, sl.Cart, http.StatusSeeOther) //nolint:gosec // G710: the shop's own cart path
		return
	}
	q, err := h.Shop.QuoteCart(r.Context(), cart, ch.Carrier, ch.Country)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if q.Carrier != nil {
		f.Carrier = q.Carrier.ID
	}
	if status == http.StatusOK && q.Err() != nil {
		status = http.StatusUnprocessableEntity
	}
	h.writeCheckout(w, r, c, sl, q, f, errs, message, status)
}

// writeCheckout renders the checkout page for quote q.
func (h *Handler) writeCheckout(w http.ResponseWriter, r *http.Request, c *reqCtx, sl *shopLang, q *shop.Quote, f checkoutForm,
	errs map[string]string, message string, status int) {
	p := c.p
	s := quoteSummary(c, sl, q)
	pol := h.Shop.Policy()
	cv := &checkoutView{Action: sl.Checkout, CartURL: sl.Cart + cartChoice{Carrier: f.Carrier, Country: q.Country}.query(),
		Message: message, OtherBilling: f.OtherBilling, Company: f.Company, Lines: linesHTML(c, s), Problems: s.Problems,
		SeenTotal: q.TotalCents, PayLabel: p.T("shop.page.pay", s.Total), Online: h.Shop.Online(), CarrierError: errs["carrier"]}
	if !cv.Online && cv.Message == "" {
		cv.Message = p.T("error.shop.not_online")
	}
	for _, l := range s.Lines {
		cv.HasUsed = cv.HasUsed || l.Used
	}
	field := func(name, label, typ, value, auto string, max int, required bool) fieldView {
		return fieldView{Name: name, Label: p.T(label), Type: typ, Value: value, Autocomplete: auto, Max: max, Required: required,
			Error: errs[name]}
	}
	cv.Email = field("email", "shop.page.field.email", "email", f.Email, "email", 254, true)
	addr := func(prefix, section string, a shop.Address) []fieldView {
		return []fieldView{
			field(prefix+".name", "shop.page.field.name", "text", a.Name, section+" name", 200, true),
			field(prefix+".line1", "shop.page.field.line1", "text", a.Line1, section+" address-line1", 200, true),
			field(prefix+".line2", "shop.page.field.line2", "text", a.Line2, section+" address-line2", 200, false),
			field(prefix+".postal_code", "shop.page.field.postal_code", "text", a.PostalCode, section+" postal-code", 12, true),
			field(prefix+".city", "shop.page.field.city", "text", a.City, section+" address-level2", 200, true),
		}
	}
	cv.Ship = addr("ship_to", "shipping", f.Ship)
	cv.Ship = append(cv.Ship, field("ship_to.phone", "shop.page.field.phone", "tel", f.Ship.Phone, "shipping tel", 40, false))
	cv.ShipCountry = field("ship_to.country", "shop.page.field.country", "", q.Country, "shipping country", 2, true)
	cv.Bill = addr("bill_to", "billing", f.Bill)
	cv.BillCountry = field("bill_to.country", "shop.page.field.country", "", f.Bill.Country, "billing country", 2, true)
	cv.CompanyFields = []fieldView{
		field("bill_to.company", "shop.page.field.company", "text", f.Bill.Company, "organization", 200, true),
		field("bill_to.siren", "shop.page.field.siren", "text", f.Bill.SIREN, "off", 11, false),
	}
	cv.Countries = countryOptions(pol, c.l.Lang, q.Country)
	billCountry := f.Bill.Country
	if billCountry == "" {
		billCountry = q.Country
	}
	cv.BillCountries = countryOptions(shop.Policy{}, c.l.Lang, billCountry)
	chosen := ""
	if q.Carrier != nil {
		chosen = q.Carrier.ID
	}
	for _, k := range pol.Carriers {
		cv.Carriers = append(cv.Carriers, carrierView{ID: k.ID, Name: k.Name, Kind: string(k.Kind), Checked: k.ID == chosen})
	}
	v := h.newPage(r, c, p.T("shop.page.checkout_title"), "", "")
	v.Section, v.NoIndex = "shop", true
	sv := newShopView(c, sl, pol)
	sv.Checkout = cv
	v.Shop = sv
	buf, err := h.render(c, "shop_checkout", v)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	writePersonal(w, r, status, buf)
}

// shopMessage is a shop error's message for readers, its amounts and
// dates printed the reader's way.
func shopMessage(c *reqCtx, err error) string {
	key, args := apperr.Message(err)
	return shop.Reason{Key: key, Args: args}.Text(c.p)
}

// shopFieldMessages is fieldMessages with shopMessage.
func shopFieldMessages(c *reqCtx, err error) map[string]string {
	out := map[string]string{}
	for _, e := range apperr.Split(err) {
		field := ""
		var ae *apperr.Error
		if errors.As(e, &ae) {
			field = ae.Field
		}
		if _, ok := out[field]; !ok {
			out[field] = shopMessage(c, e)
		}
	}
	return out
}
