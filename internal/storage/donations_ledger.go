package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
)

// The back office's reading of the gifts (donations.Ledger): the list
// with its filters and sums, the export, and the rows the monthly report
// groups in Go (months are cut in the site's time zone, which SQLite
// cannot do).

const ledgerColumns = `d.id, d.reference, COALESCE(d.donor_id, 0), COALESCE(d.subscription_id, 0), COALESCE(d.campaign_id, 0),
	d.amount_cents, d.currency, d.frequency, d.status, d.method, d.provider, d.session_id, d.payment_id, d.invoice_id,
	d.refunded_cents, d.note, d.created_at, d.paid_at, d.updated_at,
	COALESCE(dn.email, ''), COALESCE(dn.first_names, ''), COALESCE(dn.last_name, ''), COALESCE(c.title, '')`

const ledgerFrom = ` FROM donations d LEFT JOIN donors dn ON dn.id = d.donor_id LEFT JOIN campaigns c ON c.id = d.campaign_id`

func scanLedgerRow(r interface{ Scan(...any) error }) (*donations.LedgerRow, error) {
	row := &donations.LedgerRow{}
	d := &row.Donation
	var freq, status, method string
	var created, paid, updated dbTime
	if err := r.Scan(&d.ID, &d.Reference, &d.DonorID, &d.SubscriptionID, &d.CampaignID, &d.AmountCents, &d.Currency, &freq, &status,
		&method, &d.Provider, &d.SessionID, &d.PaymentID, &d.InvoiceID, &d.RefundedCents, &d.Note, &created, &paid, &updated,
		&row.DonorEmail, &row.DonorFirstNames, &row.DonorLastName, &row.CampaignTitle); err != nil {
		return nil, err
	}
	d.Frequency, d.Status, d.Method = donations.Frequency(freq), donations.Status(status), donations.Method(method)
	d.CreatedAt, d.PaidAt, d.UpdatedAt = created.t, paid.t, updated.t
	return row, nil
}

// ledgerWhere turns f into conditions, and the order that goes with its
// date: a gift not paid yet is placed by its creation.
func (s *DonationStore) ledgerWhere(f donations.DonationFilter) (w whereBuilder, order string) {
	if f.Status != "" {
		w.add("d.status = " + w.arg(string(f.Status)))
	}
	if f.Frequency != "" {
		w.add("d.frequency = " + w.arg(string(f.Frequency)))
	}
	if f.Method != "" {
		w.add("d.method = " + w.arg(string(f.Method)))
	}
	if f.CampaignID != 0 {
		w.add("d.campaign_id = " + w.arg(f.CampaignID))
	}
	date := "d.paid_at"
	order = "COALESCE(d.paid_at, d.created_at) DESC, d.id DESC"
	if f.ByCreated {
		date, order = "d.created_at", "d.created_at DESC, d.id DESC"
	}
	if !f.From.IsZero() {
		w.add(date + " >= " + w.arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		w.add(date + " < " + w.arg(f.To.UTC()))
	}
	if text := strings.TrimSpace(f.Text); text != "" {
		// SQLite's LIKE ignores the case of ASCII letters, as ILIKE does
		// of all; emails are stored lower-cased.
		like := "LIKE"
		if s.db.dialect == Postgres {
			like = "ILIKE"
		}
		p := w.arg("%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(text) + "%")
		w.add("(" + strings.Join([]string{
			"dn.email " + like + " " + p + ` ESCAPE '\'`,
			"dn.first_names " + like + " " + p + ` ESCAPE '\'`,
			"dn.last_name " + like + " " + p + ` ESCAPE '\'`,
			"(dn.first_names || ' ' || dn.last_name) " + like + " " + p + ` ESCAPE '\'`,
		}, " OR ") + ")")
	}
	return w, order
}

// Donations implements donations.Ledger.
func (s *DonationStore) Donations(ctx context.Context, f donations.DonationFilter) ([]*donations.LedgerRow, donations.LedgerSum, error) {
	w, order := s.ledgerWhere(f)
	where := w.sql()
	q := s.db.reader()
	var sum donations.LedgerSum
	err := q.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN d.status = 'paid' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN d.status = 'paid' THEN d.amount_cents - d.refunded_cents ELSE 0 END), 0)`+ledgerFrom+where,
		w.args...).Scan(&sum.Count, &sum.Paid, &sum.NetCents)
	if err != nil {
		return nil, sum, normalize(fmt.Errorf("sum donations: %w", err))
	}
	if sum.Count == 0 || f.Offset >= sum.Count {
		return nil, sum, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = donations.MaxListSize
	}
	query := "SELECT " + ledgerColumns + ledgerFrom + where + " ORDER BY " + order +
		" LIMIT " + w.arg(limit) + " OFFSET " + w.arg(max(f.Offset, 0))
	var out []*donations.LedgerRow
	err = s.eachLedgerRow(ctx, query, w.args, func(r *donations.LedgerRow) error {
		out = append(out, r)
		return nil
	})
	return out, sum, err
}

// EachDonation implements donations.Ledger.
func (s *DonationStore) EachDonation(ctx context.Context, f donations.DonationFilter, fn func(*donations.LedgerRow) error) error {
	w, order := s.ledgerWhere(f)
	return s.eachLedgerRow(ctx, "SELECT "+ledgerColumns+ledgerFrom+w.sql()+" ORDER BY "+order, w.args, fn)
}

func (s *DonationStore) eachLedgerRow(ctx context.Context, query string, args []any, fn func(*donations.LedgerRow) error) error {
	rs, err := s.db.reader().query(ctx, query, args...)
	if err != nil {
		return normalize(fmt.Errorf("list donations: %w", err))
	}
	defer rs.Close()
	for rs.Next() {
		r, err := scanLedgerRow(rs)
		if err != nil {
			return normalize(fmt.Errorf("scan donation: %w", err))
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return normalize(fmt.Errorf("list donations: %w", err))
	}
	return nil
}

// PaidGifts implements donations.Ledger.
func (s *DonationStore) PaidGifts(ctx context.Context, from, to time.Time) ([]*donations.Donation, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+donationColumns+` FROM donations
		WHERE status IN ('paid', 'refunded') AND paid_at >= $1 AND paid_at < $2 ORDER BY paid_at, id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("paid gifts: %w", err))
	}
	defer rs.Close()
	var out []*donations.Donation
	for rs.Next() {
		d, err := scanDonation(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan paid gift: %w", err))
		}
		out = append(out, d)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("paid gifts: %w", err))
	}
	return out, nil
}

