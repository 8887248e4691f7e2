package shop

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/job"
)

// OrderStore keeps carts, orders, the copies their checkouts hold and the
// invoices issued for them. package storage implements it on SQLite and
// PostgreSQL. Finders return apperr.NotFound when nothing matches; no
// method returns a nil value with a nil error.
type OrderStore interface {
	// Cart returns the cart the cookie's token names, with its lines
	// (NotFound if none).
	Cart(ctx context.Context, token string) (*Cart, error)
	// SaveCart creates or updates the cart of c.Token, replacing all its
	// lines by c.Lines, and sets c.ID. An empty cart is kept (the visitor
	// may come back to it). A line naming a book that does not exist gets
	// apperr.Conflict.
	SaveCart(ctx context.Context, c *Cart) error
	// DeleteCart removes the cart of token and its lines; removing a cart
	// that is not there is not an error (a checkout done twice).
	DeleteCart(ctx context.Context, token string) error
	// PurgeCarts removes the carts last saved before before and returns
	// how many.
	PurgeCarts(ctx context.Context, before time.Time) (int, error)

	// PlaceOrder records o in ONE transaction: the buyer's person (the
	// people shared with comments and donations, by email, created or
	// renamed), the order as given (status pending), its lines and its VAT
	// lines, and it reserves the copies: each line of a book that tracks
	// its stock takes Quantity copies off it, which only succeeds while
	// that many are left. When one is short, everything is rolled back and
	// apperr.Conflict is returned with key "error.shop.out_of_stock" and
	// the book's title as argument; a line naming a book that does not
	// exist gets apperr.NotFound. Two checkouts racing for the last copy
	// never both get it. IDs (order, lines, PersonID) are filled, then
	// then, when not nil, runs in the same transaction (to enqueue jobs);
	// its error rolls everything back. A reference used already gets
	// apperr.Conflict.
	PlaceOrder(ctx context.Context, o *Order, then func(OrderTx) error) error
	// SetOrderSession records the provider's checkout session of a pending
	// order once the provider answered, and when it expires (the copies
	// stay reserved until then). An order that is no longer pending gets
	// apperr.Conflict.
	SetOrderSession(ctx context.Context, id int64, provider, sessionID string, expiresAt time.Time) error
	// ApplyEvent records that the provider's event id was received and
	// runs apply in the same transaction, so an event is applied once
	// whatever the deliveries: it returns false, without calling apply,
	// when the event was applied before. Events share their record with
	// the donations' (one payment_events table per provider account). An
	// error from apply rolls back everything, the event's record included,
	// so the provider's retry tries again.
	ApplyEvent(ctx context.Context, provider, eventID, eventType string, at time.Time, apply func(OrderTx) error) (bool, error)
	// UpdateOrder loads order id in a transaction, checks that it is in
	// status from (apperr.Conflict otherwise, with key
	// "error.shop.order_changed"), lets apply change it and enqueue jobs,
	// then saves it as SaveOrderStatus does, recording actor and note in
	// its history. When apply saved the order itself (a refund recorded
	// on the way to a cancellation), the final save goes on from the
	// status apply left, and is skipped when nothing changed since. An
	// error from apply rolls everything back.
	UpdateOrder(ctx context.Context, id int64, from OrderStatus, actor, note string, apply func(OrderTx, *Order) error) error

	// Order returns one order with its lines and VAT lines.
	Order(ctx context.Context, id int64) (*Order, error)
	// OrderByReference returns the order of a reference ("ord_…").
	OrderByReference(ctx context.Context, ref string) (*Order, error)
	// Orders lists the orders f selects, newest first, with their lines,
	// and counts all that match (a page of at most f.Limit, 50 when 0).
	Orders(ctx context.Context, f OrderFilter) ([]*Order, int, error)
	// EachOrder calls fn with every order f selects (Offset and Limit
	// ignored), oldest first, with its lines, for the CSV export; an error
	// from fn stops and is returned.
	EachOrder(ctx context.Context, f OrderFilter, fn func(*Order) error) error
	// OrdersByEmail returns every order placed with email, whatever the
	// case, oldest first: a person's GDPR export.
	OrdersByEmail(ctx context.Context, email string) ([]*Order, error)
	// ExpiredOrders returns at most limit pending orders whose checkout
	// expired before before, oldest first, for the sweeper that cancels
	// them and gives their copies back.
	ExpiredOrders(ctx context.Context, before time.Time, limit int) ([]*Order, error)
	// OrderHistory returns the status changes of order id, oldest first
	// (an empty list for an order never changed).
	OrderHistory(ctx context.Context, id int64) ([]StatusChange, error)
	// Invoices returns the invoice and credit notes of an order, in the
	// order they were issued, without their PDF.
	Invoices(ctx context.Context, orderID int64) ([]*Invoice, error)
	// Invoice returns one invoice or credit note with its PDF.
	Invoice(ctx context.Context, id int64) (*Invoice, error)
	// SalesByMonth sums the orders paid in [from, to) (paid, preparing,
	// shipped, delivered or refunded), per month of their payment as
	// lived in loc, one entry per month from from's to the one before
	// to's, months without sales included with zeros. Refunds count in the
	// month of the payment they give back.
	SalesByMonth(ctx context.Context, from, to time.Time, loc *time.Location) ([]MonthSales, error)
}

