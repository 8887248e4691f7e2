package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/job"
)

// EntityDonation names the gifts: pages showing a campaign's progress
// change when one is paid or refunded.
const EntityDonation = "donation"

// DonationStore implements donations.Store.
type DonationStore struct{ db *DB }

// NewDonationStore returns the donation store of db.
func NewDonationStore(db *DB) *DonationStore { return &DonationStore{db: db} }

var _ donations.Store = (*DonationStore)(nil)

const donationColumns = `id, reference, COALESCE(donor_id, 0), COALESCE(subscription_id, 0), COALESCE(campaign_id, 0),
	amount_cents, currency, frequency, status, method, provider, session_id, payment_id, invoice_id, refunded_cents, note,
	created_at, paid_at, updated_at, counterpart_cents`

func scanDonation(r interface{ Scan(...any) error }) (*donations.Donation, error) {
	d := &donations.Donation{}
	var freq, status, method string
	var created, paid, updated dbTime
	if err := r.Scan(&d.ID, &d.Reference, &d.DonorID, &d.SubscriptionID, &d.CampaignID, &d.AmountCents, &d.Currency, &freq, &status,
		&method, &d.Provider, &d.SessionID, &d.PaymentID, &d.InvoiceID, &d.RefundedCents, &d.Note, &created, &paid, &updated, &d.CounterpartCents); err != nil {
		return nil, err
	}
	d.Frequency, d.Status, d.Method = donations.Frequency(freq), donations.Status(status), donations.Method(method)
	d.CreatedAt, d.PaidAt, d.UpdatedAt = created.t, paid.t, updated.t
	return d, nil
}

const subscriptionColumns = `id, COALESCE(donor_id, 0), amount_cents, currency, provider, provider_id, status, started_at, cancelled_at, created_at`

func scanSubscription(r interface{ Scan(...any) error }) (*donations.Subscription, error) {
	s := &donations.Subscription{}
	var status string
	var started, cancelled, created dbTime
	if err := r.Scan(&s.ID, &s.DonorID, &s.AmountCents, &s.Currency, &s.Provider, &s.ProviderID, &status, &started, &cancelled, &created); err != nil {
		return nil, err
	}
	s.Status = donations.SubscriptionStatus(status)
	s.StartedAt, s.CancelledAt, s.CreatedAt = started.t, cancelled.t, created.t
	return s, nil
}

const donorColumns = `id, COALESCE(person_id, 0), email, first_names, last_name, address, postal_code, city, country, anonymous, created_at, updated_at`

func scanDonor(r interface{ Scan(...any) error }) (*donations.Donor, error) {
	d := &donations.Donor{}
	var created, updated dbTime
	if err := r.Scan(&d.ID, &d.PersonID, &d.Email, &d.FirstNames, &d.LastName, &d.Address, &d.PostalCode, &d.City, &d.Country,
		&d.Anonymous, &created, &updated); err != nil {
		return nil, err
	}
	d.CreatedAt, d.UpdatedAt = created.t, updated.t
	return d, nil
}

// StartGift implements donations.Store.
func (s *DonationStore) StartGift(ctx context.Context, donor *donations.Donor, d *donations.Donation, sub *donations.Subscription, then func(donations.Tx) error) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		// The person first, shared with comments (and later the shop).
		err := tx.q.queryRow(ctx, `INSERT INTO people (email, name, created_at, updated_at) VALUES ($1, $2, $3, $3)
			ON CONFLICT (email) WHERE email <> '' DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at
			RETURNING id`, donor.Email, donor.Name(), donor.UpdatedAt.UTC()).Scan(&donor.PersonID)
		if err != nil {
			return normalize(fmt.Errorf("record donor's person: %w", err))
		}
		err = tx.q.queryRow(ctx, `INSERT INTO donors (person_id, email, first_names, last_name, address, postal_code, city, country,
				anonymous, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
			ON CONFLICT (email) WHERE email <> '' DO UPDATE SET person_id = excluded.person_id, first_names = excluded.first_names,
				last_name = excluded.last_name, address = excluded.address, postal_code = excluded.postal_code, city = excluded.city,
				country = excluded.country, anonymous = excluded.anonymous, updated_at = excluded.updated_at
			RETURNING id`, donor.PersonID, donor.Email, donor.FirstNames, donor.LastName, donor.Address, donor.PostalCode, donor.City,
			donor.Country, donor.Anonymous, donor.UpdatedAt.UTC()).Scan(&donor.ID)
		if err != nil {
			return normalize(fmt.Errorf("record donor: %w", err))
		}
		d.DonorID = donor.ID
		if sub != nil {
			sub.DonorID = donor.ID
			err = tx.q.queryRow(ctx, `INSERT INTO subscriptions (donor_id, amount_cents, currency, provider, provider_id, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, sub.DonorID, sub.AmountCents, sub.Currency, sub.Provider, sub.ProviderID,
				string(sub.Status), sub.CreatedAt.UTC()).Scan(&sub.ID)
			if err != nil {
				return normalize(fmt.Errorf("record monthly gift: %w", err))
			}
			d.SubscriptionID = sub.ID
		}
		if err := createDonation(ctx, tx.q, d); err != nil {
			return err
		}
		if d.Status == donations.StatusPaid {
			tx.changed(Change{Entity: EntityDonation})
		}
		if then == nil {
			return nil
		}
		return then(&donationTx{tx: tx})
	})
}

func createDonation(ctx context.Context, q querier, d *donations.Donation) error {
	err := q.queryRow(ctx, `INSERT INTO donations (reference, donor_id, subscription_id, campaign_id, amount_cents, currency, frequency,
			status, method, provider, session_id, payment_id, invoice_id, refunded_cents, note, created_at, paid_at, updated_at,
			counterpart_cents)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
		d.Reference, nullID(d.DonorID), nullID(d.SubscriptionID), nullID(d.CampaignID), d.AmountCents, d.Currency, string(d.Frequency),
		string(d.Status), string(d.Method), d.Provider, d.SessionID, d.PaymentID, d.InvoiceID, d.RefundedCents, d.Note,
		d.CreatedAt.UTC(), nullTime(d.PaidAt), d.UpdatedAt.UTC(), d.CounterpartCents).Scan(&d.ID)
	if err != nil {
		return normalize(fmt.Errorf("record donation: %w", err))
	}
	return nil
}

