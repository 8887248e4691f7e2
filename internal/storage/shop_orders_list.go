package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// The reading of orders: one order, the back office's list and export,
// a buyer's orders, the sweeper's expired checkouts, the history and the
// monthly sales.

// orderListSize is the page of Orders when the filter sets none, and the
// batch in which EachOrder reads.
const orderListSize = 50

const orderLineColumns = `id, order_id, COALESCE(book_id, 0), isbn, title, format, condition, publisher_cents, unit_cents,
	quantity, vat_rate`

// loadOrderDetails fills the lines and VAT lines of orders, in two
// queries whatever their number.
func loadOrderDetails(ctx context.Context, q querier, orders []*shop.Order) error {
	if len(orders) == 0 {
		return nil
	}
	byID := make(map[int64]*shop.Order, len(orders))
	ids := make([]any, len(orders))
	for i, o := range orders {
		byID[o.ID] = o
		ids[i] = o.ID
		o.Lines, o.VAT = nil, nil
	}
	in := "(" + placeholders(1, len(ids)) + ")"
	rs, err := q.query(ctx, "SELECT "+orderLineColumns+" FROM order_lines WHERE order_id IN "+in+" ORDER BY order_id, position", ids...)
	if err != nil {
		return normalize(fmt.Errorf("order lines: %w", err))
	}
	for rs.Next() {
		var l shop.OrderLine
		var orderID int64
		var format, condition string
		if err := rs.Scan(&l.ID, &orderID, &l.BookID, &l.ISBN, &l.Title, &format, &condition, &l.PublisherCents, &l.UnitCents,
			&l.Quantity, &l.VATRate); err != nil {
			rs.Close()
			return normalize(fmt.Errorf("scan order line: %w", err))
		}
		l.Format, l.Condition = shop.Format(format), shop.Condition(condition)
		if o := byID[orderID]; o != nil {
			o.Lines = append(o.Lines, l)
		}
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return normalize(fmt.Errorf("order lines: %w", err))
	}
	rs, err = q.query(ctx, "SELECT order_id, rate, base_cents, vat_cents, total_cents FROM order_vat WHERE order_id IN "+in+
		" ORDER BY order_id, rate", ids...)
	if err != nil {
		return normalize(fmt.Errorf("order vat: %w", err))
	}
	defer rs.Close()
	for rs.Next() {
		var v shop.VATLine
		var orderID int64
		if err := rs.Scan(&orderID, &v.Rate, &v.BaseCents, &v.VATCents, &v.TotalCents); err != nil {
			return normalize(fmt.Errorf("scan order vat: %w", err))
		}
		if o := byID[orderID]; o != nil {
			o.VAT = append(o.VAT, v)
		}
	}
	if err := rs.Err(); err != nil {
		return normalize(fmt.Errorf("order vat: %w", err))
	}
	return nil
}

// orders runs a query of orderColumns and loads the details of what it
// returns.
func orders(ctx context.Context, q querier, what, query string, args ...any) ([]*shop.Order, error) {
	rs, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, normalize(fmt.Errorf("%s: %w", what, err))
	}
	var out []*shop.Order
	for rs.Next() {
		o, err := scanOrder(rs)
		if err != nil {
			rs.Close()
			return nil, normalize(fmt.Errorf("%s: scan: %w", what, err))
		}
		out = append(out, o)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("%s: %w", what, err))
	}
	if err := loadOrderDetails(ctx, q, out); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return out, nil
}

func (s *OrderStore) oneOrder(ctx context.Context, what, where string, args ...any) (*shop.Order, error) {
	q := s.db.reader()
	o, err := scanOrder(q.queryRow(ctx, "SELECT "+orderColumns+" FROM orders o WHERE "+where, args...))
	if err != nil {
		return nil, normalize(fmt.Errorf("order %s: %w", what, err))
	}
	if err := loadOrderDetails(ctx, q, []*shop.Order{o}); err != nil {
		return nil, fmt.Errorf("order %s: %w", what, err)
	}
	return o, nil
}

// Order implements shop.OrderStore.
func (s *OrderStore) Order(ctx context.Context, id int64) (*shop.Order, error) {
	return s.oneOrder(ctx, fmt.Sprint(id), "o.id = $1", id)
}

// OrderByReference implements shop.OrderStore.
func (s *OrderStore) OrderByReference(ctx context.Context, ref string) (*shop.Order, error) {
	return s.oneOrder(ctx, fmt.Sprintf("%q", ref), "o.reference = $1", ref)
}

