package shop

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Bounds of the back office's order lists.
const (
	// MaxOrderPageSize bounds OrderFilter.Limit for ListOrders.
	MaxOrderPageSize = 200
	// maxOrderQuery bounds a search of the orders, in characters.
	maxOrderQuery = 200
	// MaxSalesMonths bounds the months of a sales report.
	MaxSalesMonths = 60
)

// ListOrders returns a page of the orders f selects, newest first, and how
// many match: the back office's list. A status that is not one of the
// order states is refused (Invalid); a search is trimmed and bounded, the
// page to at most MaxOrderPageSize.
func (s *Service) ListOrders(ctx context.Context, f OrderFilter) ([]*Order, int, error) {
	f, err := cleanOrderFilter(f)
	if err != nil {
		return nil, 0, err
	}
	f.Offset = max(f.Offset, 0)
	f.Limit = min(max(f.Limit, 0), MaxOrderPageSize)
	list, total, err := s.Orders.Orders(ctx, f)
	if err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", err)
	}
	return list, total, nil
}

// ExportOrders calls fn with every order f selects, oldest first, for the
// CSV export; Offset and Limit are ignored. An error from fn stops it.
func (s *Service) ExportOrders(ctx context.Context, f OrderFilter, fn func(*Order) error) error {
	f, err := cleanOrderFilter(f)
	if err != nil {
		return err
	}
	if err := s.Orders.EachOrder(ctx, f, fn); err != nil {
		return fmt.Errorf("export orders: %w", err)
	}
	return nil
}

// cleanOrderFilter trims the search and checks the status and dates.
func cleanOrderFilter(f OrderFilter) (OrderFilter, error) {
	f.Query = strings.TrimSpace(f.Query)
	switch {
	case f.Status != "" && !f.Status.Valid():
		return f, apperr.New(apperr.Invalid, "error.shop.order_status").InField("status")
	case utf8.RuneCountInString(f.Query) > maxOrderQuery:
		return f, apperr.New(apperr.Invalid, "error.shop.query_too_long", maxOrderQuery).InField("q")
	case !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From):
		return f, apperr.New(apperr.Invalid, "error.shop.order_dates").InField("to")
	}
	return f, nil
}

// Valid reports whether st is one of the order states.
func (st OrderStatus) Valid() bool {
	switch st {
	case OrderPending, OrderPaid, OrderPreparing, OrderShipped, OrderDelivered, OrderCancelled, OrderRefunded:
		return true
	}
	return false
}

// OrderStatuses are the order states in an order's life, for filters.
func OrderStatuses() []OrderStatus {
	return []OrderStatus{OrderPending, OrderPaid, OrderPreparing, OrderShipped, OrderDelivered, OrderCancelled, OrderRefunded}
}

