package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/donations"
)

// The donors' pages of the back office: the list with each donor's
// totals, a donor's whole file, corrections and erasure.

// scanExtra scans a row whose first columns another scan function reads,
// then extra: scanDonor keeps reading donorColumns, and callers add the
// columns of their own query after them.
type scanExtra struct {
	r     interface{ Scan(...any) error }
	extra []any
}

func (s scanExtra) Scan(dest ...any) error { return s.r.Scan(append(dest, s.extra...)...) }

// donorFilterWhere writes f's conditions on donors d: not erased, and
// every word of the search in the names, the email or the city.
func donorFilterWhere(w *whereBuilder, f donations.DonorFilter) {
	w.add("d.erased_at IS NULL")
	for _, word := range strings.Fields(strings.ToLower(f.Search)) {
		like := w.arg("%" + escapeLike(word) + "%")
		w.add(`(LOWER(d.first_names || ' ' || d.last_name) LIKE ` + like + ` ESCAPE '\' OR d.email LIKE ` + like +
			` ESCAPE '\' OR LOWER(d.city) LIKE ` + like + ` ESCAPE '\')`)
	}
}

// donorOrders are the ORDER BY clauses of the donors list. A donor who
// never paid has no last gift: "IS NULL" puts them last on both
// databases, which disagree on where NULL sorts.
var donorOrders = map[donations.DonorSort]string{
	donations.SortLastGift: "g.last_paid IS NULL, g.last_paid DESC, d.id DESC",
	donations.SortTotal:    "COALESCE(g.total, 0) DESC, g.last_paid IS NULL, g.last_paid DESC, d.id DESC",
	donations.SortGifts:    "COALESCE(g.n, 0) DESC, g.last_paid IS NULL, g.last_paid DESC, d.id DESC",
	donations.SortName:     "LOWER(d.last_name), LOWER(d.first_names), d.id",
}

// Donors implements donations.Registry. Each donor's paid gifts and
// monthly gifts are summed in one pass over each table, not donor by
// donor.
func (s *DonationStore) Donors(ctx context.Context, f donations.DonorFilter) ([]donations.DonorSummary, int, error) {
	var w whereBuilder
	donorFilterWhere(&w, f)
	where := w.sql()
	q := s.db.reader()
	total := 0
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM donors d"+where, w.args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count donors: %w", err))
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	order, ok := donorOrders[f.Sort]
	if !ok {
		order = donorOrders[donations.SortLastGift]
	}
	page := ""
	if f.Limit > 0 {
		page = " LIMIT " + w.arg(f.Limit) + " OFFSET " + w.arg(max(f.Offset, 0))
	}
	rs, err := q.query(ctx, `SELECT `+donorColumns+`, COALESCE(g.n, 0), COALESCE(g.total, 0), g.last_paid,
			COALESCE(m.active_cents, 0), COALESCE(m.active, 0), COALESCE(m.stopped, 0)
		FROM donors d
		LEFT JOIN (SELECT donor_id, COUNT(*) AS n, SUM(amount_cents - refunded_cents) AS total, MAX(paid_at) AS last_paid
			FROM donations WHERE status = 'paid' GROUP BY donor_id) g ON g.donor_id = d.id
		LEFT JOIN (SELECT donor_id, SUM(CASE WHEN status = 'active' THEN amount_cents ELSE 0 END) AS active_cents,
				SUM(CASE WHEN status = 'active' THEN 1 ELSE 0 END) AS active,
				SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS stopped
			FROM subscriptions GROUP BY donor_id) m ON m.donor_id = d.id`+where+`
		ORDER BY `+order+page, w.args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list donors: %w", err))
	}
	defer rs.Close()
	out := make([]donations.DonorSummary, 0, min(max(f.Limit, 0), total))
	for rs.Next() {
		var sum donations.DonorSummary
		var last dbTime
		var active, stopped int64
		d, err := scanDonor(scanExtra{rs, []any{&sum.Gifts, &sum.TotalCents, &last, &sum.MonthlyCents, &active, &stopped}})
		if err != nil {
			return nil, 0, normalize(fmt.Errorf("scan donor: %w", err))
		}
		sum.Donor, sum.LastGiftAt = *d, last.t
		switch {
		case active > 0:
			sum.Monthly = donations.MonthlyActive
		case stopped > 0:
			sum.Monthly = donations.MonthlyStopped
		default:
			sum.Monthly = donations.MonthlyNone
		}
		out = append(out, sum)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list donors: %w", err))
	}
	return out, total, nil
}

