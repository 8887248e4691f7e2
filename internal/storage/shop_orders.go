package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/shop"
)

// EntityOrder names the shop's orders: the back office's dashboard counts
// them. Placing or releasing an order also changes its books' stock, which
// is announced as EntityBook.
const EntityOrder = "order"

// EntityBook names the shop's books, whose pages show what is in stock.
const EntityBook = "book"

// OrderStore implements shop.OrderStore.
type OrderStore struct{ db *DB }

// NewOrderStore returns the order store of db.
func NewOrderStore(db *DB) *OrderStore { return &OrderStore{db: db} }

var _ shop.OrderStore = (*OrderStore)(nil)

// addressFields are the columns of an address, after their ship_ or bill_
// prefix, in the order addressArgs gives them.
var addressFields = []string{"name", "company", "siren", "line1", "line2", "postal_code", "city", "country", "phone"}

func addressColumns(prefix string) string {
	cols := make([]string, len(addressFields))
	for i, f := range addressFields {
		cols[i] = prefix + f
	}
	return strings.Join(cols, ", ")
}

func addressArgs(a *shop.Address) []any {
	return []any{a.Name, a.Company, a.SIREN, a.Line1, a.Line2, a.PostalCode, a.City, a.Country, a.Phone}
}

func addressDest(a *shop.Address) []any {
	return []any{&a.Name, &a.Company, &a.SIREN, &a.Line1, &a.Line2, &a.PostalCode, &a.City, &a.Country, &a.Phone}
}

// orderColumns are the columns scanOrder reads, in its order, from orders
// named o.
var orderColumns = `o.id, o.reference, o.status, o.email, COALESCE(o.person_id, 0), ` +
	addressColumns("o.ship_") + ", " + addressColumns("o.bill_") + `,
	o.carrier, o.carrier_name, o.delivery, o.goods_cents, o.shipping_cents, o.total_cents, o.shipping_why, o.vat_mode,
	o.vat_exemption, o.lang, o.provider, o.session_id, o.payment_id, o.refunded_cents, o.tracking, o.invoice_number, o.note,
	o.created_at, o.expires_at, o.paid_at, o.shipped_at, o.delivered_at, o.updated_at`

func scanOrder(r interface{ Scan(...any) error }) (*shop.Order, error) {
	o := &shop.Order{}
	var status, delivery, vatMode string
	var created, expires, paid, shipped, delivered, updated dbTime
	dest := []any{&o.ID, &o.Reference, &status, &o.Email, &o.PersonID}
	dest = append(dest, addressDest(&o.ShipTo)...)
	dest = append(dest, addressDest(&o.BillTo)...)
	dest = append(dest, &o.Carrier, &o.CarrierName, &delivery, &o.GoodsCents, &o.ShippingCents, &o.TotalCents, &o.ShippingWhy,
		&vatMode, &o.VATExemption, &o.Lang, &o.Provider, &o.SessionID, &o.PaymentID, &o.RefundedCents, &o.Tracking,
		&o.InvoiceNumber, &o.Note, &created, &expires, &paid, &shipped, &delivered, &updated)
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	o.Status, o.Delivery, o.VATMode = shop.OrderStatus(status), shop.DeliveryKind(delivery), shop.VATMode(vatMode)
	o.CreatedAt, o.ExpiresAt, o.PaidAt, o.ShippedAt, o.DeliveredAt, o.UpdatedAt = created.t, expires.t, paid.t, shipped.t,
		delivered.t, updated.t
	return o, nil
}