// orderWhere turns f into conditions on orders o.
func (s *OrderStore) orderWhere(f shop.OrderFilter) whereBuilder {
	var w whereBuilder
	if f.Status != "" {
		w.add("o.status = " + w.arg(string(f.Status)))
	}
	if !f.From.IsZero() {
		w.add("o.created_at >= " + w.arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		w.add("o.created_at < " + w.arg(f.To.UTC()))
	}
	if text := strings.TrimSpace(f.Query); text != "" {
		// SQLite's LIKE ignores the case of ASCII letters, as ILIKE does
		// of all.
		like := "LIKE"
		if s.db.dialect == Postgres {
			like = "ILIKE"
		}
		p := w.arg("%" + escapeLike(text) + "%")
		conds := make([]string, 0, 6)
		for _, col := range []string{"o.email", "o.bill_name", "o.ship_name", "o.bill_company", "o.reference", "o.invoice_number"} {
			conds = append(conds, col+" "+like+" "+p+` ESCAPE '\'`)
		}
		conds = append(conds, "EXISTS (SELECT 1 FROM invoices i WHERE i.order_id = o.id AND i.number "+like+" "+p+` ESCAPE '\')`)
		w.add("(" + strings.Join(conds, " OR ") + ")")
	}
	return w
}

// Orders implements shop.OrderStore.
func (s *OrderStore) Orders(ctx context.Context, f shop.OrderFilter) ([]*shop.Order, int, error) {
	w := s.orderWhere(f)
	where := w.sql()
	q := s.db.reader()
	var total int
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM orders o"+where, w.args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count orders: %w", err))
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	limit := f.Limit
	if limit <= 0 {
		limit = orderListSize
	}
	query := "SELECT " + orderColumns + " FROM orders o" + where + " ORDER BY o.created_at DESC, o.id DESC LIMIT " + w.arg(limit) +
		" OFFSET " + w.arg(max(f.Offset, 0))
	out, err := orders(ctx, q, "list orders", query, w.args...)
	return out, total, err
}

// EachOrder implements shop.OrderStore. It reads in batches after the
// last id seen, so that no connection stays held while fn runs.
func (s *OrderStore) EachOrder(ctx context.Context, f shop.OrderFilter, fn func(*shop.Order) error) error {
	var after int64
	for {
		w := s.orderWhere(f)
		w.add("o.id > " + w.arg(after))
		batch, err := orders(ctx, s.db.reader(), "export orders", "SELECT "+orderColumns+" FROM orders o"+w.sql()+
			" ORDER BY o.id LIMIT "+w.arg(orderListSize*4), w.args...)
		if err != nil {
			return err
		}
		for _, o := range batch {
			if err := fn(o); err != nil {
				return err
			}
			after = o.ID
		}
		if len(batch) < orderListSize*4 {
			return nil
		}
	}
}

// OrdersByEmail implements shop.OrderStore.
func (s *OrderStore) OrdersByEmail(ctx context.Context, email string) ([]*shop.Order, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil, nil
	}
	return orders(ctx, s.db.reader(), "orders of a person", "SELECT "+orderColumns+
		" FROM orders o WHERE LOWER(o.email) = $1 ORDER BY o.created_at, o.id", email)
}

// ExpiredOrders implements shop.OrderStore.
func (s *OrderStore) ExpiredOrders(ctx context.Context, before time.Time, limit int) ([]*shop.Order, error) {
	if limit <= 0 {
		limit = orderListSize
	}
	return orders(ctx, s.db.reader(), "expired orders", "SELECT "+orderColumns+` FROM orders o
		WHERE o.status = 'pending' AND o.expires_at IS NOT NULL AND o.expires_at < $1 ORDER BY o.expires_at, o.id LIMIT $2`,
		before.UTC(), limit)
}

// OrderHistory implements shop.OrderStore.
func (s *OrderStore) OrderHistory(ctx context.Context, id int64) ([]shop.StatusChange, error) {
	rs, err := s.db.reader().query(ctx, `SELECT at, from_status, to_status, actor, note FROM order_history
		WHERE order_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, normalize(fmt.Errorf("history of order %d: %w", id, err))
	}
	defer rs.Close()
	out := []shop.StatusChange{}
	for rs.Next() {
		var c shop.StatusChange
		var at dbTime
		var from, to string
		if err := rs.Scan(&at, &from, &to, &c.Actor, &c.Note); err != nil {
			return nil, normalize(fmt.Errorf("history of order %d: %w", id, err))
		}
		c.At, c.From, c.To = at.t, shop.OrderStatus(from), shop.OrderStatus(to)
		out = append(out, c)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("history of order %d: %w", id, err))
	}
	return out, nil
}

// SalesByMonth implements shop.OrderStore. The months are cut in Go:
// SQLite knows no time zones.
func (s *OrderStore) SalesByMonth(ctx context.Context, from, to time.Time, loc *time.Location) ([]shop.MonthSales, error) {
	if loc == nil {
		loc = time.UTC
	}
	monthOf := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	var out []shop.MonthSales
	index := map[string]int{}
	for m := monthOf(from); m.Before(to); m = m.AddDate(0, 1, 0) {
		index[m.Format("2006-01")] = len(out)
		out = append(out, shop.MonthSales{Month: m})
	}
	rs, err := s.db.reader().query(ctx, `SELECT paid_at, goods_cents, shipping_cents, refunded_cents FROM orders
		WHERE status IN ('paid', 'preparing', 'shipped', 'delivered', 'refunded') AND paid_at >= $1 AND paid_at < $2
		ORDER BY paid_at`, from.UTC(), to.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("sales by month: %w", err))
	}
	defer rs.Close()
	for rs.Next() {
		var paid dbTime
		var goods, shipping, refunded int64
		if err := rs.Scan(&paid, &goods, &shipping, &refunded); err != nil {
			return nil, normalize(fmt.Errorf("sales by month: %w", err))
		}
		i, ok := index[monthOf(paid.t).Format("2006-01")]
		if !ok {
			continue
		}
		m := &out[i]
		m.Orders++
		m.GoodsCents += goods
		m.ShippingCents += shipping
		m.RefundedCents += refunded
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("sales by month: %w", err))
	}
	return out, nil
}
