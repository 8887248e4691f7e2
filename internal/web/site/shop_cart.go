package site

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// cartCookieAge is how long a browser keeps the cart's cookie.
const cartCookieAge = 90 * 24 * time.Hour

// cartView is the cart page: its lines, whose quantities can be changed,
// the delivery choice and the summary.
type cartView struct {
	Action string
	Lines  []cartLineView
	// Message is a refusal (a bad quantity, a book gone) shown on top.
	Message     string
	Problems    []string
	Carriers    []carrierView
	Countries   []countryOption
	Totals      template.HTML
	HasUsed     bool
	CanCheckout bool
	// Closed says why checkout is not possible (no payment yet).
	Closed string
}

// cartLineView is one line of the cart's form.
type cartLineView struct {
	summaryLine
	// Field is the quantity's field name, qty_<book id>; Value what it
	// holds (as typed, after a refusal); Error its refusal.
	Field, Value, Error string
	RemoveLabel         string
}

type carrierView struct {
	ID, Name, Kind string
	Checked        bool
}

// cartChoice is the delivery the cart is priced for: a carrier and a
// destination country (France unless chosen).
type cartChoice struct{ Carrier, Country string }

func cartChoiceOf(v url.Values) cartChoice {
	ch := cartChoice{Carrier: strings.TrimSpace(v.Get("carrier")), Country: strings.ToUpper(strings.TrimSpace(v.Get("country")))}
	if len(ch.Carrier) > 40 {
		ch.Carrier = ""
	}
	if !shop.ValidCountry(ch.Country) {
		ch.Country = "FR"
	}
	return ch
}

// query is the choice as the cart's and checkout's addresses carry it.
func (ch cartChoice) query() string {
	v := url.Values{"country": {ch.Country}}
	if ch.Carrier != "" {
		v.Set("carrier", ch.Carrier)
	}
	return "?" + v.Encode()
}

// cartCookie returns the signed value of the visitor's cart cookie, ""
// when none.
func cartCookie(r *http.Request) string {
	if ck, err := r.Cookie(shop.CartCookie); err == nil {
		return ck.Value
	}
	return ""
}

// setCartCookie gives the browser the cart's signed token: kept on the
// server, read by no script, sent back on the site's own pages and links.
func (h *Handler) setCartCookie(w http.ResponseWriter, cart *shop.Cart) {
	http.SetCookie(w, &http.Cookie{Name: shop.CartCookie, Value: h.Shop.CartCookieValue(cart), Path: "/", //nolint:gosec // G124: Secure follows the base URL (h.Secure)
		MaxAge: int(cartCookieAge / time.Second), HttpOnly: true, Secure: h.Secure, SameSite: http.SameSiteLaxMode})
}

// showCart renders /librairie/panier/: the visitor's cart, priced now for
// the carrier and country of the address (?carrier=&country=). A forged
// or lost cookie shows an empty cart. The page is the visitor's own: not
// cached, not indexed.
func (h *Handler) showCart(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, sl := h.shopCtx(r, c)
	cart, err := h.Shop.Cart(r.Context(), cartCookie(r))
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	h.writeCart(w, r, c, sl, cart, cartChoiceOf(r.URL.Query()), nil, "", http.StatusOK)
}

// writeCart renders the cart with the quantities typed (typed, by field)
// and their refusals (errs), or a message, with status.
func (h *Handler) writeCart(w http.ResponseWriter, r *http.Request, c *reqCtx, sl *shopLang, cart *shop.Cart, ch cartChoice,
	typed map[string]string, message string, status int, errs ...map[string]string) {
	q, err := h.Shop.QuoteCart(r.Context(), cart, ch.Carrier, ch.Country)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	var fieldErrs map[string]string
	if len(errs) > 0 {
		fieldErrs = errs[0]
	}
	s := quoteSummary(c, sl, q)
	cv := &cartView{Action: sl.Cart, Message: message, Problems: s.Problems, Totals: totalsOnly(c, s),
		CanCheckout: len(q.Lines) > 0 && q.Err() == nil && h.Shop.Online()}
	if len(q.Lines) > 0 && !h.Shop.Online() {
		cv.Closed = c.p.T("error.shop.not_online")
	}
	for _, l := range s.Lines {
		field := "qty_" + strconv.FormatInt(l.BookID, 10)
		v := strconv.Itoa(l.Quantity)
		if t, ok := typed[field]; ok {
			v = t
		}
		cv.Lines = append(cv.Lines, cartLineView{summaryLine: l, Field: field, Value: v, Error: fieldErrs[field],
			RemoveLabel: c.p.T("shop.page.remove_title", l.Title)})
		cv.HasUsed = cv.HasUsed || l.Used
	}
	pol := h.Shop.Policy()
	chosen := ""
	if q.Carrier != nil {
		chosen = q.Carrier.ID
	}
	for _, k := range pol.Carriers {
		cv.Carriers = append(cv.Carriers, carrierView{ID: k.ID, Name: k.Name, Kind: string(k.Kind), Checked: k.ID == chosen})
	}
	cv.Countries = countryOptions(pol, c.l.Lang, q.Country)

	v := h.newPage(r, c, c.p.T("shop.page.cart_title"), "", "")
	v.Section, v.NoIndex = "shop", true
	sv := newShopView(c, sl, pol)
	sv.Cart = cv
	v.Shop = sv
	buf, err := h.render(c, "shop_cart", v)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	w.Header().Set("X-Robots-Tag", "noindex")
	writePersonal(w, r, status, buf)
}