// ApplyEvent implements donations.Store. The event's row is inserted
// first: a second delivery of the same event conflicts on the primary key
// and stops there (on PostgreSQL, a concurrent one waits for the first to
// commit, then stops).
func (s *DonationStore) ApplyEvent(ctx context.Context, provider, eventID, eventType string, at time.Time, apply func(donations.Tx) error) (bool, error) {
	applied := false
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `INSERT INTO payment_events (provider, id, type, received_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (provider, id) DO NOTHING`, provider, eventID, eventType, at.UTC())
		if err != nil {
			return normalize(fmt.Errorf("record payment event %s: %w", eventID, err))
		}
		if n == 0 {
			return nil
		}
		applied = true
		if err := apply(&donationTx{tx: tx}); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityDonation})
		return nil
	})
	return applied, err
}

// donationTx implements donations.Tx.
type donationTx struct{ tx *Tx }

func (t *donationTx) one(ctx context.Context, what, where string, args ...any) (*donations.Donation, error) {
	d, err := scanDonation(t.tx.q.queryRow(ctx, "SELECT "+donationColumns+" FROM donations WHERE "+where, args...))
	if err != nil {
		return nil, normalize(fmt.Errorf("donation %s: %w", what, err))
	}
	return d, nil
}

func (t *donationTx) DonationByReference(ctx context.Context, ref string) (*donations.Donation, error) {
	return t.one(ctx, "by reference", "reference = $1", ref)
}

func (t *donationTx) DonationByPayment(ctx context.Context, paymentID string) (*donations.Donation, error) {
	return t.one(ctx, "by payment", "payment_id = $1 ORDER BY id LIMIT 1", paymentID)
}

func (t *donationTx) DonationByInvoice(ctx context.Context, provider, invoiceID string) (*donations.Donation, error) {
	return t.one(ctx, "by invoice", "provider = $1 AND invoice_id = $2", provider, invoiceID)
}

