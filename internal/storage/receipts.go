package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/job"
)

// IssueReceipt implements donations.Store. The counter's row is updated
// first: on PostgreSQL its lock orders concurrent issues of a year, on
// SQLite the single writer does; a rollback gives the number back.
func (s *DonationStore) IssueReceipt(ctx context.Context, r *donations.Receipt, render func(*donations.Receipt) ([]byte, error),
	then func(*donations.Receipt) []job.Job) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := issueReceipt(ctx, tx, r, render); err != nil {
			return err
		}
		if then != nil {
			return tx.enqueue(ctx, then(r))
		}
		return nil
	})
}

// IssueReceipt implements donations.Tx: a receipt issued in the
// transaction that marks its gift paid.
func (t *donationTx) IssueReceipt(ctx context.Context, r *donations.Receipt, render func(*donations.Receipt) ([]byte, error)) error {
	return issueReceipt(ctx, t.tx, r, render)
}

// issueReceipt numbers, draws and stores r in tx.
func issueReceipt(ctx context.Context, tx *Tx, r *donations.Receipt, render func(*donations.Receipt) ([]byte, error)) error {
	err := tx.q.queryRow(ctx, `INSERT INTO receipt_counters (year, last) VALUES ($1, 1)
		ON CONFLICT (year) DO UPDATE SET last = receipt_counters.last + 1 RETURNING last`, r.Year).Scan(&r.Seq)
	if err != nil {
		return normalize(fmt.Errorf("number receipt of %d: %w", r.Year, err))
	}
	r.Number = donations.FormatNumber(r.Year, r.Seq)
	if r.Status == "" {
		r.Status = donations.ReceiptIssued
	}
	pdf, err := render(r)
	if err != nil {
		return fmt.Errorf("render receipt %s: %w", r.Number, err)
	}
	r.PDF = pdf
	err = tx.q.queryRow(ctx, `INSERT INTO receipts (year, seq, number, donor_id, donation_id, period_from, period_to, amount_cents,
			method, donor_name, donor_address, status, issued_at, replaces_id, pdf)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		r.Year, r.Seq, r.Number, nullID(r.DonorID), nullID(r.DonationID), r.PeriodFrom.UTC(), r.PeriodTo.UTC(), r.AmountCents,
		string(r.Method), r.DonorName, r.DonorAddress, string(r.Status), r.IssuedAt.UTC(), nullID(r.ReplacesID), r.PDF).Scan(&r.ID)
	if err != nil {
		return normalize(fmt.Errorf("store receipt %s: %w", r.Number, err))
	}
	return nil
}

// AnnulReceipt implements donations.Store.
func (s *DonationStore) AnnulReceipt(ctx context.Context, id int64, at time.Time, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := annulReceipt(ctx, tx, id, at); err != nil {
			return err
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// AnnulReceipt implements donations.Tx: a receipt annulled in the
// transaction that records its gift's refund.
func (t *donationTx) AnnulReceipt(ctx context.Context, id int64, at time.Time) error {
	return annulReceipt(ctx, t.tx, id, at)
}

func annulReceipt(ctx context.Context, tx *Tx, id int64, at time.Time) error {
	n, err := tx.q.exec(ctx, `UPDATE receipts SET status = 'annulled', annulled_at = $2 WHERE id = $1 AND status = 'issued'`,
		id, at.UTC())
	if err != nil {
		return normalize(fmt.Errorf("annul receipt %d: %w", id, err))
	}
	if n == 0 {
		var status string
		if err := tx.q.queryRow(ctx, "SELECT status FROM receipts WHERE id = $1", id).Scan(&status); err != nil {
			return normalize(fmt.Errorf("annul receipt %d: %w", id, err))
		}
		return apperr.New(apperr.Conflict, "error.receipt.annulled")
	}
	return nil
}

// receiptColumns are the columns scanReceipt reads, in its order.
const receiptColumns = `id, year, seq, number, COALESCE(donor_id, 0), COALESCE(donation_id, 0), period_from, period_to,
	amount_cents, method, donor_name, donor_address, status, issued_at, annulled_at, COALESCE(replaces_id, 0), pdf`

// scanReceipt reads a row of receiptColumns.
func scanReceipt(row interface{ Scan(...any) error }) (*donations.Receipt, error) {
	r := &donations.Receipt{}
	var from, to, issued, annulled dbTime
	var method, status string
	err := row.Scan(&r.ID, &r.Year, &r.Seq, &r.Number, &r.DonorID, &r.DonationID, &from, &to, &r.AmountCents,
		&method, &r.DonorName, &r.DonorAddress, &status, &issued, &annulled, &r.ReplacesID, &r.PDF)
	if err != nil {
		return nil, err
	}
	r.Method, r.Status = donations.Method(method), donations.ReceiptStatus(status)
	r.PeriodFrom, r.PeriodTo, r.IssuedAt, r.AnnulledAt = from.t, to.t, issued.t, annulled.t
	return r, nil
}

// Receipt implements donations.Store.
func (s *DonationStore) Receipt(ctx context.Context, id int64) (*donations.Receipt, error) {
	r, err := scanReceipt(s.db.reader().queryRow(ctx, "SELECT "+receiptColumns+" FROM receipts WHERE id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("receipt %d: %w", id, err))
	}
	return r, nil
}

// ReceiptOfDonation implements donations.Tx.
func (t *donationTx) ReceiptOfDonation(ctx context.Context, donationID int64) (*donations.Receipt, error) {
	r, err := scanReceipt(t.tx.q.queryRow(ctx, "SELECT "+receiptColumns+" FROM receipts WHERE donation_id = $1 AND status = 'issued'",
		donationID))
	if err != nil {
		return nil, normalize(fmt.Errorf("receipt of donation %d: %w", donationID, err))
	}
	return r, nil
}

// AnnualReceipt implements donations.Tx.
func (t *donationTx) AnnualReceipt(ctx context.Context, donorID int64, year int) (*donations.Receipt, error) {
	r, err := scanReceipt(t.tx.q.queryRow(ctx, "SELECT "+receiptColumns+` FROM receipts
		WHERE donor_id = $1 AND year = $2 AND donation_id IS NULL AND status = 'issued'`, donorID, year))
	if err != nil {
		return nil, normalize(fmt.Errorf("annual receipt %d of donor %d: %w", year, donorID, err))
	}
	return r, nil
}

// monthlyTotalsQuery sums each donor's monthly gifts paid in [$1, $2),
// less refunds; $3 > 0 keeps only donor $3; $4 > 0 leaves out donors who
// hold an annual receipt of year $4 already.
const monthlyTotalsQuery = `SELECT d.donor_id, SUM(d.amount_cents - d.refunded_cents), COUNT(*), MIN(d.paid_at), MAX(d.paid_at)
	FROM donations d
	WHERE d.frequency = 'monthly' AND d.status IN ('paid', 'refunded') AND d.paid_at >= $1 AND d.paid_at < $2
		AND d.donor_id IS NOT NULL AND ($3 = 0 OR d.donor_id = $3)
		AND ($4 = 0 OR NOT EXISTS (SELECT 1 FROM receipts r
			WHERE r.donor_id = d.donor_id AND r.year = $4 AND r.donation_id IS NULL AND r.status = 'issued'))
	GROUP BY d.donor_id
	HAVING SUM(d.amount_cents - d.refunded_cents) > 0
	ORDER BY d.donor_id`

func monthlyTotals(ctx context.Context, q querier, from, to time.Time, donorID int64, year int) ([]donations.DonorTotal, error) {
	rows, err := q.query(ctx, monthlyTotalsQuery, from.UTC(), to.UTC(), donorID, year)
	if err != nil {
		return nil, normalize(fmt.Errorf("monthly gifts' totals: %w", err))
	}
	defer rows.Close()
	var out []donations.DonorTotal
	for rows.Next() {
		var t donations.DonorTotal
		var first, last dbTime
		if err := rows.Scan(&t.DonorID, &t.AmountCents, &t.Gifts, &first, &last); err != nil {
			return nil, normalize(fmt.Errorf("monthly gifts' totals: %w", err))
		}
		t.First, t.Last = first.t, last.t
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, normalize(fmt.Errorf("monthly gifts' totals: %w", err))
	}
	return out, nil
}

// MonthlyTotals implements donations.Store.
func (s *DonationStore) MonthlyTotals(ctx context.Context, year int, from, to time.Time) ([]donations.DonorTotal, error) {
	return monthlyTotals(ctx, s.db.reader(), from, to, 0, year)
}

// MonthlyTotal implements donations.Tx.
func (t *donationTx) MonthlyTotal(ctx context.Context, donorID int64, from, to time.Time) (donations.DonorTotal, error) {
	totals, err := monthlyTotals(ctx, t.tx.q, from, to, donorID, 0)
	if err != nil || len(totals) == 0 {
		return donations.DonorTotal{DonorID: donorID}, err
	}
	return totals[0], nil
}

// Counterparts implements donations.Tx.
func (t *donationTx) Counterparts(ctx context.Context, donorID int64, from, to time.Time) (int64, error) {
	var cents int64
	err := t.tx.q.queryRow(ctx, `SELECT COALESCE(SUM(counterpart_cents), 0) FROM donations
		WHERE donor_id = $1 AND status = 'paid' AND paid_at >= $2 AND paid_at < $3`, donorID, from.UTC(), to.UTC()).Scan(&cents)
	if err != nil {
		return 0, normalize(fmt.Errorf("counterparts of donor %d: %w", donorID, err))
	}
	return cents, nil
}