// OrderByID returns one order with its lines and VAT lines (NotFound).
func (s *Service) OrderByID(ctx context.Context, id int64) (*Order, error) {
	if id <= 0 {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return s.Orders.Order(ctx, id)
}

// OrderHistory returns the status changes of an order, oldest first.
func (s *Service) OrderHistory(ctx context.Context, id int64) ([]StatusChange, error) {
	h, err := s.Orders.OrderHistory(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("history of order %d: %w", id, err)
	}
	return h, nil
}

// OrderInvoices returns the invoice and credit notes of an order, in the
// order they were issued, without their PDF.
func (s *Service) OrderInvoices(ctx context.Context, id int64) ([]*Invoice, error) {
	list, err := s.Orders.Invoices(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("invoices of order %d: %w", id, err)
	}
	return list, nil
}

// OrderInvoice returns an invoice or credit note of order orderID with its
// PDF; NotFound when it belongs to another order, so that an address
// cannot pair an order with another's document.
func (s *Service) OrderInvoice(ctx context.Context, orderID, invoiceID int64) (*Invoice, error) {
	inv, err := s.Orders.Invoice(ctx, invoiceID)
	if err != nil {
		return nil, err
	}
	if inv.OrderID != orderID {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	return inv, nil
}

// SalesByMonth returns what the shop sold in each of the last months
// months (this one included), as lived in loc, oldest first, months
// without sales included with zeros.
func (s *Service) SalesByMonth(ctx context.Context, months int, loc *time.Location) ([]MonthSales, error) {
	months = min(max(months, 1), MaxSalesMonths)
	now := s.Clock.Now().In(loc)
	to := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, loc)
	from := to.AddDate(0, -months, 0)
	list, err := s.Orders.SalesByMonth(ctx, from, to, loc)
	if err != nil {
		return nil, fmt.Errorf("sales by month: %w", err)
	}
	return list, nil
}

// RefundableCents returns the most a partial refund of o may give back
// now: what the goods cost less what was refunded, never the delivery
// charge (see Refund). The back office shows it next to the amount.
func (o *Order) RefundableCents() int64 {
	return max(o.TotalCents-o.RefundedCents-o.ShippingCents, 0)
}

// CanPrepare reports whether the order may be prepared. It and CanShip,
// CanDeliver, CanCancel and CanRefund say which actions the order's status
// allows, so the back office offers only those; the service checks again
// inside its transaction.
func (o *Order) CanPrepare() bool { return o.Status == OrderPaid }

// CanShip reports whether the parcel may be recorded as sent.
func (o *Order) CanShip() bool { return o.Status == OrderPaid || o.Status == OrderPreparing }

// CanDeliver reports whether the order may be recorded as received.
func (o *Order) CanDeliver() bool { return o.Status == OrderShipped }

// CanCancel reports whether the shop may cancel the order (a paid one
// is refunded in full first).
func (o *Order) CanCancel() bool {
	return o.Status == OrderPending || o.Status == OrderPaid || o.Status == OrderPreparing
}

// CanRefund reports whether some money of the order may be given back.
func (o *Order) CanRefund() bool {
	switch o.Status {
	case OrderPaid, OrderPreparing, OrderShipped, OrderDelivered:
		return o.TotalCents > o.RefundedCents
	}
	return false
}

// OrderAction is what a back office form asks of an order.
type OrderAction struct {
	// Kind is "prepare", "ship", "deliver", "cancel" or "refund".
	Kind string
	// Seen is the order's Version as the form showed it: an order
	// changed since (the same form sent twice, another admin) is not
	// acted on, and Conflict says so.
	Seen string
	// Tracking is the parcel's number (ship); Reason why (cancel,
	// refund); Cents the amount of a partial refund, Full a refund of
	// everything left.
	Tracking string
	Reason   string
	Cents    int64
	Full     bool
	// Actor names who acts, for the order's history.
	Actor string
}

// maxActionReason bounds the reason of a cancellation or refund.
const maxActionReason = 500

// Version names the state of o that the back office's forms act on: its
// status, what was refunded, its tracking number and when it last
// changed. Two clicks within the clock's resolution still differ by the
// status or amount the first one changed.
func (o *Order) Version() string {
	return fmt.Sprintf("%s.%d.%d.%x", o.Status, o.RefundedCents, o.UpdatedAt.UnixNano(), o.Tracking)
}

// ActOnOrder does what a back office form asks of order id (Prepare, Ship,
// Deliver, Cancel or Refund), once: an order that changed since the form
// was shown gets Conflict with key "error.shop.order_changed", so a
// double-clicked button never sends a second email or refund.
func (s *Service) ActOnOrder(ctx context.Context, id int64, a OrderAction) error {
	a.Reason = strings.TrimSpace(a.Reason)
	if utf8.RuneCountInString(a.Reason) > maxActionReason {
		return apperr.New(apperr.Invalid, "error.shop.too_long", maxActionReason).InField("reason")
	}
	o, err := s.OrderByID(ctx, id)
	if err != nil {
		return err
	}
	if o.Version() != a.Seen {
		return apperr.New(apperr.Conflict, "error.shop.order_changed")
	}
	switch a.Kind {
	case "prepare":
		return s.Prepare(ctx, id, a.Actor)
	case "ship":
		return s.Ship(ctx, id, a.Tracking, a.Actor)
	case "deliver":
		return s.Deliver(ctx, id, a.Actor)
	case "cancel":
		return s.Cancel(ctx, id, a.Actor, a.Reason)
	case "refund":
		return s.Refund(ctx, id, a.Cents, a.Full, a.Actor, a.Reason)
	}
	return apperr.New(apperr.NotFound, "error.not_found.text")
}
