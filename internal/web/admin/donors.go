package admin

// registerDonors adds the donors and receipts register pages.
func (h *Handler) registerDonors(mux router) {
}