// PlaceOrder implements shop.OrderStore.
func (s *OrderStore) PlaceOrder(ctx context.Context, o *shop.Order, then func(shop.OrderTx) error) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := recordBuyer(ctx, tx.q, o); err != nil {
			return err
		}
		if err := insertOrder(ctx, tx.q, o); err != nil {
			return err
		}
		reserved, err := reserveStock(ctx, tx.q, o.Reference, o.CreatedAt, o.Lines)
		if err != nil {
			return err
		}
		if err := insertOrderLines(ctx, tx.q, o, reserved); err != nil {
			return err
		}
		for _, v := range o.VAT {
			if _, err := tx.q.exec(ctx, `INSERT INTO order_vat (order_id, rate, base_cents, vat_cents, total_cents)
				VALUES ($1, $2, $3, $4, $5)`, o.ID, v.Rate, v.BaseCents, v.VATCents, v.TotalCents); err != nil {
				return normalize(fmt.Errorf("record vat of order %s: %w", o.Reference, err))
			}
		}
		tx.changed(Change{Entity: EntityOrder, IDs: []int64{o.ID}})
		if books := reservedBooks(o.Lines, reserved); len(books) > 0 {
			tx.changed(Change{Entity: EntityBook, IDs: books})
		}
		if then == nil {
			return nil
		}
		return then(&orderTx{tx: tx})
	})
}

// recordBuyer creates or renames the person of o's email, shared with
// comments and donations, and sets o.PersonID.
func recordBuyer(ctx context.Context, q querier, o *shop.Order) error {
	if o.Email == "" {
		return nil
	}
	name := cmp.Or(o.BillTo.Name, o.ShipTo.Name)
	at := cmp.Or(o.CreatedAt, o.UpdatedAt).UTC()
	err := q.queryRow(ctx, `INSERT INTO people (email, name, created_at, updated_at) VALUES ($1, $2, $3, $3)
		ON CONFLICT (email) WHERE email <> '' DO UPDATE
			SET name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE people.name END, updated_at = excluded.updated_at
		RETURNING id`, o.Email, name, at).Scan(&o.PersonID)
	if err != nil {
		return normalize(fmt.Errorf("record buyer's person: %w", err))
	}
	return nil
}

func insertOrder(ctx context.Context, q querier, o *shop.Order) error {
	if o.Status == "" {
		o.Status = shop.OrderPending
	}
	args := []any{o.Reference, string(o.Status), o.Email, nullID(o.PersonID)}
	args = append(args, addressArgs(&o.ShipTo)...)
	args = append(args, addressArgs(&o.BillTo)...)
	args = append(args, o.Carrier, o.CarrierName, string(o.Delivery), o.GoodsCents, o.ShippingCents, o.TotalCents, o.ShippingWhy,
		string(o.VATMode), o.VATExemption, o.Lang, o.Provider, o.SessionID, o.PaymentID, o.RefundedCents, o.Tracking,
		o.InvoiceNumber, o.Note, o.CreatedAt.UTC(), nullTime(o.ExpiresAt), nullTime(o.PaidAt), nullTime(o.ShippedAt),
		nullTime(o.DeliveredAt), cmp.Or(o.UpdatedAt, o.CreatedAt).UTC())
	err := q.queryRow(ctx, `INSERT INTO orders (reference, status, email, person_id, `+addressColumns("ship_")+", "+
		addressColumns("bill_")+`, carrier, carrier_name, delivery, goods_cents, shipping_cents, total_cents, shipping_why,
			vat_mode, vat_exemption, lang, provider, session_id, payment_id, refunded_cents, tracking, invoice_number, note,
			created_at, expires_at, paid_at, shipped_at, delivered_at, updated_at)
		VALUES (`+placeholders(1, len(args))+`) RETURNING id`, args...).Scan(&o.ID)
	if err != nil {
		return normalize(fmt.Errorf("record order %s: %w", o.Reference, err))
	}
	return nil
}

