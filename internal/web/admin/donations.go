package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/donations"
)

// registerDonations adds the gifts, campaigns and reports pages.
func (h *Handler) registerDonations(mux router) {
	mux.HandleFunc("GET /admin/donations", h.allowed(access.ManageDonations, h.listDonations))
	mux.HandleFunc("GET /admin/donations.csv", h.allowed(access.ManageDonations, h.exportDonations))
	mux.HandleFunc("GET /admin/donations/new", h.allowed(access.ManageDonations, h.showOfflineGift))
	mux.HandleFunc("POST /admin/donations/new", h.allowed(access.ManageDonations, h.saveOfflineGift))
	mux.HandleFunc("GET /admin/donations/report", h.allowed(access.ManageDonations, h.showDonationsReport))
	mux.HandleFunc("GET /admin/donations/{id}", h.allowed(access.ManageDonations, h.showDonation))
	mux.HandleFunc("GET /admin/campaigns", h.allowed(access.ManageDonations, h.listCampaigns))
	mux.HandleFunc("GET /admin/campaigns/new", h.allowed(access.ManageDonations, h.showCampaign))
	mux.HandleFunc("POST /admin/campaigns/new", h.allowed(access.ManageDonations, h.saveCampaign))
	mux.HandleFunc("GET /admin/campaigns/{id}", h.allowed(access.ManageDonations, h.showCampaign))
	mux.HandleFunc("POST /admin/campaigns/{id}", h.allowed(access.ManageDonations, h.saveCampaign))
}

// giftListSize is the length of a page of the gifts list.
const giftListSize = 50

// giftQuery is the gifts list's filters as the query string gives them,
// kept as typed to fill the filters' form again.
type giftQuery struct {
	Status, Frequency, Method string
	Campaign                  int64
	// Date is "paid" or "created": which date From and To bound.
	Date     string
	From, To string
	Q        string
}

// formDayLayout is how an <input type="date"> sends a day.
const formDayLayout = "2006-01-02"

