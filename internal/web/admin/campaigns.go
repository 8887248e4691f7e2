package admin

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
)

// campaignRow is a campaign as the list shows it, figures written out.
type campaignRow struct {
	ID    int64
	Title string
	// Starts and Last are the first and last days, in the site's zone.
	Starts, Last  time.Time
	Goal, Raised  string
	Donors        int
	Percent       int
	Running, Past bool
}

type campaignsPage struct {
	basePage
	Rows []campaignRow
}

// listCampaigns shows the campaigns, the latest first, with what each
// raised as the public bar counts it.
func (h *Handler) listCampaigns(w http.ResponseWriter, r *http.Request, s *session) {
	list, err := h.Donations.Campaigns(r.Context(), s.actor)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	p := h.printer()
	loc := h.Settings.Get().Location()
	now := h.Clock.Now()
	page := &campaignsPage{basePage: h.base(r, s, p.T("admin.campaigns.title"), "donations")}
	for _, pr := range list {
		c := pr.Campaign
		page.Rows = append(page.Rows, campaignRow{ID: c.ID, Title: c.Title, Starts: c.StartsAt.In(loc), Last: lastDay(c.EndsAt, loc),
			Goal: p.MoneyShort(c.GoalCents, "EUR"), Raised: p.MoneyShort(pr.RaisedCents, "EUR"), Donors: pr.Donors,
			Percent: pr.Percent(), Running: c.Running(now), Past: !now.Before(c.EndsAt)})
	}
	h.render(w, r, http.StatusOK, "campaigns", page)
}

// lastDay is the last day of a period ending at end (exclusive), in loc.
func lastDay(end time.Time, loc *time.Location) time.Time {
	return end.In(loc).Add(-time.Nanosecond)
}

// campaignForm is what the campaign form posts, as typed.
type campaignForm struct {
	ID               int64
	Title, Goal      string
	StartsAt, EndsAt string
}

type campaignPage struct {
	basePage
	Form   campaignForm
	Errors formErrors
	// Progress is what the campaign raised, nil for a new one.
	Progress *donations.Progress
	Raised   string
}

// campaignID reads the campaign's id from the path: 0 for a new one.
func campaignID(r *http.Request) (int64, error) {
	if r.PathValue("id") == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound()
	}
	return id, nil
}

// showCampaign shows the form of a new campaign, or of the campaign of
// the path.
func (h *Handler) showCampaign(w http.ResponseWriter, r *http.Request, s *session) {
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	f := campaignForm{}
	if id != 0 {
		c, err := h.Donations.Campaign(r.Context(), s.actor, id)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		loc := h.Settings.Get().Location()
		f = campaignForm{ID: c.ID, Title: c.Title, Goal: goalText(c.GoalCents), StartsAt: c.StartsAt.In(loc).Format(formDayLayout),
			EndsAt: lastDay(c.EndsAt, loc).Format(formDayLayout)}
	}
	h.renderCampaign(w, r, s, http.StatusOK, f, nil)
}

// goalText writes a goal as the form's field takes it back: "20000",
// "20000,50".
func goalText(cents int64) string {
	s := strconv.FormatInt(cents/100, 10)
	if cents%100 != 0 {
		s += "," + strconv.FormatInt(cents%100/10, 10) + strconv.FormatInt(cents%10, 10)
	}
	return s
}

func (h *Handler) renderCampaign(w http.ResponseWriter, r *http.Request, s *session, status int, f campaignForm, errs formErrors) {
	p := h.printer()
	title := p.T("admin.campaigns.new")
	page := &campaignPage{Form: f, Errors: errs}
	if f.ID != 0 {
		title = p.T("admin.campaigns.edit")
		list, err := h.Donations.Campaigns(r.Context(), s.actor)
		if err != nil {
			h.fail(w, r, s, err)
			return
		}
		for _, pr := range list {
			if pr.Campaign.ID == f.ID {
				page.Progress, page.Raised = pr, p.MoneyShort(pr.RaisedCents, "EUR")
			}
		}
	}
	page.basePage = h.base(r, s, title, "donations")
	h.render(w, r, status, "campaigns_edit", page)
}

// saveCampaign creates or changes a campaign: the days are the site's,
// the last one included.
func (h *Handler) saveCampaign(w http.ResponseWriter, r *http.Request, s *session) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	id, err := campaignID(r)
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, s, errBadForm(err))
		return
	}
	f := campaignForm{ID: id, Title: r.PostFormValue("title"), Goal: r.PostFormValue("goal"), StartsAt: r.PostFormValue("starts_at"),
		EndsAt: r.PostFormValue("ends_at")}
	loc := h.Settings.Get().Location()
	in := donations.CampaignInput{Title: f.Title, StartsAt: parseFormDay(f.StartsAt, loc)}
	if last := parseFormDay(f.EndsAt, loc); !last.IsZero() {
		in.EndsAt = last.AddDate(0, 0, 1)
	}
	goal, goalErr := donations.ParseGoal(f.Goal)
	in.GoalCents = goal
	c, err := h.Donations.SaveCampaign(r.Context(), s.actor, id, in)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			h.fail(w, r, s, err)
			return
		}
		errs, ierr := h.fieldErrors(err)
		if ierr != nil {
			h.fail(w, r, s, ierr)
			return
		}
		if goalErr != nil {
			gerrs, _ := h.errorsOf(goalErr)
			errs["goal"] = gerrs["goal"]
		}
		h.renderCampaign(w, r, s, formStatus(err), f, errs)
		return
	}
	done := "saved"
	if id == 0 {
		done = "created"
	}
	redirect(w, r, "/admin/campaigns#campaign-"+strconv.FormatInt(c.ID, 10), done)
}
