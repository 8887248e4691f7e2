package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
)

// giftPage shows one gift; amounts are written out, dates in the site's
// zone (zero when unknown).
type giftPage struct {
	basePage
	Gift                  *donations.Donation
	Donor                 *donations.Donor
	Subscription          *donations.Subscription
	Campaign              *donations.Campaign
	Amount, Refunded, Net string
	// SubscriptionAmount is the monthly gift's amount.
	SubscriptionAmount                   string
	Created, Paid, Updated               time.Time
	SubscriptionStarted, SubscriptionEnd time.Time
}

// showDonation shows one gift: its donor, amounts, dates, the payment
// provider's ids, the monthly gift it belongs to and its note.
func (h *Handler) showDonation(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.fail(w, r, s, errNotFound())
		return
	}
	g, err := h.Donations.Gift(r.Context(), s.actor, id)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	d := g.Donation
	page := &giftPage{basePage: h.base(r, s, p.T("admin.gift.title", p.Money(d.AmountCents, d.Currency)), "donations"),
		Gift: d, Donor: g.Donor, Subscription: g.Subscription, Campaign: g.Campaign,
		Amount: p.Money(d.AmountCents, d.Currency), Net: p.Money(d.NetCents(), d.Currency),
		Created: in(d.CreatedAt), Paid: in(d.PaidAt), Updated: in(d.UpdatedAt)}
	if d.RefundedCents > 0 {
		page.Refunded = p.Money(d.RefundedCents, d.Currency)
	}
	if sub := g.Subscription; sub != nil {
		page.SubscriptionAmount = p.Money(sub.AmountCents, sub.Currency)
		page.SubscriptionStarted, page.SubscriptionEnd = in(sub.StartedAt), in(sub.CancelledAt)
	}
	h.render(w, r, http.StatusOK, "donations_show", page)
}
