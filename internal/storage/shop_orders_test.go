package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/storage/storagetest"
)

// rawExec runs SQL the stores do not offer (setting up books, reading
// counts) on the write pool of either database.
func rawExec(t testing.TB, db *storage.DB, q string, args ...any) {
	t.Helper()
	var err error
	if db.Dialect() == storage.Postgres {
		_, err = db.Pool().Exec(context.Background(), q, args...)
	} else {
		_, err = db.SQLWrite().ExecContext(context.Background(), q, args...)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// rawInt returns the integer q selects.
func rawInt(t testing.TB, db *storage.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	var err error
	if db.Dialect() == storage.Postgres {
		err = db.Pool().QueryRow(context.Background(), q, args...).Scan(&n)
	} else {
		err = db.SQLWrite().QueryRowContext(context.Background(), q, args...).Scan(&n)
	}
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// addBook inserts a book with stock copies, tracked or ordered on demand.
func addBook(t testing.TB, db *storage.DB, title string, stock int, tracked bool) int64 {
	t.Helper()
	n := rawInt(t, db, "SELECT COUNT(*) FROM books") + 1
	q := `INSERT INTO books (record_ref, isbn, slug, title, format, condition, status, stock, track_stock, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'print', 'new', 'active', $5, $6, $7, $7) RETURNING id`
	var at any = epoch
	if db.Dialect() == storage.SQLite {
		at = epoch.Format("2006-01-02 15:04:05.000000+00:00")
	}
	args := []any{fmt.Sprintf("test:%d", n), fmt.Sprintf("97820000%05d", n), fmt.Sprintf("livre-%d", n), title, stock, tracked, at}
	var id int64
	var err error
	if db.Dialect() == storage.Postgres {
		err = db.Pool().QueryRow(context.Background(), q, args...).Scan(&id)
	} else {
		err = db.SQLWrite().QueryRowContext(context.Background(), q, args...).Scan(&id)
	}
	if err != nil {
		t.Fatalf("add book %q: %v", title, err)
	}
	return id
}

func stockOf(t testing.TB, db *storage.DB, book int64) int64 {
	t.Helper()
	return rawInt(t, db, "SELECT stock FROM books WHERE id = $1", book)
}

// line is an order line of one book at 20 € a copy, 5.5 % VAT.
func line(book int64, title string, q int) shop.OrderLine {
	return shop.OrderLine{BookID: book, ISBN: "9782000000000", Title: title, Format: shop.FormatPrint, Condition: shop.ConditionNew,
		PublisherCents: 2000, UnitCents: 2000, Quantity: q, VATRate: 550}
}

// newOrder is a pending order of lines, to be delivered in Lyon, placed
// at e.clock's time.
func newOrder(e *env, ref, email string, lines ...shop.OrderLine) *shop.Order {
	now := e.clock.Now()
	o := &shop.Order{Reference: ref, Status: shop.OrderPending, Email: email,
		ShipTo: shop.Address{Name: "Inès Lambert", Line1: "12 rue des Lilas", PostalCode: "69001", City: "Lyon", Country: "FR"},
		BillTo: shop.Address{Name: "Inès Lambert", Company: "Les Lilas", SIREN: "123456789", Line1: "12 rue des Lilas",
			PostalCode: "69001", City: "Lyon", Country: "FR", Phone: "+33600000000"},
		Carrier: "colissimo", CarrierName: "Colissimo", Delivery: shop.DeliveryHome, Lines: lines, ShippingCents: 300,
		ShippingWhy: "darcos", VATMode: shop.VATLiable, Lang: "fr", Provider: "stripe", CreatedAt: now, UpdatedAt: now,
		ExpiresAt: now.Add(30 * time.Minute)}
	for _, l := range lines {
		o.GoodsCents += l.TotalCents()
	}
	o.TotalCents = o.GoodsCents + o.ShippingCents
	o.VAT = []shop.VATLine{{Rate: 550, BaseCents: o.TotalCents * 10000 / 10550, VATCents: o.TotalCents - o.TotalCents*10000/10550,
		TotalCents: o.TotalCents}}
	return o
}

func TestPlaceOrderReservesStock(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		tracked := addBook(t, e.db, "Certaines n'avaient jamais vu la mer", 5, true)
		onDemand := addBook(t, e.db, "La Ferme des animaux", 0, false)
		o := newOrder(e, "ord_place", "ines@example.org", line(tracked, "Certaines n'avaient jamais vu la mer", 2),
			line(onDemand, "La Ferme des animaux", 3))
		mails := &mailQueue{db: e.db}
		err := st.PlaceOrder(ctx, o, func(tx shop.OrderTx) error {
			return tx.Enqueue(ctx, job.Job{Args: job.Email{To: []string{o.Email}, Subject: "commande " + o.Reference}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if o.ID == 0 || o.PersonID == 0 || o.Lines[0].ID == 0 || o.Lines[1].ID == 0 {
			t.Fatalf("ids not set: order %d, person %d, lines %+v", o.ID, o.PersonID, o.Lines)
		}
		t.Run("OKStock", func(t *testing.T) {
			if got, want := stockOf(t, e.db, tracked), int64(3); got != want {
				t.Errorf("tracked stock = %d, want %d", got, want)
			}
			if got, want := stockOf(t, e.db, onDemand), int64(0); got != want {
				t.Errorf("on-demand stock = %d, want %d", got, want)
			}
			// The catalogue's stock history says why.
			if got := rawInt(t, e.db, `SELECT COUNT(*) FROM book_stock_moves
				WHERE book_id = $1 AND delta = -2 AND stock_after = 3 AND reason = 'order ord_place'`, tracked); got != 1 {
				t.Errorf("stock moves of the reservation = %d, want 1", got)
			}
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM book_stock_moves WHERE book_id = $1", onDemand); got != 0 {
				t.Errorf("stock moves of an on-demand book = %d, want 0", got)
			}
		})
		t.Run("OKRoundTrip", func(t *testing.T) {
			got, err := st.Order(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(o, got); diff != "" {
				t.Errorf("order read back (-placed +read):\n%s", diff)
			}
			byRef, err := st.OrderByReference(ctx, "ord_place")
			if err != nil || byRef.ID != o.ID {
				t.Errorf("by reference: %+v, %v", byRef, err)
			}
		})
		t.Run("OKThenEnqueued", func(t *testing.T) {
			if got := mails.next(t); len(got) != 1 {
				t.Errorf("emails = %v, want the one enqueued by then", got)
			}
		})
		t.Run("OKSamePerson", func(t *testing.T) {
			again := newOrder(e, "ord_place_2", "ines@example.org", line(onDemand, "La Ferme des animaux", 100))
			again.BillTo.Name = "Inès Lambert-Roux"
			if err := st.PlaceOrder(ctx, again, nil); err != nil {
				t.Fatal(err)
			}
			if again.PersonID != o.PersonID {
				t.Errorf("person = %d, want %d", again.PersonID, o.PersonID)
			}
			if got := rawInt(t, e.db, "SELECT COUNT(*) FROM people WHERE email = 'ines@example.org' AND name = 'Inès Lambert-Roux'"); got != 1 {
				t.Errorf("person renamed: %d rows", got)
			}
		})
		t.Run("ErrDuplicateReference", func(t *testing.T) {
			dup := newOrder(e, "ord_place", "other@example.org", line(tracked, "Certaines n'avaient jamais vu la mer", 1))
			if err := st.PlaceOrder(ctx, dup, nil); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("duplicate reference: %v", err)
			}
			if got, want := stockOf(t, e.db, tracked), int64(3); got != want {
				t.Errorf("stock after a refused order = %d, want %d", got, want)
			}
		})
		t.Run("ErrUnknownBook", func(t *testing.T) {
			err := st.PlaceOrder(ctx, newOrder(e, "ord_ghost", "ghost@example.org", line(987654, "Fantôme", 1)), nil)
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("unknown book: %v", err)
			}
		})
		t.Run("ErrThenFails", func(t *testing.T) {
			boom := errors.New("boom")
			err := st.PlaceOrder(ctx, newOrder(e, "ord_then", "then@example.org", line(tracked, "Certaines", 1)),
				func(shop.OrderTx) error { return boom })
			if !errors.Is(err, boom) {
				t.Fatalf("then's error: %v", err)
			}
			if got, want := stockOf(t, e.db, tracked), int64(3); got != want {
				t.Errorf("stock after then failed = %d, want %d", got, want)
			}
			if _, err := st.OrderByReference(ctx, "ord_then"); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("order kept after then failed: %v", err)
			}
		})
	})
}

func TestPlaceOrderOutOfStock(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		plenty := addBook(t, e.db, "Les Misérables", 5, true)
		scarce := addBook(t, e.db, "Le Horla", 1, true)
		first := newOrder(e, "ord_first", "paul@example.org", line(plenty, "Les Misérables", 1))
		first.BillTo.Name = "Paul Martin"
		if err := st.PlaceOrder(ctx, first, nil); err != nil {
			t.Fatal(err)
		}
		orders := rawInt(t, e.db, "SELECT COUNT(*) FROM orders")

		short := newOrder(e, "ord_short", "paul@example.org", line(plenty, "Les Misérables", 2), line(scarce, "Le Horla", 2))
		short.BillTo.Name = "Paul Renamed"
		err := st.PlaceOrder(ctx, short, nil)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Kind != apperr.Conflict || ae.Key != "error.shop.out_of_stock" {
			t.Fatalf("short order: %v", err)
		}
		if diff := cmp.Diff([]any{"Le Horla"}, ae.Args); diff != "" {
			t.Errorf("args (-want +got):\n%s", diff)
		}
		for _, c := range []struct {
			name string
			got  int64
			want int64
		}{
			{"plenty's stock", stockOf(t, e.db, plenty), 4},
			{"scarce's stock", stockOf(t, e.db, scarce), 1},
			{"orders", rawInt(t, e.db, "SELECT COUNT(*) FROM orders"), orders},
			{"order lines", rawInt(t, e.db, "SELECT COUNT(*) FROM order_lines"), 1},
			{"order vat", rawInt(t, e.db, "SELECT COUNT(*) FROM order_vat"), 1},
			{"person renamed", rawInt(t, e.db, "SELECT COUNT(*) FROM people WHERE name = 'Paul Renamed'"), 0},
		} {
			if c.got != c.want {
				t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
			}
		}
	})
}

