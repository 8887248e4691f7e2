package admin

import "net/http"

// retrySocialDelivery queues a delivery again, now, and goes back to the
// log it was asked from.
func (h *Handler) retrySocialDelivery(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	if err := h.Syndication.Retry(r.Context(), pathID(r)); err != nil {
		h.fail(w, r, s, err)
		return
	}
	back := r.PostFormValue("back")
	if back == "" {
		back = "/admin/social/deliveries"
	}
	redirect(w, r, safeNext(back), "requeued")
}
