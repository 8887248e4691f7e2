package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// listed is one order of the list tests: placed at a day of 2026, in a
// status, paid that day when it was.
type listed struct {
	ref, email, name string
	status           shop.OrderStatus
	at               time.Time
	refunded         int64
}

func placeListed(t *testing.T, e *env, st *storage.OrderStore, book int64, orders []listed) map[string]*shop.Order {
	t.Helper()
	out := map[string]*shop.Order{}
	for _, l := range orders {
		o := newOrder(e, l.ref, l.email, line(book, "Le Rouge et le Noir", 1))
		o.BillTo.Name, o.Status, o.CreatedAt, o.UpdatedAt, o.RefundedCents = l.name, l.status, l.at, l.at, l.refunded
		o.ExpiresAt = l.at.Add(30 * time.Minute)
		switch l.status {
		case shop.OrderPending, shop.OrderCancelled:
		default:
			o.PaidAt = l.at
		}
		if err := st.PlaceOrder(context.Background(), o, nil); err != nil {
			t.Fatalf("place %s: %v", l.ref, err)
		}
		out[l.ref] = o
	}
	return out
}

func refs(orders []*shop.Order) []string {
	out := []string{}
	for _, o := range orders {
		out = append(out, o.Reference)
	}
	return out
}

func TestOrdersFilter(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Le Rouge et le Noir", 0, false)
		day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		placed := placeListed(t, e, st, book, []listed{
			{"ord_a", "anne@example.org", "Anne Dupont", shop.OrderPaid, day(1, 5), 0},
			{"ord_b", "bruno@example.org", "Bruno Martin", shop.OrderShipped, day(1, 20), 0},
			{"ord_c", "claire@example.org", "Claire Dupont", shop.OrderPending, day(2, 3), 0},
			{"ord_d", "anne@example.org", "Anne Dupont", shop.OrderRefunded, day(2, 14), 2300},
			{"ord_e", "eric_x@example.org", "Éric 100%", shop.OrderCancelled, day(3, 1), 0},
		})
		a := placed["ord_a"]
		err := st.UpdateOrder(ctx, a.ID, shop.OrderPaid, "system", "", func(tx shop.OrderTx, o *shop.Order) error {
			return tx.IssueInvoice(ctx, &shop.Invoice{OrderID: o.ID, Kind: shop.KindInvoice, IssuedAt: o.PaidAt, AmountCents: o.TotalCents}, pdfOf)
		})
		if err != nil {
			t.Fatal(err)
		}
		d := placed["ord_d"]
		err = st.UpdateOrder(ctx, d.ID, shop.OrderRefunded, "system", "", func(tx shop.OrderTx, o *shop.Order) error {
			return tx.IssueInvoice(ctx, &shop.Invoice{OrderID: o.ID, Kind: shop.KindCredit, IssuedAt: o.PaidAt, AmountCents: 2300}, pdfOf)
		})
		if err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			name      string
			f         shop.OrderFilter
			want      []string
			wantTotal int
		}{
			{"OKAll", shop.OrderFilter{}, []string{"ord_e", "ord_d", "ord_c", "ord_b", "ord_a"}, 5},
			{"OKStatus", shop.OrderFilter{Status: shop.OrderPaid}, []string{"ord_a"}, 1},
			{"OKEmailAnyCase", shop.OrderFilter{Query: "ANNE@"}, []string{"ord_d", "ord_a"}, 2},
			{"OKName", shop.OrderFilter{Query: "dupont"}, []string{"ord_d", "ord_c", "ord_a"}, 3},
			{"OKReference", shop.OrderFilter{Query: "ord_b"}, []string{"ord_b"}, 1},
			{"OKInvoiceNumber", shop.OrderFilter{Query: "F2026-000001"}, []string{"ord_a"}, 1},
			{"OKCreditNumber", shop.OrderFilter{Query: "a2026-000001"}, []string{"ord_d"}, 1},
			{"OKWildcardsLiteral", shop.OrderFilter{Query: "100%"}, []string{"ord_e"}, 1},
			{"OKUnderscoreLiteral", shop.OrderFilter{Query: "c_x"}, []string{"ord_e"}, 1},
			{"OKDates", shop.OrderFilter{From: day(1, 20), To: day(2, 14)}, []string{"ord_c", "ord_b"}, 2},
			{"OKPage", shop.OrderFilter{Offset: 1, Limit: 2}, []string{"ord_d", "ord_c"}, 5},
			{"OKPastTheEnd", shop.OrderFilter{Offset: 9}, []string{}, 5},
			{"OKNone", shop.OrderFilter{Query: "personne"}, []string{}, 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, total, err := st.Orders(ctx, c.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, refs(got)); diff != "" || total != c.wantTotal {
					t.Errorf("total %d, want %d; orders (-want +got):\n%s", total, c.wantTotal, diff)
				}
				for _, o := range got {
					if len(o.Lines) != 1 || len(o.VAT) != 1 {
						t.Errorf("%s listed without its lines: %+v %+v", o.Reference, o.Lines, o.VAT)
					}
				}
			})
		}

		t.Run("OKEachOrder", func(t *testing.T) {
			var got []string
			err := st.EachOrder(ctx, shop.OrderFilter{Query: "dupont", Limit: 1, Offset: 2}, func(o *shop.Order) error {
				got = append(got, o.Reference)
				if len(o.Lines) != 1 {
					t.Errorf("%s exported without its lines", o.Reference)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"ord_a", "ord_c", "ord_d"}, got); diff != "" {
				t.Errorf("exported (-want +got):\n%s", diff)
			}
			stop := errors.New("stop")
			n := 0
			if err := st.EachOrder(ctx, shop.OrderFilter{}, func(*shop.Order) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
				t.Errorf("stopping: %v after %d", err, n)
			}
		})
		t.Run("OKOrdersByEmail", func(t *testing.T) {
			got, err := st.OrdersByEmail(ctx, " Anne@Example.org ")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"ord_a", "ord_d"}, refs(got)); diff != "" {
				t.Errorf("orders of anne (-want +got):\n%s", diff)
			}
			none, err := st.OrdersByEmail(ctx, "nobody@example.org")
			if err != nil || len(none) != 0 {
				t.Errorf("orders of nobody: %v, %v", none, err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := st.Order(ctx, 987654); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown id: %v", err)
			}
			if _, err := st.OrderByReference(ctx, "ord_nope"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("unknown reference: %v", err)
			}
		})
	})
}

