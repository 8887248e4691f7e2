package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// pdfOf draws a test "PDF" naming the document.
func pdfOf(inv *shop.Invoice) ([]byte, error) {
	return []byte("%PDF " + inv.Number), nil
}

var errRender = errors.New("render failed")

func failRender(*shop.Invoice) ([]byte, error) { return nil, errRender }

// issue issues a document for order id in its own transaction.
func issue(st *storage.OrderStore, id int64, inv *shop.Invoice, render func(*shop.Invoice) ([]byte, error)) error {
	return st.UpdateOrder(context.Background(), id, shop.OrderPaid, "system", "", func(tx shop.OrderTx, o *shop.Order) error {
		return tx.IssueInvoice(context.Background(), inv, render)
	})
}

func TestInvoiceNumbers(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Mémoires d'Hadrien", 0, false)
		issued := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
		const n = 40
		ids := make([]int64, n)
		for i := range ids {
			o := newOrder(e, fmt.Sprintf("ord_inv_%d", i), fmt.Sprintf("c%d@example.org", i), line(book, "Mémoires d'Hadrien", 1))
			o.Status, o.PaidAt = shop.OrderPaid, issued
			if err := st.PlaceOrder(ctx, o, nil); err != nil {
				t.Fatal(err)
			}
			ids[i] = o.ID
		}

		// Forty issues at once: every fifth fails to render and rolls back,
		// every seventh fails and its caller goes on with the transaction.
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				inv := &shop.Invoice{OrderID: ids[i], Kind: shop.KindInvoice, IssuedAt: issued, AmountCents: 2300}
				switch {
				case i%5 == 0:
					errs[i] = issue(st, ids[i], inv, failRender)
				case i%7 == 0:
					errs[i] = st.UpdateOrder(ctx, ids[i], shop.OrderPaid, "system", "", func(tx shop.OrderTx, _ *shop.Order) error {
						if err := tx.IssueInvoice(ctx, inv, failRender); !errors.Is(err, errRender) {
							return fmt.Errorf("render failure: %w", err)
						}
						if inv.Number != "" || inv.Seq != 0 {
							return fmt.Errorf("a failed issue kept number %q", inv.Number)
						}
						return nil
					})
				default:
					errs[i] = issue(st, ids[i], inv, pdfOf)
				}
			})
		}
		wg.Wait()
		want := 0
		for i, err := range errs {
			switch {
			case i%5 == 0:
				if !errors.Is(err, errRender) {
					t.Errorf("issue %d: %v, want the render's error", i, err)
				}
			case err != nil:
				t.Errorf("issue %d: %v", i, err)
			case i%7 != 0:
				want++
			}
		}
		var numbers []string
		for _, id := range ids {
			list, err := st.Invoices(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			o, err := st.Order(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			switch len(list) {
			case 0:
				if o.InvoiceNumber != "" {
					t.Errorf("order %d without invoice has number %q", id, o.InvoiceNumber)
				}
			case 1:
				numbers = append(numbers, list[0].Number)
				if o.InvoiceNumber != list[0].Number {
					t.Errorf("order %d: number %q, invoice %q", id, o.InvoiceNumber, list[0].Number)
				}
			default:
				t.Errorf("order %d has %d invoices", id, len(list))
			}
		}
		slices.Sort(numbers)
		var wantNumbers []string
		for i := 1; i <= want; i++ {
			wantNumbers = append(wantNumbers, fmt.Sprintf("F2026-%06d", i))
		}
		if !slices.Equal(numbers, wantNumbers) {
			t.Fatalf("numbers = %v, want F2026-000001 to F2026-%06d without gap", numbers, want)
		}
		t.Logf("%d invoices issued by %d concurrent issues, numbers gap-free", want, n)

		paidOrder := ids[1]
		first, err := st.Invoices(ctx, paidOrder)
		if err != nil || len(first) != 1 {
			t.Fatalf("invoices of order %d: %v, %v", paidOrder, first, err)
		}
		t.Run("ErrSecondInvoice", func(t *testing.T) {
			err := issue(st, paidOrder, &shop.Invoice{OrderID: paidOrder, Kind: shop.KindInvoice, IssuedAt: issued, AmountCents: 1}, pdfOf)
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Conflict || ae.Key != "error.shop.invoice_exists" {
				t.Fatalf("second invoice: %v", err)
			}
			next := &shop.Invoice{OrderID: ids[0], Kind: shop.KindInvoice, IssuedAt: issued, AmountCents: 2300}
			if err := issue(st, ids[0], next, pdfOf); err != nil {
				t.Fatal(err)
			}
			if got, want := next.Number, fmt.Sprintf("F2026-%06d", want+1); got != want {
				t.Errorf("next number = %s, want %s", got, want)
			}
		})
		t.Run("OKCreditNotes", func(t *testing.T) {
			for i, want := range []string{"A2026-000001", "A2026-000002"} {
				credit := &shop.Invoice{OrderID: paidOrder, Kind: shop.KindCredit, IssuedAt: issued.Add(time.Hour), AmountCents: 500,
					Corrects: first[0].ID}
				if err := issue(st, paidOrder, credit, pdfOf); err != nil {
					t.Fatal(err)
				}
				if credit.Number != want || credit.Series != "A" || credit.Year != 2026 {
					t.Errorf("credit %d = %s (%s %d), want %s", i, credit.Number, credit.Series, credit.Year, want)
				}
			}
			list, err := st.Invoices(ctx, paidOrder)
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 3 || list[0].Kind != shop.KindInvoice || list[1].Kind != shop.KindCredit || list[2].Corrects != first[0].ID {
				t.Fatalf("documents of the order = %+v", list)
			}
			if list[1].PDF != nil {
				t.Error("Invoices returned a PDF")
			}
			full, err := st.Invoice(ctx, list[2].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(full.PDF), "%PDF A2026-000002"; got != want {
				t.Errorf("pdf = %q, want %q", got, want)
			}
			if full.AmountCents != 500 || !full.IssuedAt.Equal(issued.Add(time.Hour)) || full.OrderID != paidOrder {
				t.Errorf("credit note read back = %+v", full)
			}
			if o, _ := st.Order(ctx, paidOrder); o.InvoiceNumber != first[0].Number {
				t.Errorf("a credit note changed the order's number to %q", o.InvoiceNumber)
			}
		})
		t.Run("OKNewYear", func(t *testing.T) {
			o := newOrder(e, "ord_inv_2027", "ny@example.org", line(book, "Mémoires d'Hadrien", 1))
			o.Status = shop.OrderPaid
			if err := st.PlaceOrder(ctx, o, nil); err != nil {
				t.Fatal(err)
			}
			inv := &shop.Invoice{OrderID: o.ID, Kind: shop.KindInvoice, IssuedAt: time.Date(2027, 1, 1, 8, 0, 0, 0, time.UTC), AmountCents: 2300}
			if err := issue(st, o.ID, inv, pdfOf); err != nil {
				t.Fatal(err)
			}
			if inv.Number != "F2027-000001" {
				t.Errorf("first number of 2027 = %s", inv.Number)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := st.Invoice(ctx, 987654); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown invoice: %v", err)
			}
		})
	})
}