// TestLastCopyRace has checkouts race for the last copy of a book: one
// gets it, every other is refused, and the stock never goes below zero.
func TestLastCopyRace(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		st := storage.NewOrderStore(e.db)
		for _, racers := range []int{2, 20} {
			t.Run(fmt.Sprintf("OK%dRacers", racers), func(t *testing.T) {
				book := addBook(t, e.db, fmt.Sprintf("Dernier exemplaire %d", racers), 1, true)
				other := addBook(t, e.db, fmt.Sprintf("Un autre %d", racers), 50, true)
				var wg sync.WaitGroup
				errs := make([]error, racers)
				start := make(chan struct{})
				for i := range racers {
					wg.Go(func() {
						<-start
						// Some take another book first, so lock order matters.
						o := newOrder(e, fmt.Sprintf("ord_race_%d_%d", racers, i), fmt.Sprintf("racer%d@example.org", i),
							line(other, "Un autre", 1), line(book, "Dernier exemplaire", 1))
						errs[i] = st.PlaceOrder(context.Background(), o, nil)
					})
				}
				close(start)
				wg.Wait()
				won := 0
				for i, err := range errs {
					var ae *apperr.Error
					switch {
					case err == nil:
						won++
					case errors.As(err, &ae) && ae.Kind == apperr.Conflict && ae.Key == "error.shop.out_of_stock":
					default:
						t.Errorf("racer %d: %v", i, err)
					}
				}
				if won != 1 {
					t.Errorf("%d racers got the last copy, want 1", won)
				}
				if got := stockOf(t, e.db, book); got != 0 {
					t.Errorf("stock = %d, want 0", got)
				}
				if got, want := stockOf(t, e.db, other), int64(49); got != want {
					t.Errorf("other book's stock = %d, want %d (only the winner's copy)", got, want)
				}
			})
		}
	})
}