// reserveStock takes the lines' copies off the stock of the books that
// track it and returns, per line, how many it took. The conditional
// UPDATE is the whole guard: on PostgreSQL a second checkout waits for
// the first's row lock, then sees the stock it left; on SQLite the single
// writer runs them one after the other. Books are taken in id order, so
// two orders of the same books never wait for each other in a circle.
func reserveStock(ctx context.Context, q querier, ref string, at time.Time, lines []shop.OrderLine) ([]int, error) {
	reserved := make([]int, len(lines))
	idx := make([]int, 0, len(lines))
	for i, l := range lines {
		if l.BookID != 0 {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(lines[a].BookID, lines[b].BookID) })
	for _, i := range idx {
		l := lines[i]
		if l.Quantity <= 0 {
			return nil, apperr.Errorf(apperr.Invalid, "reserve book %d: quantity %d", l.BookID, l.Quantity)
		}
		var after int
		err := q.queryRow(ctx, `UPDATE books SET stock = stock - $2 WHERE id = $1 AND track_stock AND stock >= $2 RETURNING stock`,
			l.BookID, l.Quantity).Scan(&after)
		if err == nil {
			if err := recordStockMove(ctx, q, l.BookID, -l.Quantity, after, "order "+ref, at); err != nil {
				return nil, err
			}
			reserved[i] = l.Quantity
			continue
		}
		if err := normalize(err); !apperr.Is(err, apperr.NotFound) {
			return nil, fmt.Errorf("reserve %d copies of book %d: %w", l.Quantity, l.BookID, err)
		}
		var title string
		var stock int
		var tracked bool
		err = q.queryRow(ctx, "SELECT title, stock, track_stock FROM books WHERE id = $1", l.BookID).Scan(&title, &stock, &tracked)
		if err != nil {
			return nil, normalize(fmt.Errorf("reserve copies of book %d: %w", l.BookID, err))
		}
		if tracked {
			return nil, &apperr.Error{Kind: apperr.Conflict, Key: "error.shop.out_of_stock", Args: []any{title},
				Err: fmt.Errorf("reserve %d copies of book %d: %d left", l.Quantity, l.BookID, stock)}
		}
	}
	return reserved, nil
}

// recordStockMove says in the catalogue's stock history why a book's
// stock changed.
func recordStockMove(ctx context.Context, q querier, book int64, delta, after int, reason string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO book_stock_moves (book_id, delta, stock_after, reason, created_at) VALUES ($1, $2, $3, $4, $5)`,
		book, delta, after, reason, at.UTC())
	if err != nil {
		return normalize(fmt.Errorf("record stock move of book %d: %w", book, err))
	}
	return nil
}

func reservedBooks(lines []shop.OrderLine, reserved []int) []int64 {
	var ids []int64
	for i, n := range reserved {
		if n > 0 {
			ids = append(ids, lines[i].BookID)
		}
	}
	return ids
}

func insertOrderLines(ctx context.Context, q querier, o *shop.Order, reserved []int) error {
	for i := range o.Lines {
		l := &o.Lines[i]
		err := q.queryRow(ctx, `INSERT INTO order_lines (order_id, position, book_id, isbn, title, format, condition, publisher_cents,
				unit_cents, quantity, vat_rate, reserved)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			o.ID, i, nullID(l.BookID), l.ISBN, l.Title, string(l.Format), string(l.Condition), l.PublisherCents, l.UnitCents,
			l.Quantity, l.VATRate, reserved[i]).Scan(&l.ID)
		if err != nil {
			return normalize(fmt.Errorf("record line %d of order %s: %w", i+1, o.Reference, err))
		}
	}
	return nil
}