func (t *donationTx) Subscription(ctx context.Context, id int64) (*donations.Subscription, error) {
	s, err := scanSubscription(t.tx.q.queryRow(ctx, "SELECT "+subscriptionColumns+" FROM subscriptions WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("monthly gift %d: %w", id, err))
	}
	return s, nil
}

func (t *donationTx) SubscriptionByProviderID(ctx context.Context, provider, id string) (*donations.Subscription, error) {
	s, err := scanSubscription(t.tx.q.queryRow(ctx, "SELECT "+subscriptionColumns+" FROM subscriptions WHERE provider = $1 AND provider_id = $2",
		provider, id))
	if err != nil {
		return nil, normalize(fmt.Errorf("monthly gift %s: %w", id, err))
	}
	return s, nil
}

func (t *donationTx) Donor(ctx context.Context, id int64) (*donations.Donor, error) {
	return donorByID(ctx, t.tx.q, id)
}

func donorByID(ctx context.Context, q querier, id int64) (*donations.Donor, error) {
	d, err := scanDonor(q.queryRow(ctx, "SELECT "+donorColumns+" FROM donors WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("donor %d: %w", id, err))
	}
	return d, nil
}

func (t *donationTx) CreateDonation(ctx context.Context, d *donations.Donation) error {
	return createDonation(ctx, t.tx.q, d)
}

func (t *donationTx) UpdateDonation(ctx context.Context, d *donations.Donation) error {
	_, err := t.tx.q.exec(ctx, `UPDATE donations SET status = $2, session_id = $3, payment_id = $4, invoice_id = $5, refunded_cents = $6,
		paid_at = $7, updated_at = $8 WHERE id = $1`, d.ID, string(d.Status), d.SessionID, d.PaymentID, d.InvoiceID, d.RefundedCents,
		nullTime(d.PaidAt), d.UpdatedAt.UTC())
	if err != nil {
		return normalize(fmt.Errorf("update donation %d: %w", d.ID, err))
	}
	return nil
}

func (t *donationTx) UpdateSubscription(ctx context.Context, s *donations.Subscription) error {
	_, err := t.tx.q.exec(ctx, `UPDATE subscriptions SET provider_id = $2, status = $3, started_at = $4, cancelled_at = $5 WHERE id = $1`,
		s.ID, s.ProviderID, string(s.Status), nullTime(s.StartedAt), nullTime(s.CancelledAt))
	if err != nil {
		return normalize(fmt.Errorf("update monthly gift %d: %w", s.ID, err))
	}
	return nil
}

func (t *donationTx) Enqueue(ctx context.Context, jobs ...job.Job) error {
	return t.tx.enqueue(ctx, jobs)
}

// Donation implements donations.Store.
func (s *DonationStore) Donation(ctx context.Context, id int64) (*donations.Donation, error) {
	d, err := scanDonation(s.db.reader().queryRow(ctx, "SELECT "+donationColumns+" FROM donations WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("donation %d: %w", id, err))
	}
	return d, nil
}

// DonationByReference implements donations.Store.
func (s *DonationStore) DonationByReference(ctx context.Context, ref string) (*donations.Donation, error) {
	d, err := scanDonation(s.db.reader().queryRow(ctx, "SELECT "+donationColumns+" FROM donations WHERE reference = $1", ref))
	if err != nil {
		return nil, normalize(fmt.Errorf("donation %q: %w", ref, err))
	}
	return d, nil
}

// Donor implements donations.Store.
func (s *DonationStore) Donor(ctx context.Context, id int64) (*donations.Donor, error) {
	return donorByID(ctx, s.db.reader(), id)
}

// CurrentCampaign implements donations.Store.
func (s *DonationStore) CurrentCampaign(ctx context.Context, now time.Time) (*donations.Campaign, error) {
	c := &donations.Campaign{}
	var starts, ends, created dbTime
	err := s.db.reader().queryRow(ctx, `SELECT id, title, goal_cents, starts_at, ends_at, created_at FROM campaigns
		WHERE starts_at <= $1 AND ends_at > $1 ORDER BY starts_at DESC, id DESC LIMIT 1`, now.UTC()).
		Scan(&c.ID, &c.Title, &c.GoalCents, &starts, &ends, &created)
	if err != nil {
		return nil, normalize(fmt.Errorf("current campaign: %w", err))
	}
	c.StartsAt, c.EndsAt, c.CreatedAt = starts.t, ends.t, created.t
	return c, nil
}

// CreateCampaign implements donations.Store.
func (s *DonationStore) CreateCampaign(ctx context.Context, c *donations.Campaign) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO campaigns (title, goal_cents, starts_at, ends_at, created_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, c.Title, c.GoalCents, c.StartsAt.UTC(), c.EndsAt.UTC(), c.CreatedAt.UTC()).Scan(&c.ID)
		if err != nil {
			return normalize(fmt.Errorf("create campaign: %w", err))
		}
		tx.changed(Change{Entity: EntityDonation})
		return nil
	})
}

// Raised implements donations.Store.
func (s *DonationStore) Raised(ctx context.Context, from, to time.Time) (int64, int, error) {
	var cents int64
	var donors int
	err := s.db.reader().queryRow(ctx, `SELECT COALESCE(SUM(d.amount_cents - d.refunded_cents), 0),
			COUNT(DISTINCT CASE WHEN dn.anonymous THEN NULL ELSE d.donor_id END)
		FROM donations d LEFT JOIN donors dn ON dn.id = d.donor_id
		WHERE d.status = 'paid' AND d.paid_at >= $1 AND d.paid_at < $2`, from.UTC(), to.UTC()).Scan(&cents, &donors)
	if err != nil {
		return 0, 0, normalize(fmt.Errorf("raised: %w", err))
	}
	return cents, donors, nil
}

// Subscription implements donations.Store.
func (s *DonationStore) Subscription(ctx context.Context, id int64) (*donations.Subscription, error) {
	sub, err := scanSubscription(s.db.reader().queryRow(ctx, "SELECT "+subscriptionColumns+" FROM subscriptions WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("monthly gift %d: %w", id, err))
	}
	return sub, nil
}

// CancelSubscription implements donations.Store.
func (s *DonationStore) CancelSubscription(ctx context.Context, sub *donations.Subscription) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		return (&donationTx{tx: tx}).UpdateSubscription(ctx, sub)
	})
}