func TestOrderEventAppliedOnce(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Vendredi ou la Vie sauvage", 3, false)
		o := newOrder(e, "ord_event", "lea@example.org", line(book, "Vendredi", 1))
		if err := st.PlaceOrder(ctx, o, nil); err != nil {
			t.Fatal(err)
		}
		if err := st.SetOrderSession(ctx, o.ID, "stripe", "cs_test_event", e.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		paid := func(tx shop.OrderTx) error {
			got, err := tx.OrderBySession(ctx, "cs_test_event")
			if err != nil {
				return err
			}
			if got.Status != shop.OrderPending {
				return fmt.Errorf("applied twice: order is %s", got.Status)
			}
			got.Status, got.PaymentID, got.PaidAt, got.UpdatedAt = shop.OrderPaid, "pi_event", e.clock.Now(), e.clock.Now()
			if err := tx.SaveOrderStatus(ctx, got, shop.OrderPending, "stripe", "checkout.session.completed"); err != nil {
				return err
			}
			return tx.Enqueue(ctx, job.Job{Args: job.Email{To: []string{got.Email}, Subject: "payée"}})
		}
		const deliveries = 10
		var wg sync.WaitGroup
		applied := make([]bool, deliveries)
		errs := make([]error, deliveries)
		for i := range deliveries {
			wg.Go(func() {
				applied[i], errs[i] = st.ApplyEvent(ctx, "stripe", "evt_order_paid", "checkout.session.completed", e.clock.Now(), paid)
			})
		}
		wg.Wait()
		n := 0
		for i := range deliveries {
			if errs[i] != nil {
				t.Errorf("delivery %d: %v", i, errs[i])
			}
			if applied[i] {
				n++
			}
		}
		if n != 1 {
			t.Errorf("applied %d times, want 1", n)
		}
		got, err := st.OrderByReference(ctx, "ord_event")
		if err != nil || got.Status != shop.OrderPaid || got.PaymentID != "pi_event" || !got.PaidAt.Equal(e.clock.Now()) {
			t.Fatalf("order after the event: %+v, %v", got, err)
		}
		if mails := (&mailQueue{db: e.db}).next(t); len(mails) != 1 {
			t.Errorf("emails = %v, want 1", mails)
		}
		t.Run("OKByPayment", func(t *testing.T) {
			_, err := st.ApplyEvent(ctx, "stripe", "evt_order_refund", "charge.refunded", e.clock.Now(), func(tx shop.OrderTx) error {
				got, err := tx.OrderByPayment(ctx, "pi_event")
				if err != nil || got.ID != o.ID {
					return fmt.Errorf("by payment: %+v, %w", got, err)
				}
				_, err = tx.OrderByPayment(ctx, "pi_unknown")
				if !apperr.Is(err, apperr.NotFound) {
					return fmt.Errorf("unknown payment: %w", err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrApplyRetried", func(t *testing.T) {
			boom := errors.New("boom")
			if _, err := st.ApplyEvent(ctx, "stripe", "evt_retry", "x", e.clock.Now(), func(shop.OrderTx) error { return boom }); !errors.Is(err, boom) {
				t.Fatalf("apply's error: %v", err)
			}
			ok, err := st.ApplyEvent(ctx, "stripe", "evt_retry", "x", e.clock.Now(), func(shop.OrderTx) error { return nil })
			if err != nil || !ok {
				t.Fatalf("retry after a failure: %v, %v", ok, err)
			}
		})
		t.Run("OKSharedWithDonations", func(t *testing.T) {
			ds := storage.NewDonationStore(e.db)
			if ok, err := ds.ApplyEvent(ctx, "stripe", "evt_shared", "x", e.clock.Now(), func(donations.Tx) error { return nil }); !ok || err != nil {
				t.Fatalf("donations: %v, %v", ok, err)
			}
			ok, err := st.ApplyEvent(ctx, "stripe", "evt_shared", "x", e.clock.Now(), func(shop.OrderTx) error {
				return errors.New("applied an event the donations applied")
			})
			if ok || err != nil {
				t.Fatalf("shop: %v, %v", ok, err)
			}
		})
	})
}

func TestOrderStatusTransitions(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Bonjour tristesse", 10, true)
		o := newOrder(e, "ord_status", "sam@example.org", line(book, "Bonjour tristesse", 1))
		if err := st.PlaceOrder(ctx, o, nil); err != nil {
			t.Fatal(err)
		}
		at := e.clock.Now().Add(time.Minute)
		if _, err := st.ApplyEvent(ctx, "stripe", "evt_status_paid", "x", at, func(tx shop.OrderTx) error {
			got, err := tx.OrderByReference(ctx, o.Reference)
			if err != nil {
				return err
			}
			got.Status, got.PaidAt, got.UpdatedAt = shop.OrderPaid, at, at
			return tx.SaveOrderStatus(ctx, got, shop.OrderPending, "stripe", "")
		}); err != nil {
			t.Fatal(err)
		}

		t.Run("ErrStaleFrom", func(t *testing.T) {
			_, err := st.ApplyEvent(ctx, "stripe", "evt_status_stale", "x", at, func(tx shop.OrderTx) error {
				got, err := tx.OrderByReference(ctx, o.Reference)
				if err != nil {
					return err
				}
				got.Status = shop.OrderCancelled
				return tx.SaveOrderStatus(ctx, got, shop.OrderPending, "system", "expired")
			})
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Kind != apperr.Conflict || ae.Key != "error.shop.order_changed" {
				t.Fatalf("stale transition: %v", err)
			}
			if err := st.UpdateOrder(ctx, o.ID, shop.OrderPending, "admin", "", func(shop.OrderTx, *shop.Order) error {
				return errors.New("apply ran on an order in another status")
			}); !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("update from a stale status: %v", err)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			err := st.UpdateOrder(ctx, 987654, shop.OrderPaid, "admin", "", func(shop.OrderTx, *shop.Order) error { return nil })
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("unknown order: %v", err)
			}
		})
		t.Run("ErrApplyRollsBack", func(t *testing.T) {
			boom := errors.New("boom")
			err := st.UpdateOrder(ctx, o.ID, shop.OrderPaid, "admin", "", func(_ shop.OrderTx, got *shop.Order) error {
				got.Status = shop.OrderPreparing
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("apply's error: %v", err)
			}
			if got, _ := st.Order(ctx, o.ID); got.Status != shop.OrderPaid {
				t.Errorf("status = %s after a failed update", got.Status)
			}
		})
		t.Run("OKOneOfTwoAdmins", func(t *testing.T) {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range errs {
				wg.Go(func() {
					errs[i] = st.UpdateOrder(ctx, o.ID, shop.OrderPaid, fmt.Sprintf("admin%d", i), "colis en préparation",
						func(_ shop.OrderTx, got *shop.Order) error {
							got.Status, got.UpdatedAt = shop.OrderPreparing, at.Add(time.Hour)
							return nil
						})
				})
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch {
				case err == nil:
					ok++
				case !apperr.Is(err, apperr.Conflict):
					t.Errorf("update: %v", err)
				}
			}
			if ok != 1 {
				t.Errorf("%d admins moved the order, want 1", ok)
			}
		})
		t.Run("OKHistory", func(t *testing.T) {
			h, err := st.OrderHistory(ctx, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 2 {
				t.Fatalf("history = %+v, want 2 changes", h)
			}
			if h[0].From != shop.OrderPending || h[0].To != shop.OrderPaid || h[0].Actor != "stripe" || !h[0].At.Equal(at) {
				t.Errorf("first change = %+v", h[0])
			}
			if h[1].From != shop.OrderPaid || h[1].To != shop.OrderPreparing || h[1].Note != "colis en préparation" {
				t.Errorf("second change = %+v", h[1])
			}
			if none, err := st.OrderHistory(ctx, 987654); err != nil || len(none) != 0 {
				t.Errorf("history of nothing: %v, %v", none, err)
			}
		})
	})
}

func TestReleaseStock(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		tracked := addBook(t, e.db, "L'Étranger", 5, true)
		later := addBook(t, e.db, "La Peste", 0, false)
		o := newOrder(e, "ord_release", "tom@example.org", line(tracked, "L'Étranger", 2), line(later, "La Peste", 1))
		if err := st.PlaceOrder(ctx, o, nil); err != nil {
			t.Fatal(err)
		}
		// The second book starts tracking its stock after the order: its
		// copy was never taken, so none goes back.
		rawExec(t, e.db, "UPDATE books SET track_stock = TRUE, stock = 4 WHERE id = $1", later)
		cancel := func(tx shop.OrderTx, got *shop.Order) error {
			if err := tx.ReleaseStock(ctx, got); err != nil {
				return err
			}
			if err := tx.ReleaseStock(ctx, got); err != nil { // twice in one go
				return err
			}
			got.Status = shop.OrderCancelled
			return nil
		}
		if err := st.UpdateOrder(ctx, o.ID, shop.OrderPending, "system", "checkout expired", cancel); err != nil {
			t.Fatal(err)
		}
		if _, err := st.ApplyEvent(ctx, "stripe", "evt_expired", "checkout.session.expired", e.clock.Now(), func(tx shop.OrderTx) error {
			got, err := tx.OrderByReference(ctx, o.Reference)
			if err != nil {
				return err
			}
			return tx.ReleaseStock(ctx, got) // a late event for the same order
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			book int64
			want int64
		}{
			{"tracked", tracked, 5},
			{"tracked since", later, 4},
		} {
			if got := stockOf(t, e.db, c.book); got != c.want {
				t.Errorf("%s: stock = %d, want %d", c.name, got, c.want)
			}
		}
		if got := rawInt(t, e.db, `SELECT COUNT(*) FROM book_stock_moves
			WHERE book_id = $1 AND delta = 2 AND stock_after = 5 AND reason = 'order ord_release released'`, tracked); got != 1 {
			t.Errorf("stock moves of the release = %d, want 1", got)
		}
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := st.ApplyEvent(ctx, "stripe", "evt_release_ghost", "x", e.clock.Now(), func(tx shop.OrderTx) error {
				return tx.ReleaseStock(ctx, &shop.Order{ID: 987654})
			})
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("release of nothing: %v", err)
			}
		})
	})
}