// parseFormDay returns midnight of a day sent by a date field, in loc; the
// zero time when it is empty or not a date.
func parseFormDay(s string, loc *time.Location) time.Time {
	t, err := time.ParseInLocation(formDayLayout, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// giftFilter reads the list's filters from the query string, leaving out
// those that are not valid (an old bookmark, a hand-made address).
func (h *Handler) giftFilter(q url.Values) (giftQuery, donations.DonationFilter) {
	loc := h.Settings.Get().Location()
	gq := giftQuery{Date: "paid", Q: strings.TrimSpace(q.Get("q"))}
	var f donations.DonationFilter
	switch st := donations.Status(q.Get("status")); st {
	case donations.StatusPending, donations.StatusPaid, donations.StatusFailed, donations.StatusExpired, donations.StatusRefunded:
		gq.Status, f.Status = string(st), st
	}
	if fr := donations.Frequency(q.Get("frequency")); fr.Valid() {
		gq.Frequency, f.Frequency = string(fr), fr
	}
	if m := donations.Method(q.Get("method")); m.Valid() {
		gq.Method, f.Method = string(m), m
	}
	if id, err := strconv.ParseInt(q.Get("campaign"), 10, 64); err == nil && id > 0 {
		gq.Campaign, f.CampaignID = id, id
	}
	if q.Get("date") == "created" {
		gq.Date, f.ByCreated = "created", true
	}
	if from := parseFormDay(q.Get("from"), loc); !from.IsZero() {
		gq.From, f.From = from.Format(formDayLayout), from
	}
	// The last day is included: the range ends at the next midnight.
	if to := parseFormDay(q.Get("to"), loc); !to.IsZero() {
		gq.To, f.To = to.Format(formDayLayout), to.AddDate(0, 0, 1)
	}
	f.Text = gq.Q
	return gq, f
}

// encode returns the filters as a query string, for the export's link.
func (q giftQuery) encode() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("status", q.Status)
	set("frequency", q.Frequency)
	set("method", q.Method)
	if q.Campaign != 0 {
		v.Set("campaign", strconv.FormatInt(q.Campaign, 10))
	}
	if q.Date == "created" {
		v.Set("date", "created")
	}
	set("from", q.From)
	set("to", q.To)
	set("q", q.Q)
	return v.Encode()
}

// listedGift is a gift as the list shows it, amounts written out.
type listedGift struct {
	ID int64
	// Date is the payment's date, or the creation's for a gift not paid,
	// in the site's zone; ISO is the instant for <time>.
	Date                  time.Time
	ISO                   string
	DonorID               int64
	DonorName, DonorEmail string
	Amount, Refunded      string
	Frequency             donations.Frequency
	Method                donations.Method
	Status                donations.Status
	CampaignID            int64
	Campaign              string
}

// campaignChoice is a campaign in a select.
type campaignChoice struct {
	ID    int64
	Title string
}

type donationsPage struct {
	basePage
	Query      giftQuery
	Rows       []listedGift
	Count      int
	Paid       int
	Net        string
	Campaigns  []campaignChoice
	Statuses   []donations.Status
	Methods    []donations.Method
	Pagination pagination
	ExportURL  string
}

// giftStatuses are the states offered as filters, in a gift's life order.
var giftStatuses = []donations.Status{donations.StatusPending, donations.StatusPaid, donations.StatusFailed,
	donations.StatusExpired, donations.StatusRefunded}

// giftMethods are the methods of payment offered as filters.
var giftMethods = []donations.Method{donations.MethodCard, donations.MethodCheque, donations.MethodTransfer,
	donations.MethodCash, donations.MethodOther}

// listDonations shows the gifts, newest first, with the filters of the
// query string, their count and what the paid ones brought.
func (h *Handler) listDonations(w http.ResponseWriter, r *http.Request, s *session) {
	ctx := r.Context()
	gq, f := h.giftFilter(r.URL.Query())
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	n = max(n, 1)
	f.Limit, f.Offset = giftListSize, (n-1)*giftListSize
	rows, sum, err := h.Donations.Gifts(ctx, s.actor, f)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	choices, err := h.campaignChoices(r, s)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	page := &donationsPage{basePage: h.base(r, s, p.T("admin.donations.title"), "donations"), Query: gq, Count: sum.Count,
		Paid: sum.Paid, Net: p.Money(sum.NetCents, "EUR"), Campaigns: choices, Statuses: giftStatuses, Methods: giftMethods,
		Pagination: pageLinks(r, n, (sum.Count+giftListSize-1)/giftListSize), ExportURL: "/admin/donations.csv"}
	if enc := gq.encode(); enc != "" {
		page.ExportURL += "?" + enc
	}
	for _, row := range rows {
		date := row.PaidAt
		if date.IsZero() || f.ByCreated {
			date = row.CreatedAt
		}
		g := listedGift{ID: row.ID, Date: date.In(loc), ISO: date.UTC().Format(time.RFC3339), DonorID: row.DonorID,
			DonorName: row.DonorName(), DonorEmail: row.DonorEmail, Amount: p.Money(row.AmountCents, row.Currency),
			Frequency: row.Frequency, Method: row.Method, Status: row.Status, CampaignID: row.CampaignID, Campaign: row.CampaignTitle}
		if row.RefundedCents > 0 {
			g.Refunded = p.Money(row.RefundedCents, row.Currency)
		}
		page.Rows = append(page.Rows, g)
	}
	h.render(w, r, http.StatusOK, "donations", page)
}

// campaignChoices lists the campaigns for a select, the latest first.
func (h *Handler) campaignChoices(r *http.Request, s *session) ([]campaignChoice, error) {
	list, err := h.Donations.Campaigns(r.Context(), s.actor)
	if err != nil {
		return nil, err
	}
	out := make([]campaignChoice, 0, len(list))
	for _, c := range list {
		out = append(out, campaignChoice{ID: c.Campaign.ID, Title: c.Campaign.Title})
	}
	return out, nil
}
