package donations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
)

// The back office's side of the readers' support: the gifts list and its
// export, one gift's details, campaigns and the monthly report. Every
// method is for those who may ManageDonations (admins) and returns
// apperr.Forbidden to anyone else.

// MaxListSize is the longest page of the gifts list.
const MaxListSize = 200

func mayManage(actor access.Actor) error {
	if !actor.Can(access.ManageDonations) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	return nil
}

// Gifts returns the page of gifts f selects, newest first, with the count
// and the sum of all it selects.
func (s *Service) Gifts(ctx context.Context, actor access.Actor, f DonationFilter) ([]*LedgerRow, LedgerSum, error) {
	if err := mayManage(actor); err != nil {
		return nil, LedgerSum{}, err
	}
	if f.Limit <= 0 || f.Limit > MaxListSize {
		f.Limit = MaxListSize
	}
	f.Offset = max(f.Offset, 0)
	f.Text = strings.TrimSpace(f.Text)
	rows, sum, err := s.Store.Donations(ctx, f)
	if err != nil {
		return nil, LedgerSum{}, fmt.Errorf("list gifts: %w", err)
	}
	return rows, sum, nil
}

// ExportGifts calls fn with every gift f selects, newest first.
func (s *Service) ExportGifts(ctx context.Context, actor access.Actor, f DonationFilter, fn func(*LedgerRow) error) error {
	if err := mayManage(actor); err != nil {
		return err
	}
	f.Text = strings.TrimSpace(f.Text)
	if err := s.Store.EachDonation(ctx, f, fn); err != nil {
		return fmt.Errorf("export gifts: %w", err)
	}
	return nil
}

// GiftDetail is one gift with everything it points to; Donor,
// Subscription and Campaign are nil when it has none (or they are gone).
type GiftDetail struct {
	Donation     *Donation
	Donor        *Donor
	Subscription *Subscription
	Campaign     *Campaign
}

// Gift returns gift id with its donor, monthly gift and campaign.
func (s *Service) Gift(ctx context.Context, actor access.Actor, id int64) (*GiftDetail, error) {
	if err := mayManage(actor); err != nil {
		return nil, err
	}
	d, err := s.Store.Donation(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("gift %d: %w", id, err)
	}
	g := &GiftDetail{Donation: d}
	// What a gift points to may have been erased since: it is shown
	// without it.
	optional := func(err error) error {
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		return err
	}
	if d.DonorID != 0 {
		if g.Donor, err = s.Store.Donor(ctx, d.DonorID); optional(err) != nil {
			return nil, fmt.Errorf("gift %d: %w", id, err)
		}
	}
	if d.SubscriptionID != 0 {
		if g.Subscription, err = s.Store.Subscription(ctx, d.SubscriptionID); optional(err) != nil {
			return nil, fmt.Errorf("gift %d: %w", id, err)
		}
	}
	if d.CampaignID != 0 {
		if g.Campaign, err = s.Store.Campaign(ctx, d.CampaignID); optional(err) != nil {
			return nil, fmt.Errorf("gift %d: %w", id, err)
		}
	}
	return g, nil
}

// NewOfflineReference returns the reference an offline gift's form
// carries (OfflineGift.Reference): sent twice, the form records one gift.
func NewOfflineReference() (string, error) {
	return newReference()
}

// RecordOfflineOnce records g as RecordOffline does, under g.Reference,
// which NewOfflineReference made for the form: when the form is sent
// again (a double click, the browser's back button, a retry after a lost
// answer), it returns the gift recorded the first time and again true,
// instead of recording it twice. The unique reference settles two
// concurrent sendings too: the second conflicts, and finds the first.
func (s *Service) RecordOfflineOnce(ctx context.Context, actor access.Actor, g OfflineGift) (d *Donation, again bool, err error) {
	if err := mayManage(actor); err != nil {
		return nil, false, err
	}
	if !validReference(g.Reference) {
		return nil, false, apperr.New(apperr.Invalid, "error.donation.form_expired")
	}
	first := func() (*Donation, bool, error) {
		prev, err := s.Store.DonationByReference(ctx, g.Reference)
		if err != nil {
			return nil, false, err
		}
		if prev.Provider != ProviderOffline {
			// Not this form's gift: the reference was made up.
			return nil, false, apperr.New(apperr.Invalid, "error.donation.form_expired")
		}
		return prev, true, nil
	}
	if prev, again, err := first(); err == nil || !apperr.Is(err, apperr.NotFound) {
		return prev, again, err
	}
	d, err = s.RecordOffline(ctx, actor, g)
	if apperr.Is(err, apperr.Conflict) {
		if prev, again, ferr := first(); ferr == nil {
			return prev, again, nil
		}
	}
	return d, false, err
}

