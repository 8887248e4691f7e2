package admin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// adjustShopStock adds or removes copies of a book with the reason, then
// shows the book again; a refused adjustment comes back with its message.
func (h *Handler) adjustShopStock(w http.ResponseWriter, r *http.Request, s *session) {
	b, err := h.Shop.BookByID(r.Context(), pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	sf := stockForm{Delta: r.PostFormValue("delta"), Reason: r.PostFormValue("reason")}
	delta, perr := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(sf.Delta), "+"))
	if perr != nil {
		err = apperr.New(apperr.Invalid, "error.shop.not_a_number").InField("delta")
	} else {
		_, err = h.Shop.AdjustStock(r.Context(), b.ID, delta, sf.Reason)
	}
	if err != nil {
		errs, ierr := h.shopFieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		h.renderShopBookStock(w, r, s, b, sf, errs)
		return
	}
	redirect(w, r, "/admin/shop/books/"+strconv.FormatInt(b.ID, 10)+"/#stock", "stock")
}

// renderShopBookStock shows the book's page with a refused stock
// adjustment as typed.
func (h *Handler) renderShopBookStock(w http.ResponseWriter, r *http.Request, s *session, b *shop.Book, sf stockForm, errs formErrors) {
	h.renderShopBookPage(w, r, s, http.StatusUnprocessableEntity, b, h.bookFormOf(b), bookPageOpts{stockErrs: errs, stock: sf})
}

// setShopBookStatus withdraws a book from sale or puts it back on sale.
func (h *Handler) setShopBookStatus(w http.ResponseWriter, r *http.Request, s *session) {
	id := pathID(r)
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	st := shop.Status(r.PostFormValue("status"))
	seen, _ := time.Parse(time.RFC3339Nano, r.PostFormValue("updated_at"))
	if err := h.Shop.SetBookStatus(r.Context(), id, st, seen); err != nil {
		fl, status, ierr := h.failFlash(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		b, berr := h.Shop.BookByID(r.Context(), id)
		if berr != nil {
			h.fail(w, r, s, berr)
			return
		}
		h.renderShopBookPage(w, r, s, status, b, h.bookFormOf(b), bookPageOpts{flash: fl})
		return
	}
	done := "reinstated"
	if st == shop.StatusWithdrawn {
		done = "withdrawn"
	}
	redirect(w, r, "/admin/shop/books/"+strconv.FormatInt(id, 10)+"/", done)
}
