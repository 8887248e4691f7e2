package admin

import (
	"net/http"
	"strconv"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// orderActions are the actions the order's page posts, by the last
// segment of their address.
var orderActions = map[string]bool{"prepare": true, "ship": true, "deliver": true, "cancel": true, "refund": true}

// actOnShopOrder does what one of the order's forms asks (prepare, ship,
// deliver, cancel, refund) in one service call, then goes back to the
// order. A refusal (a missing tracking number, a partial refund that
// would give back the delivery, the same form sent twice, the payment
// provider down) shows the order again with the service's message.
func (h *Handler) actOnShopOrder(w http.ResponseWriter, r *http.Request, s *session) {
	kind := r.PathValue("action")
	id := pathID(r)
	if !orderActions[kind] || id == 0 {
		h.fail(w, r, s, errNotFound())
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	v := r.PostFormValue
	f := orderForm{Tracking: v("tracking"), Reason: v("reason"), Amount: v("amount"), Full: v("full") != ""}
	a := shop.OrderAction{Kind: kind, Seen: v("seen"), Tracking: f.Tracking, Reason: f.Reason, Full: f.Full, Actor: s.actor.Name}
	var err error
	if kind == "refund" && !f.Full {
		cents, ok := parseCents(f.Amount)
		if !ok {
			err = apperr.New(apperr.Invalid, "error.shop.amount_invalid").InField("amount")
		}
		a.Cents = cents
	}
	if err == nil {
		err = h.Shop.ActOnOrder(r.Context(), id, a)
	}
	if err != nil {
		fl, status, ierr := h.failFlash(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		errs := formErrors{}
		if field, text := h.shopMessage(err); field != "" {
			errs[field] = text
		}
		h.renderShopOrder(w, r, s, status, fl, f, errs)
		return
	}
	redirect(w, r, "/admin/shop/orders/"+strconv.FormatInt(id, 10)+"/", kind)
}