// postCart changes the cart's quantities (qty_<book id>, 0 removes a
// line) or removes one line (the button named remove), and records the
// delivery chosen; then it shows the cart again (303), or goes on to
// checkout when that was the button. A quantity that is not a whole
// number from 0 to 99 is refused (422) with the cart as it was.
func (h *Handler) postCart(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, sl := h.shopCtx(r, c)
	if !h.parseForm(w, r, c, 64<<10, "error.shop.form_too_big", "error.shop.bad_form") {
		return
	}
	signed := cartCookie(r)
	ch := cartChoiceOf(r.PostForm)
	quantities := map[int64]int{}
	typed := map[string]string{}
	errs := map[string]string{}
	for name, vals := range r.PostForm {
		idText, ok := strings.CutPrefix(name, "qty_")
		if !ok || len(vals) == 0 {
			continue
		}
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			continue
		}
		raw := strings.TrimSpace(vals[0])
		typed[name] = raw
		n, err := strconv.Atoi(raw)
		if err != nil || n < 0 || n > shop.MaxQuantity {
			errs[name] = c.p.T("error.shop.quantity", shop.MaxQuantity)
			continue
		}
		quantities[id] = n
	}
	if rm := r.PostForm.Get("remove"); rm != "" {
		if id, err := strconv.ParseInt(rm, 10, 64); err == nil {
			quantities[id] = 0
			delete(errs, "qty_"+rm)
			delete(typed, "qty_"+rm)
		}
	}
	cart, err := h.Shop.Cart(r.Context(), signed)
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if len(errs) > 0 {
		h.writeCart(w, r, c, sl, cart, ch, typed, c.p.T("shop.page.fix_quantities"), http.StatusUnprocessableEntity, errs)
		return
	}
	if cart.Token != "" {
		cart, err = h.Shop.UpdateCart(r.Context(), signed, quantities)
		if err != nil {
			h.refuseCart(w, r, c, sl, ch, typed, err)
			return
		}
		h.setCartCookie(w, cart)
	}
	to := sl.Cart + ch.query()
	if r.PostForm.Get("checkout") != "" && len(cart.Lines) > 0 {
		to = sl.Checkout + ch.query()
	}
	http.Redirect(w, r, to, http.StatusSeeOther) //nolint:gosec // G710: the shop's own cart or checkout path, with an encoded query
}

// addToCart adds copies of a book (book_id, quantity) to the visitor's
// cart, creating it and its cookie if needed, then shows the cart (303).
// A bad quantity, a book that cannot be sold or is out of stock shows
// the cart as it was, with the reason.
func (h *Handler) addToCart(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if err := h.shopOff(); err != nil {
		h.serveError(w, r, c, err)
		return
	}
	c, sl := h.shopCtx(r, c)
	if !h.parseForm(w, r, c, 16<<10, "error.shop.form_too_big", "error.shop.bad_form") {
		return
	}
	id, err := strconv.ParseInt(r.PostForm.Get("book_id"), 10, 64)
	if err != nil || id <= 0 {
		h.serveError(w, r, c, apperr.New(apperr.NotFound, "error.shop.book_gone"))
		return
	}
	raw := strings.TrimSpace(r.PostForm.Get("quantity"))
	if raw == "" {
		raw = "1"
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		n = -1 // refused below with the service's message
	}
	cart, err := h.Shop.AddToCart(r.Context(), cartCookie(r), id, n)
	if err != nil {
		h.refuseCart(w, r, c, sl, cartChoiceOf(r.PostForm), nil, err)
		return
	}
	h.setCartCookie(w, cart)
	http.Redirect(w, r, sl.Cart, http.StatusSeeOther)
}

// refuseCart shows the cart as it is stored with why the change was
// refused: 422 for what the visitor must fix, 409 for a book out of stock,
// the error page for anything else.
func (h *Handler) refuseCart(w http.ResponseWriter, r *http.Request, c *reqCtx, sl *shopLang, ch cartChoice,
	typed map[string]string, err error) {
	status := http.StatusUnprocessableEntity
	switch apperr.KindOf(err) {
	case apperr.Invalid:
	case apperr.Conflict:
		status = http.StatusConflict
	default:
		h.serveError(w, r, c, err)
		return
	}
	cart, cerr := h.Shop.Cart(r.Context(), cartCookie(r))
	if cerr != nil {
		h.serveError(w, r, c, errors.Join(err, cerr))
		return
	}
	h.writeCart(w, r, c, sl, cart, ch, typed, shopMessage(c, err), status)
}