// MonthlyGifts implements donations.Ledger.
func (s *DonationStore) MonthlyGifts(ctx context.Context, from, to time.Time) ([]*donations.Subscription, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+subscriptionColumns+` FROM subscriptions
		WHERE started_at IS NOT NULL AND started_at < $2 AND (cancelled_at IS NULL OR cancelled_at >= $1)
		ORDER BY started_at, id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("monthly gifts: %w", err))
	}
	defer rs.Close()
	var out []*donations.Subscription
	for rs.Next() {
		sub, err := scanSubscription(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan monthly gift: %w", err))
		}
		out = append(out, sub)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("monthly gifts: %w", err))
	}
	return out, nil
}

const ledgerCampaignColumns = `id, title, goal_cents, starts_at, ends_at, created_at`

func scanLedgerCampaign(r interface{ Scan(...any) error }) (*donations.Campaign, error) {
	c := &donations.Campaign{}
	var starts, ends, created dbTime
	if err := r.Scan(&c.ID, &c.Title, &c.GoalCents, &starts, &ends, &created); err != nil {
		return nil, err
	}
	c.StartsAt, c.EndsAt, c.CreatedAt = starts.t, ends.t, created.t
	return c, nil
}

// maxCampaigns bounds the campaigns listed: a newsroom runs a few a year.
const maxCampaigns = 500

// Campaigns implements donations.Ledger.
func (s *DonationStore) Campaigns(ctx context.Context) ([]*donations.Campaign, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+ledgerCampaignColumns+" FROM campaigns ORDER BY starts_at DESC, id DESC LIMIT $1",
		maxCampaigns)
	if err != nil {
		return nil, normalize(fmt.Errorf("list campaigns: %w", err))
	}
	defer rs.Close()
	var out []*donations.Campaign
	for rs.Next() {
		c, err := scanLedgerCampaign(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan campaign: %w", err))
		}
		out = append(out, c)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("list campaigns: %w", err))
	}
	return out, nil
}

// Campaign implements donations.Ledger.
func (s *DonationStore) Campaign(ctx context.Context, id int64) (*donations.Campaign, error) {
	c, err := scanLedgerCampaign(s.db.reader().queryRow(ctx, "SELECT "+ledgerCampaignColumns+" FROM campaigns WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("campaign %d: %w", id, err))
	}
	return c, nil
}

// UpdateCampaign implements donations.Ledger. The change notice is the
// gifts' one: the public bar shows the campaign's title, goal and the
// gifts of its period, so it is drawn again.
func (s *DonationStore) UpdateCampaign(ctx context.Context, c *donations.Campaign) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE campaigns SET title = $2, goal_cents = $3, starts_at = $4, ends_at = $5 WHERE id = $1`,
			c.ID, c.Title, c.GoalCents, c.StartsAt.UTC(), c.EndsAt.UTC())
		if err != nil {
			return normalize(fmt.Errorf("update campaign %d: %w", c.ID, err))
		}
		if n == 0 {
			return normalize(fmt.Errorf("update campaign %d: %w", c.ID, errNoRows))
		}
		tx.changed(Change{Entity: EntityDonation})
		return nil
	})
}