// OrderTx is what applying a provider event or changing an order may read
// and write, inside one transaction. Finders return apperr.NotFound and,
// on PostgreSQL, lock the order until the transaction ends, so two events
// about one order apply one after the other.
type OrderTx interface {
	// OrderByReference returns the order of a reference, with its lines.
	OrderByReference(ctx context.Context, ref string) (*Order, error)
	// OrderByPayment returns the order of the provider's payment id.
	OrderByPayment(ctx context.Context, paymentID string) (*Order, error)
	// OrderBySession returns the order of the provider's checkout session.
	OrderBySession(ctx context.Context, sessionID string) (*Order, error)
	// SaveOrderStatus saves o's status, provider ids, refunded amount,
	// tracking, note and dates (not its invoice number, which IssueInvoice
	// writes), provided the order is still in status
	// from (apperr.Conflict with key "error.shop.order_changed"
	// otherwise: someone else moved it), and writes the change from →
	// o.Status at o.UpdatedAt, by actor, with note, to its history (also
	// when the status stays, as for a partial refund).
	SaveOrderStatus(ctx context.Context, o *Order, from OrderStatus, actor, note string) error
	// ReleaseStock gives back to their books the copies order o reserved
	// (those of books that tracked their stock when it was placed), when
	// a pending order expires or is cancelled. It is idempotent: the
	// second call for an order gives nothing back and returns nil.
	ReleaseStock(ctx context.Context, o *Order) error
	// IssueInvoice gives inv the next number of its series and year
	// ("F2026-000042" for an invoice, "A2026-000007" for a credit note;
	// Series defaults to F or A after Kind and Year to IssuedAt's), lets
	// render draw its PDF once the number is known, and stores it; an
	// invoice also sets its order's InvoiceNumber. If render or the insert
	// fails, the number is given back (the sequence has no gap, even when
	// the caller goes on with the transaction). An order that has an
	// invoice already gets apperr.Conflict with key
	// "error.shop.invoice_exists" (credit notes are not limited).
	IssueInvoice(ctx context.Context, inv *Invoice, render func(*Invoice) ([]byte, error)) error
	// Enqueue inserts jobs (the customer's emails) in the transaction.
	Enqueue(ctx context.Context, jobs ...job.Job) error
}

// OrderFilter selects orders for the back office. Zero fields select all.
type OrderFilter struct {
	Status OrderStatus
	// Query matches, case-insensitively and anywhere, the buyer's email,
	// the billing or delivery name, the reference, or an invoice or credit
	// note number.
	Query string
	// From and To bound the orders' creation: [From, To).
	From, To time.Time
	Offset   int
	Limit    int
}

// StatusChange is one entry of an order's history: who moved it from one
// status to another, when and why.
type StatusChange struct {
	At   time.Time
	From OrderStatus
	To   OrderStatus
	// Actor is who made the change: "system", "stripe", an admin's name.
	Actor string
	Note  string
}

// MonthSales is what the shop sold in one month.
type MonthSales struct {
	// Month is midnight of the month's first day, in the report's zone.
	Month         time.Time
	Orders        int
	GoodsCents    int64
	ShippingCents int64
	RefundedCents int64
}

// InvoiceKind tells an invoice from a credit note.
type InvoiceKind string

// The kinds of invoicing documents.
const (
	// KindInvoice is the invoice (facture) of a paid order; one per order.
	KindInvoice InvoiceKind = "invoice"
	// KindCredit is a credit note (avoir) for a refund, which corrects an
	// invoice and never replaces its number.
	KindCredit InvoiceKind = "credit"
)

// Invoice is an invoice or a credit note as issued: its number runs on an
// unbroken sequence per series and year (CGI art. 242 nonies A), and its
// PDF is kept so that every download gives the same bytes.
type Invoice struct {
	ID      int64
	OrderID int64
	Kind    InvoiceKind
	// Series is the numbering series: "F" for invoices, "A" for credit
	// notes (avoirs).
	Series string
	Year   int
	Seq    int
	// Number is Series, Year and Seq as printed: "F2026-000042".
	Number   string
	IssuedAt time.Time
	// AmountCents is the amount tax included: what was charged for an
	// invoice, what is given back for a credit note (positive).
	AmountCents int64
	// Corrects is the ID of the invoice a credit note corrects.
	Corrects int64
	PDF      []byte
}

// DefaultSeries returns the series of a kind of document: "A" for credit
// notes, "F" for invoices.
func DefaultSeries(k InvoiceKind) string {
	if k == KindCredit {
		return "A"
	}
	return "F"
}

// FormatInvoiceNumber prints a document's number: series, year, and the
// sequence on six digits ("F2026-000042").
func FormatInvoiceNumber(series string, year, seq int) string {
	return fmt.Sprintf("%s%04d-%06d", series, year, seq)
}
