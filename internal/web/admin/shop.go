package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/web"
)

// shopPermission guards the bookshop's back office; the shop's service
// asks the same of its back office methods.
const shopPermission = shop.AdminPermission

// registerShop adds the bookshop's pages: orders, sales, the catalogue,
// imports, the books picked for articles and the shop's settings.
func (h *Handler) registerShop(mux router) {
	shop := func(next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
		return h.shopPage(shopPermission, next)
	}
	mux.HandleFunc("GET /admin/shop/{$}", shop(h.showShopHome))
	mux.HandleFunc("GET /admin/shop/orders/{$}", shop(h.listShopOrders))
	mux.HandleFunc("GET /admin/shop/orders.csv", shop(h.exportShopOrders))
	mux.HandleFunc("GET /admin/shop/orders/{id}/{$}", shop(h.showShopOrder))
	mux.HandleFunc("POST /admin/shop/orders/{id}/{action}", shop(h.actOnShopOrder))
	mux.HandleFunc("GET /admin/shop/orders/{id}/bon-de-livraison.pdf", shop(h.shopPackingSlip))
	mux.HandleFunc("GET /admin/shop/orders/{id}/export", shop(h.exportShopCustomer))
	mux.HandleFunc("GET /admin/shop/orders/{id}/documents/{doc}", shop(h.shopOrderDocument))
	mux.HandleFunc("GET /admin/shop/sales/{$}", shop(h.showShopSales))
	mux.HandleFunc("GET /admin/shop/books/{$}", shop(h.listShopBooks))
	mux.HandleFunc("GET /admin/shop/books.csv", shop(h.exportShopBooks))
	mux.HandleFunc("GET /admin/shop/books/new", shop(h.showNewShopBook))
	mux.HandleFunc("POST /admin/shop/books/new", shop(h.createShopBook))
	mux.HandleFunc("GET /admin/shop/books/{id}/{$}", shop(h.showShopBook))
	mux.HandleFunc("POST /admin/shop/books/{id}/{$}", shop(h.saveShopBook))
	mux.HandleFunc("POST /admin/shop/books/{id}/stock", shop(h.adjustShopStock))
	mux.HandleFunc("POST /admin/shop/books/{id}/status", shop(h.setShopBookStatus))
	mux.HandleFunc("GET /admin/shop/import/{$}", shop(h.showShopImport))
	mux.HandleFunc("POST /admin/shop/import/{$}", shop(h.importShopBooks))
	mux.HandleFunc("GET /admin/shop/settings/{$}", h.shopPage(access.ManageSettings, h.showShopSettings))
	mux.HandleFunc("POST /admin/shop/settings/{$}", h.shopPage(access.ManageSettings, h.saveShopSettings))
	// Whoever may edit an article picks its books: the content service
	// checks it.
	mux.HandleFunc("GET /admin/articles/{id}/livres/{$}", h.authed(h.withShop(h.showArticleBooks)))
	mux.HandleFunc("POST /admin/articles/{id}/livres/{$}", h.authed(h.withShop(h.saveArticleBooks)))
}

// withShop answers 404 on a site without a bookshop.
func (h *Handler) withShop(next func(http.ResponseWriter, *http.Request, *session)) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, s *session) {
		if h.Shop == nil {
			h.fail(w, r, s, errNotFound())
			return
		}
		next(w, r, s)
	}
}

// shopPage wraps a shop page: a site without a bookshop answers 404, a
// person without permission p 403.
func (h *Handler) shopPage(p access.Permission, next func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return h.authed(h.withShop(func(w http.ResponseWriter, r *http.Request, s *session) {
		if !s.actor.Can(p) {
			h.fail(w, r, s, apperr.New(apperr.Forbidden, "error.forbidden.text"))
			return
		}
		next(w, r, s)
	}))
}

// canShop reports whether the actor sees the bookshop's back office.
func (h *Handler) canShop(a access.Actor) bool { return h.Shop != nil && a.Can(shopPermission) }

// shopFlashes are the confirmations the shop's pages show after a redirect
// with ?done=…, beside the back office's own.
var shopFlashes = map[string]string{
	"prepare":    "admin.shop.flash.prepared",
	"ship":       "admin.shop.flash.shipped",
	"deliver":    "admin.shop.flash.delivered",
	"cancel":     "admin.shop.flash.cancelled",
	"refund":     "admin.shop.flash.refunded",
	"stock":      "admin.shop.flash.stock",
	"withdrawn":  "admin.shop.flash.withdrawn",
	"reinstated": "admin.shop.flash.reinstated",
	"picked":     "admin.shop.flash.picked",
}

// shopBase is h.base for a shop page, with the shop's confirmations.
func (h *Handler) shopBase(r *http.Request, s *session, title string) basePage {
	p := h.base(r, s, title, "shop")
	if key, ok := shopFlashes[r.URL.Query().Get("done")]; ok {
		p.Flash = &flash{Kind: "ok", Text: h.printer().T(key)}
	}
	return p
}

// failFlash turns a refusal the person can act on (a form error, a
// conflict, the provider down) into a flash message and its status;
// other errors are returned to be shown as an error page.
func (h *Handler) failFlash(err error) (*flash, int, error) {
	switch apperr.KindOf(err) {
	case apperr.Invalid, apperr.Conflict, apperr.Unavailable:
	default:
		return nil, 0, err
	}
	_, text := h.shopMessage(err)
	status := web.StatusOf(err)
	if apperr.KindOf(err) == apperr.Invalid {
		status = http.StatusUnprocessableEntity // a form to correct
	}
	return &flash{Kind: "error form-error", Text: text}, status, nil
}

// shopMessage returns the field a service error names and its message,
// its amounts and dates written the reader's way as the shop's reasons
// are (shop.Reason.Text).
func (h *Handler) shopMessage(err error) (field, text string) {
	key, args := apperr.Message(err)
	var ae *apperr.Error
	if errors.As(err, &ae) {
		field = ae.Field
	}
	return field, shop.Reason{Key: key, Args: args}.Text(h.printer())
}

// pathID reads the {id} of the path; 0 when it is not a positive number.
func pathID(r *http.Request) int64 {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

// parseCents reads an amount of euros typed in a form ("12", "12,50",
// "1 234,5 €") as cents; ok is false when it is not one.
func parseCents(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 9 || !allDigits(whole) || hasFrac && (frac == "" || len(frac) > 2 || !allDigits(frac)) {
		return 0, false
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	cents := n * 100
	if len(frac) == 1 {
		frac += "0"
	}
	if frac != "" {
		f, _ := strconv.ParseInt(frac, 10, 64)
		cents += f
	}
	return cents, true
}

// centsText writes cents for a form field, as parseCents reads it back
// ("12,50" in French, "12.50" in English).
func centsText(cents int64, decimal string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return sign + strconv.FormatInt(cents/100, 10) + decimal + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// shopStatuses are the order states in an order's life.
var shopStatuses = shop.OrderStatuses()

// shopFieldErrors is fieldErrors with the shop's amounts written out: the
// message of each field at fault, or the error itself when it is not one
// the person can fix.
func (h *Handler) shopFieldErrors(err error) (formErrors, error) {
	out := formErrors{}
	for _, e := range apperr.Split(err) {
		switch apperr.KindOf(e) {
		case apperr.Invalid, apperr.Conflict:
		default:
			return nil, err
		}
		field, text := h.shopMessage(e)
		if _, ok := out[field]; !ok {
			out[field] = text
		}
	}
	return out, nil
}