// DonorGiftLines implements donations.Registry.
func (s *DonationStore) DonorGiftLines(ctx context.Context, f donations.DonorFilter) ([]donations.GiftLine, error) {
	var w whereBuilder
	donorFilterWhere(&w, f)
	w.add("g.status = 'paid'")
	w.add("g.paid_at IS NOT NULL")
	rs, err := s.db.reader().query(ctx, `SELECT g.donor_id, g.paid_at, g.amount_cents - g.refunded_cents
		FROM donations g JOIN donors d ON d.id = g.donor_id`+w.sql()+` ORDER BY g.donor_id, g.paid_at`, w.args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("donors' gifts: %w", err))
	}
	defer rs.Close()
	var out []donations.GiftLine
	for rs.Next() {
		var l donations.GiftLine
		var paid dbTime
		if err := rs.Scan(&l.DonorID, &paid, &l.NetCents); err != nil {
			return nil, normalize(fmt.Errorf("scan donor's gift: %w", err))
		}
		l.PaidAt = paid.t
		out = append(out, l)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("donors' gifts: %w", err))
	}
	return out, nil
}

// DonorFile implements donations.Registry.
func (s *DonationStore) DonorFile(ctx context.Context, id int64) (*donations.DonorFile, error) {
	q := s.db.reader()
	f := &donations.DonorFile{}
	var erased dbTime
	d, err := scanDonor(scanExtra{q.queryRow(ctx, "SELECT "+donorColumns+", erased_at FROM donors WHERE id = $1", id), []any{&erased}})
	if err != nil {
		return nil, normalize(fmt.Errorf("donor %d: %w", id, err))
	}
	f.Donor, f.ErasedAt = *d, erased.t
	if f.Gifts, err = donorGifts(ctx, q, id); err != nil {
		return nil, err
	}
	if f.Monthly, err = donorSubscriptions(ctx, q, id); err != nil {
		return nil, err
	}
	if f.Receipts, err = registerReceipts(ctx, q, "donor_id = $1 ORDER BY issued_at DESC, id DESC", id); err != nil {
		return nil, err
	}
	return f, nil
}

// donorGifts returns donor id's gifts, the latest paid (or started)
// first.
func donorGifts(ctx context.Context, q querier, id int64) ([]*donations.Donation, error) {
	rs, err := q.query(ctx, "SELECT "+donationColumns+` FROM donations WHERE donor_id = $1
		ORDER BY COALESCE(paid_at, created_at) DESC, id DESC`, id)
	if err != nil {
		return nil, normalize(fmt.Errorf("gifts of donor %d: %w", id, err))
	}
	defer rs.Close()
	var out []*donations.Donation
	for rs.Next() {
		d, err := scanDonation(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan gift: %w", err))
		}
		out = append(out, d)
	}
	return out, normalize(rs.Err())
}

