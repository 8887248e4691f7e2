package site

import (
	"net/http"
	"strconv"

	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/web"
)

// showReceipt hands a donor their tax receipt again, from the signed link
// of the emails that carried it: the PDF as it was sent. An annulled
// receipt is not handed out: the page says so (410), since using it
// would cost the donor their tax reduction and the association a fine.
func (h *Handler) showReceipt(w http.ResponseWriter, r *http.Request) {
	c := h.reqCtx()
	if h.Donations == nil {
		h.NotFound(w, r)
		return
	}
	id, _ := strconv.ParseInt(r.URL.Query().Get("r"), 10, 64)
	rec, err := h.Donations.ReceiptByLink(r.Context(), id, r.URL.Query().Get("t"))
	if err != nil {
		h.serveError(w, r, c, err)
		return
	}
	if rec.Status == donations.ReceiptAnnulled {
		data := h.newPage(r, c, c.p.T("donations.receipt.annulled_title"), "", "")
		data.Heading, data.NoIndex = c.p.T("donations.receipt.annulled_title"), true
		data.Message = c.p.T("donations.receipt.annulled", rec.Number,
			c.p.Date(rec.AnnulledAt.In(h.Settings.Get().Location()), locale.DateLong))
		h.writeNotice(w, r, c, http.StatusGone, data)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/pdf")
	hd.Set("Content-Disposition", `attachment; filename="recu-fiscal-`+rec.Number+`.pdf"`)
	hd.Set("Cache-Control", web.CacheNoStore)
	hd.Set("X-Robots-Tag", "noindex")
	hd.Set("Content-Length", strconv.Itoa(len(rec.PDF)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(rec.PDF) //nolint:gosec // G705: a PDF we drew, sent as an attachment
	}
}
