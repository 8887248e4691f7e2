package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/syndication"
)

// socialDeliveriesPage is the delivery log: what went out to which
// account, newest first.
type socialDeliveriesPage struct {
	basePage
	Rows       []deliveryRow
	Total      int
	Pagination pagination
	// State and AccountID are the filters; States and Accounts their
	// choices.
	State     string
	AccountID int64
	States    []syndication.State
	Accounts  []*syndication.Account
	// Back is this page's address, where a retry comes back to.
	Back string
}

// deliveryRow is a delivery as the log and the editor's panel show it,
// its times in the site's zone.
type deliveryRow struct {
	*syndication.DeliveryRow
	At, Next time.Time
	// Retryable rows have a retry button.
	Retryable bool
}

// deliveriesPageSize is how many deliveries a page of the log shows.
const deliveriesPageSize = 50

// deliveryStates are the states the log filters by, in a delivery's life.
var deliveryStates = []syndication.State{syndication.StateQueued, syndication.StateSending, syndication.StateRetrying,
	syndication.StateSent, syndication.StateFailed, syndication.StateCheck, syndication.StateSkipped, syndication.StateDeleted}

// listSocialDeliveries shows the delivery log, filtered by ?state= and
// ?account=, paged by ?page=.
func (h *Handler) listSocialDeliveries(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	q := r.URL.Query()
	n, _ := strconv.Atoi(q.Get("page"))
	n = max(n, 1)
	page := &socialDeliveriesPage{basePage: h.socialBase(r, s, h.printer().T("admin.social.deliveries.title")),
		States: deliveryStates, Back: r.URL.RequestURI()}
	for _, st := range deliveryStates {
		if q.Get("state") == string(st) {
			page.State = q.Get("state")
		}
	}
	page.AccountID, _ = strconv.ParseInt(q.Get("account"), 10, 64)
	rows, total, err := h.Syndication.Deliveries(ctx, syndication.DeliveryQuery{AccountID: page.AccountID,
		State: syndication.State(page.State), Offset: (n - 1) * deliveriesPageSize, Limit: deliveriesPageSize})
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if page.Accounts, err = h.Syndication.Accounts(ctx); err != nil {
		h.fail(w, r, s, err)
		return
	}
	page.Rows, page.Total = h.deliveryRows(rows), total
	page.Pagination = pageLinks(r, n, (total+deliveriesPageSize-1)/deliveriesPageSize)
	h.render(w, r, http.StatusOK, "social_deliveries", page)
}

// deliveryRows prepares deliveries for display.
func (h *Handler) deliveryRows(rows []*syndication.DeliveryRow) []deliveryRow {
	loc := h.Settings.Get().Location()
	out := make([]deliveryRow, 0, len(rows))
	for _, d := range rows {
		row := deliveryRow{DeliveryRow: d, At: d.UpdatedAt.In(loc), Next: d.NextAttemptAt.In(loc)}
		switch d.State {
		case syndication.StateFailed, syndication.StateCheck, syndication.StateRetrying:
			row.Retryable = true
		case syndication.StateSkipped:
			// A delete skipped stays so: the service refuses it.
			row.Retryable = d.Kind != syndication.KindDelete
		}
		out = append(out, row)
	}
	return out
}
