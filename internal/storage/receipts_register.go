package storage

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/donations"
)

// The tax receipts register: every receipt of a year by number, issued or
// annulled, and the year's count and total (CGI art. 222 bis).

// registerColumns are a receipt's columns but its PDF, which lists never
// need: it is read one receipt at a time, by Store.Receipt.
const registerColumns = `id, year, seq, number, COALESCE(donor_id, 0), COALESCE(donation_id, 0), period_from, period_to,
	amount_cents, method, donor_name, donor_address, status, issued_at, annulled_at, COALESCE(replaces_id, 0)`

// registerReceipts returns the receipts matching where (with its ORDER
// BY and LIMIT), without their PDF.
func registerReceipts(ctx context.Context, q querier, where string, args ...any) ([]*donations.Receipt, error) {
	rs, err := q.query(ctx, "SELECT "+registerColumns+" FROM receipts WHERE "+where, args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("list receipts: %w", err))
	}
	defer rs.Close()
	var out []*donations.Receipt
	for rs.Next() {
		r := &donations.Receipt{}
		var from, to, issued, annulled dbTime
		var method, status string
		if err := rs.Scan(&r.ID, &r.Year, &r.Seq, &r.Number, &r.DonorID, &r.DonationID, &from, &to, &r.AmountCents, &method,
			&r.DonorName, &r.DonorAddress, &status, &issued, &annulled, &r.ReplacesID); err != nil {
			return nil, normalize(fmt.Errorf("scan receipt: %w", err))
		}
		r.Method, r.Status = donations.Method(method), donations.ReceiptStatus(status)
		r.PeriodFrom, r.PeriodTo, r.IssuedAt, r.AnnulledAt = from.t, to.t, issued.t, annulled.t
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("list receipts: %w", err))
	}
	return out, nil
}

// RegisterReceipts implements donations.Registry.
func (s *DonationStore) RegisterReceipts(ctx context.Context, f donations.ReceiptFilter) ([]*donations.Receipt, int, error) {
	q := s.db.reader()
	total := 0
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM receipts WHERE year = $1", f.Year).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count receipts of %d: %w", f.Year, err))
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	where, args := "year = $1 ORDER BY seq", []any{f.Year}
	if f.Limit > 0 {
		where, args = where+" LIMIT $2 OFFSET $3", append(args, f.Limit, max(f.Offset, 0))
	}
	list, err := registerReceipts(ctx, q, where, args...)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// RegisterTotals implements donations.Registry.
func (s *DonationStore) RegisterTotals(ctx context.Context, year int) (donations.RegisterTotals, error) {
	var t donations.RegisterTotals
	err := s.db.reader().queryRow(ctx, `SELECT
			COALESCE(SUM(CASE WHEN status = 'issued' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'issued' THEN amount_cents ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'annulled' THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN status = 'annulled' THEN amount_cents ELSE 0 END), 0)
		FROM receipts WHERE year = $1`, year).Scan(&t.Issued, &t.IssuedCents, &t.Annulled, &t.AnnulledCents)
	if err != nil {
		return donations.RegisterTotals{}, normalize(fmt.Errorf("totals of the receipts of %d: %w", year, err))
	}
	return t, nil
}

// RegisterYears implements donations.Registry.
func (s *DonationStore) RegisterYears(ctx context.Context) ([]int, error) {
	rs, err := s.db.reader().query(ctx, "SELECT DISTINCT year FROM receipts ORDER BY year DESC")
	if err != nil {
		return nil, normalize(fmt.Errorf("years of the receipts: %w", err))
	}
	defer rs.Close()
	var out []int
	for rs.Next() {
		var y int
		if err := rs.Scan(&y); err != nil {
			return nil, normalize(fmt.Errorf("scan a receipts' year: %w", err))
		}
		out = append(out, y)
	}
	return out, normalize(rs.Err())
}
