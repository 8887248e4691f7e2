package admin

import (
	"net/http"
	"strconv"
	"strings"
)

// shopPackingSlip sends the packing slip (bon de livraison) of an order as
// a PDF: what to put in the parcel and where it goes, without prices. An
// order the slip cannot be drawn for (nothing to ship, no address) shows
// its page again with a message.
func (h *Handler) shopPackingSlip(w http.ResponseWriter, r *http.Request, s *session) {
	o, err := h.Shop.OrderByID(r.Context(), pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if h.PackingSlip == nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	pdf, err := h.PackingSlip(o)
	if err != nil {
		h.Log.Warn("packing slip refused", "order", o.Reference, "error", err)
		h.renderShopOrder(w, r, s, http.StatusUnprocessableEntity,
			&flash{Kind: "error form-error", Text: h.printer().T("admin.shop.order.slip_failed")}, orderForm{Full: true}, nil)
		return
	}
	sendPDF(w, "bon-de-livraison-"+o.Reference+".pdf", pdf)
}

// shopOrderDocument sends an invoice or credit note of the order, the
// bytes issued with its number.
func (h *Handler) shopOrderDocument(w http.ResponseWriter, r *http.Request, s *session) {
	doc, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err != nil || doc <= 0 {
		h.fail(w, r, s, errNotFound())
		return
	}
	inv, err := h.Shop.OrderInvoice(r.Context(), pathID(r), doc)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if len(inv.PDF) == 0 {
		h.fail(w, r, s, errNotFound())
		return
	}
	sendPDF(w, inv.Number+".pdf", inv.PDF)
}

// sendPDF sends a PDF as a download named name.
func sendPDF(w http.ResponseWriter, name string, pdf []byte) {
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(name, `"`, "")+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(pdf)))
	_, _ = w.Write(pdf) //nolint:gosec // G705: a PDF sent as an attachment, never rendered as HTML
}
