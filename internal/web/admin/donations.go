package admin

// registerDonations adds the gifts, campaigns and reports pages.
func (h *Handler) registerDonations(mux router) {
}