// donorSubscriptions returns donor id's monthly gifts, newest first.
func donorSubscriptions(ctx context.Context, q querier, id int64) ([]*donations.Subscription, error) {
	rs, err := q.query(ctx, "SELECT "+subscriptionColumns+" FROM subscriptions WHERE donor_id = $1 ORDER BY created_at DESC, id DESC", id)
	if err != nil {
		return nil, normalize(fmt.Errorf("monthly gifts of donor %d: %w", id, err))
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
	return out, normalize(rs.Err())
}

// UpdateDonor implements donations.Registry. The record is changed at
// e.At. Pages counting donors change with the anonymity.
func (s *DonationStore) UpdateDonor(ctx context.Context, id int64, u donations.DonorUpdate, e *audit.Entry) (*donations.Donor, error) {
	at := time.Now()
	if e != nil {
		at = e.At
	}
	var d *donations.Donor
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE donors SET email = $2, first_names = $3, last_name = $4, address = $5, postal_code = $6,
				city = $7, country = $8, anonymous = $9, updated_at = $10
			WHERE id = $1 AND erased_at IS NULL`, id, u.Email, u.FirstNames, u.LastName, u.Address, u.PostalCode, u.City, u.Country,
			u.Anonymous, at.UTC())
		if err != nil {
			return normalize(fmt.Errorf("update donor %d: %w", id, err))
		}
		if n == 0 {
			return normalize(fmt.Errorf("update donor %d: %w", id, errNoRows))
		}
		if err := recordAudit(ctx, tx.q, e); err != nil {
			return err
		}
		if d, err = donorByID(ctx, tx.q, id); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityDonation})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// StopSubscription implements donations.Registry.
func (s *DonationStore) StopSubscription(ctx context.Context, sub *donations.Subscription, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE subscriptions SET status = $2, cancelled_at = $3 WHERE id = $1",
			sub.ID, string(sub.Status), nullTime(sub.CancelledAt))
		if err != nil {
			return normalize(fmt.Errorf("stop monthly gift %d: %w", sub.ID, err))
		}
		if n == 0 {
			return normalize(fmt.Errorf("stop monthly gift %d: %w", sub.ID, errNoRows))
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// EraseDonor implements donations.Registry. The donor's row is blanked
// rather than deleted: gifts and receipts point to it, and a kept row
// means its number is never given to someone else. Its email becomes
// empty, which the unique index leaves out, so the same person giving
// again is a new donor.
func (s *DonationStore) EraseDonor(ctx context.Context, id int64, at time.Time, entry func(donations.Erasure) *audit.Entry) (donations.Erasure, error) {
	var rep donations.Erasure
	err := s.db.inTx(ctx, func(tx *Tx) error {
		rep = donations.Erasure{DonorID: id}
		// On PostgreSQL the lock makes a gift being recorded for this
		// donor wait, then find the email gone; SQLite has one writer.
		lock := ""
		if s.db.dialect == Postgres {
			lock = " FOR UPDATE"
		}
		var erased dbTime
		var person int64
		err := tx.q.queryRow(ctx, "SELECT erased_at, COALESCE(person_id, 0) FROM donors WHERE id = $1"+lock, id).Scan(&erased, &person)
		if err != nil {
			return normalize(fmt.Errorf("donor to erase: %w", err))
		}
		if !erased.t.IsZero() {
			return apperr.New(apperr.Conflict, "error.donor.erased")
		}
		if _, err := tx.q.exec(ctx, `UPDATE donors SET email = '', first_names = '', last_name = '', address = '', postal_code = '',
				city = '', country = '', person_id = NULL, erased_at = $2, updated_at = $2 WHERE id = $1`, id, at.UTC()); err != nil {
			return normalize(fmt.Errorf("blank donor %d: %w", id, err))
		}
		// An admin's note on a gift may name the donor ("cheque from…").
		if _, err := tx.q.exec(ctx, "UPDATE donations SET note = '' WHERE donor_id = $1", id); err != nil {
			return normalize(fmt.Errorf("blank the notes of donor %d: %w", id, err))
		}
		err = tx.q.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM donations WHERE donor_id = $1),
				(SELECT COUNT(*) FROM subscriptions WHERE donor_id = $1), (SELECT COUNT(*) FROM receipts WHERE donor_id = $1)`, id).
			Scan(&rep.Gifts, &rep.Monthly, &rep.Receipts)
		if err != nil {
			return normalize(fmt.Errorf("count what donor %d keeps: %w", id, err))
		}
		if person != 0 {
			// The person's record is shared with comments: it goes only
			// when nothing else points to it.
			n, err := tx.q.exec(ctx, `UPDATE people SET email = '', name = '', url = '', updated_at = $2 WHERE id = $1
				AND NOT EXISTS (SELECT 1 FROM comments WHERE person_id = $1) AND NOT EXISTS (SELECT 1 FROM donors WHERE person_id = $1)`,
				person, at.UTC())
			if err != nil {
				return normalize(fmt.Errorf("blank the person of donor %d: %w", id, err))
			}
			rep.PersonErased = n > 0
		}
		if entry != nil {
			if err := recordAudit(ctx, tx.q, entry(rep)); err != nil {
				return err
			}
		}
		tx.changed(Change{Entity: EntityDonation})
		return nil
	})
	if err != nil {
		return donations.Erasure{}, err
	}
	return rep, nil
}