// SetOrderSession implements shop.OrderStore.
func (s *OrderStore) SetOrderSession(ctx context.Context, id int64, provider, sessionID string, expiresAt time.Time) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE orders SET provider = $2, session_id = $3, expires_at = $4 WHERE id = $1 AND status = 'pending'`,
			id, provider, sessionID, nullTime(expiresAt))
		if err != nil {
			return normalize(fmt.Errorf("record checkout of order %d: %w", id, err))
		}
		if n == 0 {
			return orderChanged(ctx, tx.q, id, "record checkout")
		}
		return nil
	})
}

// orderChanged explains why an update guarded by the order's status
// matched nothing: the order is gone (NotFound) or moved (Conflict).
func orderChanged(ctx context.Context, q querier, id int64, what string) error {
	var status string
	if err := q.queryRow(ctx, "SELECT status FROM orders WHERE id = $1", id).Scan(&status); err != nil {
		return normalize(fmt.Errorf("%s of order %d: %w", what, id, err))
	}
	return apperr.Wrap(fmt.Errorf("%s of order %d: it is %s", what, id, status), apperr.Conflict, "error.shop.order_changed")
}

// ApplyEvent implements shop.OrderStore, on the payment_events table the
// donations share: the event's row is inserted first, so a second delivery
// conflicts on the primary key and stops there (on PostgreSQL, a
// concurrent one waits for the first to commit, then stops).
func (s *OrderStore) ApplyEvent(ctx context.Context, provider, eventID, eventType string, at time.Time, apply func(shop.OrderTx) error) (bool, error) {
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
		return apply(&orderTx{tx: tx})
	})
	if err != nil {
		return false, err
	}
	return applied, nil
}

// UpdateOrder implements shop.OrderStore.
func (s *OrderStore) UpdateOrder(ctx context.Context, id int64, from shop.OrderStatus, actor, note string,
	apply func(shop.OrderTx, *shop.Order) error) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		t := &orderTx{tx: tx}
		o, err := t.one(ctx, fmt.Sprint(id), "o.id = $1", id)
		if err != nil {
			return err
		}
		if o.Status != from {
			return apperr.Wrap(fmt.Errorf("update order %d: it is %s, not %s", id, o.Status, from), apperr.Conflict,
				"error.shop.order_changed")
		}
		if err := apply(t, o); err != nil {
			return err
		}
		// apply may have saved the order itself (a refund recorded on the
		// way to a cancellation): go on from the status it left, and save
		// nothing more when nothing changed since.
		if last, ok := t.saved[o.ID]; ok {
			if last == savedOf(o) {
				return nil
			}
			from = last.status
		}
		return t.SaveOrderStatus(ctx, o, from, actor, note)
	})
}

// orderTx implements shop.OrderTx.
type orderTx struct {
	tx *Tx
	// saved holds what SaveOrderStatus last wrote of each order.
	saved map[int64]savedOrder
}

// savedOrder is what SaveOrderStatus writes of an order.
type savedOrder struct {
	status                                shop.OrderStatus
	provider, session, payment, tracking  string
	note                                  string
	refunded                              int64
	expires, paid, shipped, delivered, at time.Time
}

func savedOf(o *shop.Order) savedOrder {
	return savedOrder{status: o.Status, provider: o.Provider, session: o.SessionID, payment: o.PaymentID, tracking: o.Tracking,
		note: o.Note, refunded: o.RefundedCents, expires: o.ExpiresAt.UTC(), paid: o.PaidAt.UTC(), shipped: o.ShippedAt.UTC(),
		delivered: o.DeliveredAt.UTC(), at: o.UpdatedAt.UTC()}
}

var _ shop.OrderTx = (*orderTx)(nil)

// one returns the order matching where, with its details, locked on
// PostgreSQL until the transaction ends.
func (t *orderTx) one(ctx context.Context, what, where string, args ...any) (*shop.Order, error) {
	query := "SELECT " + orderColumns + " FROM orders o WHERE " + where
	if t.tx.db.dialect == Postgres {
		query += " FOR UPDATE"
	}
	o, err := scanOrder(t.tx.q.queryRow(ctx, query, args...))
	if err != nil {
		return nil, normalize(fmt.Errorf("order %s: %w", what, err))
	}
	if err := loadOrderDetails(ctx, t.tx.q, []*shop.Order{o}); err != nil {
		return nil, err
	}
	return o, nil
}

func (t *orderTx) OrderByReference(ctx context.Context, ref string) (*shop.Order, error) {
	return t.one(ctx, ref, "o.reference = $1", ref)
}

func (t *orderTx) OrderByPayment(ctx context.Context, paymentID string) (*shop.Order, error) {
	if paymentID == "" {
		return nil, apperr.Errorf(apperr.NotFound, "order of an empty payment id")
	}
	return t.one(ctx, "of payment "+paymentID, "o.payment_id = $1 ORDER BY o.id LIMIT 1", paymentID)
}

func (t *orderTx) OrderBySession(ctx context.Context, sessionID string) (*shop.Order, error) {
	if sessionID == "" {
		return nil, apperr.Errorf(apperr.NotFound, "order of an empty session id")
	}
	return t.one(ctx, "of session "+sessionID, "o.session_id = $1 ORDER BY o.id LIMIT 1", sessionID)
}

func (t *orderTx) SaveOrderStatus(ctx context.Context, o *shop.Order, from shop.OrderStatus, actor, note string) error {
	q := t.tx.q
	// The invoice's number is not saved here: IssueInvoice writes it.
	n, err := q.exec(ctx, `UPDATE orders SET status = $3, provider = $4, session_id = $5, payment_id = $6, refunded_cents = $7,
			tracking = $8, note = $9, expires_at = $10, paid_at = $11, shipped_at = $12, delivered_at = $13, updated_at = $14
		WHERE id = $1 AND status = $2`, o.ID, string(from), string(o.Status), o.Provider, o.SessionID, o.PaymentID, o.RefundedCents,
		o.Tracking, o.Note, nullTime(o.ExpiresAt), nullTime(o.PaidAt), nullTime(o.ShippedAt), nullTime(o.DeliveredAt),
		o.UpdatedAt.UTC())
	if err != nil {
		return normalize(fmt.Errorf("save order %d: %w", o.ID, err))
	}
	if n == 0 {
		return orderChanged(ctx, q, o.ID, "save status")
	}
	if _, err := q.exec(ctx, `INSERT INTO order_history (order_id, at, from_status, to_status, actor, note)
		VALUES ($1, $2, $3, $4, $5, $6)`, o.ID, o.UpdatedAt.UTC(), string(from), string(o.Status), actor, note); err != nil {
		return normalize(fmt.Errorf("record history of order %d: %w", o.ID, err))
	}
	if t.saved == nil {
		t.saved = make(map[int64]savedOrder)
	}
	t.saved[o.ID] = savedOf(o)
	t.tx.changed(Change{Entity: EntityOrder, IDs: []int64{o.ID}})
	return nil
}

func (t *orderTx) ReleaseStock(ctx context.Context, o *shop.Order) error {
	q := t.tx.q
	var ref string
	err := q.queryRow(ctx, "UPDATE orders SET stock_released = TRUE WHERE id = $1 AND NOT stock_released RETURNING reference",
		o.ID).Scan(&ref)
	if err != nil {
		if err := normalize(err); !apperr.Is(err, apperr.NotFound) {
			return fmt.Errorf("release stock of order %d: %w", o.ID, err)
		}
		var one int
		if err := q.queryRow(ctx, "SELECT 1 FROM orders WHERE id = $1", o.ID).Scan(&one); err != nil {
			return normalize(fmt.Errorf("release stock of order %d: %w", o.ID, err))
		}
		return nil // released already
	}
	// The copies reserved, as recorded when the order was placed, in book
	// order like the reservation.
	rs, err := q.query(ctx, `SELECT book_id, SUM(reserved) FROM order_lines
		WHERE order_id = $1 AND reserved > 0 AND book_id IS NOT NULL GROUP BY book_id ORDER BY book_id`, o.ID)
	if err != nil {
		return normalize(fmt.Errorf("release stock of order %d: %w", o.ID, err))
	}
	type give struct {
		book int64
		n    int
	}
	var gives []give
	for rs.Next() {
		var g give
		if err := rs.Scan(&g.book, &g.n); err != nil {
			rs.Close()
			return normalize(fmt.Errorf("release stock of order %d: %w", o.ID, err))
		}
		gives = append(gives, g)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return normalize(fmt.Errorf("release stock of order %d: %w", o.ID, err))
	}
	books := make([]int64, 0, len(gives))
	for _, g := range gives {
		// The copies go back even if the book stopped tracking its stock
		// since: they were taken off it.
		var after int
		if err := q.queryRow(ctx, "UPDATE books SET stock = stock + $2 WHERE id = $1 RETURNING stock", g.book, g.n).Scan(&after); err != nil {
			return normalize(fmt.Errorf("give back %d copies of book %d: %w", g.n, g.book, err))
		}
		if err := recordStockMove(ctx, q, g.book, g.n, after, "order "+ref+" released", cmp.Or(o.UpdatedAt, o.CreatedAt)); err != nil {
			return err
		}
		books = append(books, g.book)
	}
	if len(books) > 0 {
		t.tx.changed(Change{Entity: EntityBook, IDs: books})
	}
	return nil
}

func (t *orderTx) Enqueue(ctx context.Context, jobs ...job.Job) error {
	return t.tx.enqueue(ctx, jobs)
}
