package storage

import (
	"cmp"
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// IssueInvoice implements shop.OrderTx. The counter's row is updated
// first: on PostgreSQL its lock orders concurrent issues of a series and
// year, on SQLite the single writer does. The counter, the document and
// the order's number are written under a savepoint, so a failed render or
// insert gives the number back even when the caller goes on with the
// transaction.
func (t *orderTx) IssueInvoice(ctx context.Context, inv *shop.Invoice, render func(*shop.Invoice) ([]byte, error)) error {
	q := t.tx.q
	switch inv.Kind {
	case shop.KindInvoice, shop.KindCredit:
	default:
		return apperr.Errorf(apperr.Invalid, "issue invoice of order %d: unknown kind %q", inv.OrderID, inv.Kind)
	}
	inv.Series = cmp.Or(inv.Series, shop.DefaultSeries(inv.Kind))
	if inv.Year == 0 {
		inv.Year = inv.IssuedAt.Year()
	}
	if inv.Kind == shop.KindInvoice {
		var number string
		err := q.queryRow(ctx, "SELECT number FROM invoices WHERE order_id = $1 AND kind = 'invoice'", inv.OrderID).Scan(&number)
		if err == nil {
			return apperr.Wrap(fmt.Errorf("issue invoice of order %d: %s issued already", inv.OrderID, number), apperr.Conflict,
				"error.shop.invoice_exists")
		}
		if err := normalize(err); !apperr.Is(err, apperr.NotFound) {
			return fmt.Errorf("issue invoice of order %d: %w", inv.OrderID, err)
		}
	}
	if _, err := q.exec(ctx, "SAVEPOINT issue_invoice"); err != nil {
		return normalize(fmt.Errorf("issue invoice of order %d: %w", inv.OrderID, err))
	}
	if err := issueInvoice(ctx, q, inv, render); err != nil {
		inv.Seq, inv.Number, inv.PDF = 0, "", nil
		if _, rerr := q.exec(ctx, "ROLLBACK TO SAVEPOINT issue_invoice"); rerr != nil {
			return normalize(fmt.Errorf("give back invoice number: %w (after %w)", rerr, err))
		}
		if _, rerr := q.exec(ctx, "RELEASE SAVEPOINT issue_invoice"); rerr != nil {
			return normalize(fmt.Errorf("give back invoice number: %w (after %w)", rerr, err))
		}
		return err
	}
	if _, err := q.exec(ctx, "RELEASE SAVEPOINT issue_invoice"); err != nil {
		return normalize(fmt.Errorf("issue invoice %s: %w", inv.Number, err))
	}
	t.tx.changed(Change{Entity: EntityOrder, IDs: []int64{inv.OrderID}})
	return nil
}

// issueInvoice numbers, draws and stores inv.
func issueInvoice(ctx context.Context, q querier, inv *shop.Invoice, render func(*shop.Invoice) ([]byte, error)) error {
	err := q.queryRow(ctx, `INSERT INTO invoice_counters (series, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (series, year) DO UPDATE SET last = invoice_counters.last + 1 RETURNING last`, inv.Series, inv.Year).Scan(&inv.Seq)
	if err != nil {
		return normalize(fmt.Errorf("number invoice %s%d: %w", inv.Series, inv.Year, err))
	}
	inv.Number = shop.FormatInvoiceNumber(inv.Series, inv.Year, inv.Seq)
	pdf, err := render(inv)
	if err != nil {
		return fmt.Errorf("render invoice %s: %w", inv.Number, err)
	}
	inv.PDF = pdf
	if inv.PDF == nil {
		inv.PDF = []byte{}
	}
	err = q.queryRow(ctx, `INSERT INTO invoices (order_id, kind, series, year, seq, number, issued_at, amount_cents, corrects_id, pdf)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, inv.OrderID, string(inv.Kind), inv.Series, inv.Year, inv.Seq,
		inv.Number, inv.IssuedAt.UTC(), inv.AmountCents, nullID(inv.Corrects), inv.PDF).Scan(&inv.ID)
	if err != nil {
		return normalize(fmt.Errorf("store invoice %s: %w", inv.Number, err))
	}
	if inv.Kind == shop.KindInvoice {
		if _, err := q.exec(ctx, "UPDATE orders SET invoice_number = $2 WHERE id = $1", inv.OrderID, inv.Number); err != nil {
			return normalize(fmt.Errorf("number order %d's invoice: %w", inv.OrderID, err))
		}
	}
	return nil
}

const invoiceColumns = `id, order_id, kind, series, year, seq, number, issued_at, amount_cents, COALESCE(corrects_id, 0)`

func scanInvoice(r interface{ Scan(...any) error }, pdf bool) (*shop.Invoice, error) {
	inv := &shop.Invoice{}
	var kind string
	var issued dbTime
	dest := []any{&inv.ID, &inv.OrderID, &kind, &inv.Series, &inv.Year, &inv.Seq, &inv.Number, &issued, &inv.AmountCents,
		&inv.Corrects}
	if pdf {
		dest = append(dest, &inv.PDF)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	inv.Kind, inv.IssuedAt = shop.InvoiceKind(kind), issued.t
	return inv, nil
}

// Invoices implements shop.OrderStore.
func (s *OrderStore) Invoices(ctx context.Context, orderID int64) ([]*shop.Invoice, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+invoiceColumns+" FROM invoices WHERE order_id = $1 ORDER BY id", orderID)
	if err != nil {
		return nil, normalize(fmt.Errorf("invoices of order %d: %w", orderID, err))
	}
	defer rs.Close()
	var out []*shop.Invoice
	for rs.Next() {
		inv, err := scanInvoice(rs, false)
		if err != nil {
			return nil, normalize(fmt.Errorf("invoices of order %d: %w", orderID, err))
		}
		out = append(out, inv)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("invoices of order %d: %w", orderID, err))
	}
	return out, nil
}

// Invoice implements shop.OrderStore.
func (s *OrderStore) Invoice(ctx context.Context, id int64) (*shop.Invoice, error) {
	inv, err := scanInvoice(s.db.reader().queryRow(ctx, "SELECT "+invoiceColumns+", pdf FROM invoices WHERE id = $1", id), true)
	if err != nil {
		return nil, normalize(fmt.Errorf("invoice %d: %w", id, err))
	}
	return inv, nil
}