// validReference reports whether ref looks like one newReference made.
func validReference(ref string) bool {
	hex := strings.TrimPrefix(ref, "don_")
	return len(hex) == 24 && len(ref) == 28 && strings.Trim(hex, "0123456789abcdef") == ""
}

// MonthToDate returns what the paid gifts brought, less refunds, since
// the first of the current month in loc.
func (s *Service) MonthToDate(ctx context.Context, actor access.Actor, loc *time.Location) (int64, error) {
	if err := mayManage(actor); err != nil {
		return 0, err
	}
	now := s.Clock.Now().In(loc)
	cents, _, err := s.Store.Raised(ctx, monthStart(now), now.Add(time.Nanosecond))
	if err != nil {
		return 0, fmt.Errorf("month to date: %w", err)
	}
	return cents, nil
}

// monthStart returns midnight of the first of t's month, in t's location.
func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

// Campaigns returns every campaign with what it raised, the latest
// started first. Raised counts as the public bar does: the paid gifts of
// the campaign's period, whatever page they came from.
func (s *Service) Campaigns(ctx context.Context, actor access.Actor) ([]*Progress, error) {
	if err := mayManage(actor); err != nil {
		return nil, err
	}
	list, err := s.Store.Campaigns(ctx)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	out := make([]*Progress, 0, len(list))
	for _, c := range list {
		cents, donors, err := s.Store.Raised(ctx, c.StartsAt, c.EndsAt)
		if err != nil {
			return nil, fmt.Errorf("campaign %d progress: %w", c.ID, err)
		}
		out = append(out, &Progress{Campaign: c, RaisedCents: cents, Donors: donors})
	}
	return out, nil
}

// Campaign returns one campaign.
func (s *Service) Campaign(ctx context.Context, actor access.Actor, id int64) (*Campaign, error) {
	if err := mayManage(actor); err != nil {
		return nil, err
	}
	c, err := s.Store.Campaign(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: %w", id, err)
	}
	return c, nil
}

// CampaignInput is what the campaign form sends. The dates are instants:
// the form's days in the site's time zone, EndsAt being the midnight
// after the last day.
type CampaignInput struct {
	Title     string
	GoalCents int64
	StartsAt  time.Time
	EndsAt    time.Time
}

// maxTitleLen bounds a campaign's title, in characters.
const maxTitleLen = 200

// SaveCampaign creates a campaign (id 0) or changes campaign id, and
// returns it. It reports every field at fault: a title, a goal above
// zero, both dates, the end after the start.
func (s *Service) SaveCampaign(ctx context.Context, actor access.Actor, id int64, in CampaignInput) (*Campaign, error) {
	if err := mayManage(actor); err != nil {
		return nil, err
	}
	in.Title = strings.TrimSpace(in.Title)
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	switch {
	case in.Title == "":
		bad("title", "error.campaign.title_required")
	case utf8.RuneCountInString(in.Title) > maxTitleLen || !utf8.ValidString(in.Title):
		bad("title", "error.donation.too_long", maxTitleLen)
	}
	if in.GoalCents <= 0 {
		bad("goal", "error.campaign.goal")
	}
	if in.StartsAt.IsZero() {
		bad("starts_at", "error.campaign.starts_at")
	}
	switch {
	case in.EndsAt.IsZero():
		bad("ends_at", "error.campaign.ends_at")
	case !in.StartsAt.IsZero() && !in.EndsAt.After(in.StartsAt):
		bad("ends_at", "error.campaign.ends_before")
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	c := &Campaign{ID: id, Title: in.Title, GoalCents: in.GoalCents, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC()}
	if id == 0 {
		c.CreatedAt = s.Clock.Now()
		if err := s.Store.CreateCampaign(ctx, c); err != nil {
			return nil, fmt.Errorf("create campaign: %w", err)
		}
		return c, nil
	}
	if err := s.Store.UpdateCampaign(ctx, c); err != nil {
		return nil, fmt.Errorf("update campaign %d: %w", id, err)
	}
	return c, nil
}

// ParseGoal reads a campaign's goal in euros as an admin types it
// ("20 000", "20000,00 €"); errors are apperr.Invalid on the field
// "goal". Unlike a gift, a goal has no upper bound.
func ParseGoal(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 12 || !digits(whole) || hasFrac && (len(frac) == 0 || len(frac) > 2 || !digits(frac)) {
		return 0, apperr.New(apperr.Invalid, "error.campaign.goal").InField("goal")
	}
	var cents int64
	for _, c := range whole + (frac + "00")[:2] {
		cents = cents*10 + int64(c-'0')
	}
	if cents <= 0 {
		return 0, apperr.New(apperr.Invalid, "error.campaign.goal").InField("goal")
	}
	return cents, nil
}