func TestSalesByMonth(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Le Rouge et le Noir", 0, false)
		placeListed(t, e, st, book, []listed{
			{"ord_jan", "a@example.org", "A", shop.OrderPaid, time.Date(2026, 1, 10, 12, 0, 0, 0, time.UTC), 0},
			// 31 January 23:30 UTC is already February in Paris.
			{"ord_feb_paris", "b@example.org", "B", shop.OrderDelivered, time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC), 0},
			{"ord_feb", "c@example.org", "C", shop.OrderRefunded, time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC), 2300},
			{"ord_feb_pending", "d@example.org", "D", shop.OrderPending, time.Date(2026, 2, 21, 12, 0, 0, 0, time.UTC), 0},
			{"ord_feb_cancelled", "e@example.org", "E", shop.OrderCancelled, time.Date(2026, 2, 22, 12, 0, 0, 0, time.UTC), 0},
			{"ord_apr", "f@example.org", "F", shop.OrderShipped, time.Date(2026, 4, 2, 12, 0, 0, 0, time.UTC), 0},
		})
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, e.paris)
		to := time.Date(2026, 4, 1, 0, 0, 0, 0, e.paris)
		got, err := st.SalesByMonth(ctx, from, to, e.paris)
		if err != nil {
			t.Fatal(err)
		}
		want := []shop.MonthSales{
			{Month: from, Orders: 1, GoodsCents: 2000, ShippingCents: 300},
			{Month: time.Date(2026, 2, 1, 0, 0, 0, 0, e.paris), Orders: 2, GoodsCents: 4000, ShippingCents: 600, RefundedCents: 2300},
			{Month: time.Date(2026, 3, 1, 0, 0, 0, 0, e.paris)},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sales (-want +got):\n%s", diff)
		}
	})
}

func TestExpiredOrders(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Le Rouge et le Noir", 0, false)
		now := e.clock.Now()
		placed := placeListed(t, e, st, book, []listed{
			{"ord_old", "a@example.org", "A", shop.OrderPending, now.Add(-3 * time.Hour), 0},
			{"ord_older", "b@example.org", "B", shop.OrderPending, now.Add(-5 * time.Hour), 0},
			{"ord_fresh", "c@example.org", "C", shop.OrderPending, now, 0},
			{"ord_paid", "d@example.org", "D", shop.OrderPaid, now.Add(-5 * time.Hour), 0},
		})
		// The provider's session moves the expiry of ord_fresh to the past
		// and an order without session expires never.
		if err := st.SetOrderSession(ctx, placed["ord_fresh"].ID, "stripe", "cs_fresh", now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		noExpiry := newOrder(e, "ord_no_expiry", "e@example.org", line(book, "Le Rouge et le Noir", 1))
		noExpiry.ExpiresAt, noExpiry.CreatedAt = time.Time{}, now.Add(-24*time.Hour)
		if err := st.PlaceOrder(ctx, noExpiry, nil); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			limit int
			want  []string
		}{
			{"OKAll", 10, []string{"ord_older", "ord_old", "ord_fresh"}},
			{"OKLimit", 2, []string{"ord_older", "ord_old"}},
		} {
			t.Run(c.name, func(t *testing.T) {
				got, err := st.ExpiredOrders(ctx, now, c.limit)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(c.want, refs(got)); diff != "" {
					t.Errorf("expired (-want +got):\n%s", diff)
				}
			})
		}
		t.Run("OKSession", func(t *testing.T) {
			got, err := st.Order(ctx, placed["ord_fresh"].ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Provider != "stripe" || got.SessionID != "cs_fresh" || !got.ExpiresAt.Equal(now.Add(-time.Hour)) {
				t.Errorf("session = %s %s %s", got.Provider, got.SessionID, got.ExpiresAt)
			}
		})
		t.Run("ErrSessionOfPaid", func(t *testing.T) {
			err := st.SetOrderSession(ctx, placed["ord_paid"].ID, "stripe", "cs_late", now)
			if !apperr.Is(err, apperr.Conflict) {
				t.Errorf("session of a paid order: %v", err)
			}
			if err := st.SetOrderSession(ctx, 987654, "stripe", "cs_ghost", now); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("session of no order: %v", err)
			}
		})
	})
}