// TestUpdateOrderAfterApplySaved: the service records a refund (saving
// the order) inside a cancellation; the final save goes on from there.
func TestUpdateOrderAfterApplySaved(t *testing.T) {
	storagetest.ForEach(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		ctx := context.Background()
		st := storage.NewOrderStore(e.db)
		book := addBook(t, e.db, "Le Petit Prince", 0, false)
		place := func(ref string) *shop.Order {
			o := newOrder(e, ref, "eva@example.org", line(book, "Le Petit Prince", 1))
			o.Status, o.PaidAt = shop.OrderPaid, e.clock.Now()
			if err := st.PlaceOrder(ctx, o, nil); err != nil {
				t.Fatal(err)
			}
			return o
		}
		refund := func(tx shop.OrderTx, o *shop.Order, cents int64, to shop.OrderStatus) error {
			from := o.Status
			o.RefundedCents += cents
			o.Status, o.UpdatedAt = to, o.UpdatedAt.Add(time.Second)
			return tx.SaveOrderStatus(ctx, o, from, "admin", fmt.Sprintf("refund %d", cents))
		}
		statuses := func(t *testing.T, id int64) []string {
			t.Helper()
			h, err := st.OrderHistory(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range h {
				got = append(got, string(c.From)+">"+string(c.To)+" "+c.Note)
			}
			return got
		}
		t.Run("OKCancelAfterRefund", func(t *testing.T) {
			o := place("ord_cancel_refund")
			err := st.UpdateOrder(ctx, o.ID, shop.OrderPaid, "admin", "plus disponible", func(tx shop.OrderTx, o *shop.Order) error {
				if err := refund(tx, o, o.TotalCents, shop.OrderRefunded); err != nil {
					return err
				}
				o.Status = shop.OrderCancelled
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"paid>refunded refund 2300", "refunded>cancelled plus disponible"}
			if diff := cmp.Diff(want, statuses(t, o.ID)); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
			if got, _ := st.Order(ctx, o.ID); got.Status != shop.OrderCancelled || got.RefundedCents != o.TotalCents {
				t.Errorf("order = %s, refunded %d", got.Status, got.RefundedCents)
			}
		})
		t.Run("OKPartialRefundSavedOnce", func(t *testing.T) {
			o := place("ord_partial")
			err := st.UpdateOrder(ctx, o.ID, shop.OrderPaid, "admin", "abîmé", func(tx shop.OrderTx, o *shop.Order) error {
				return refund(tx, o, 500, shop.OrderPaid)
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"paid>paid refund 500"}, statuses(t, o.ID)); diff != "" {
				t.Errorf("history (-want +got):\n%s", diff)
			}
		})
	})
}
