package shop

import (
	"log/slog"
	"strings"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/payments"
)

// Mails writes the emails an order sends its customer, in the order's
// language, with the link to the order. package app implements it with
// the site's catalogue and address.
type Mails interface {
	// OrderPaid thanks the customer, with the invoice attached when one
	// was issued.
	OrderPaid(o *Order, inv *Invoice) job.Email
	// OrderShipped gives the carrier and tracking number.
	OrderShipped(o *Order) job.Email
	// OrderDelivered closes the order.
	OrderDelivered(o *Order) job.Email
	// OrderCancelled says the shop cancelled a paid order (and refunded it).
	OrderCancelled(o *Order) job.Email
	// OrderRefunded says how much was given back, with the credit note.
	OrderRefunded(o *Order, cents int64, credit *Invoice) job.Email
}

// InvoiceRenderer draws the PDF of an order's invoice or credit note once
// its number is known. package app implements it with package invoices
// and the association's identity.
type InvoiceRenderer func(o *Order, inv *Invoice) ([]byte, error)

// Deps are what the shop's service needs.
type Deps struct {
	Catalog CatalogStore
	Orders  OrderStore
	// Payments takes the money; nil closes the online checkout (the
	// catalogue is still shown).
	Payments payments.Provider
	// ProviderName is the provider's name in records ("stripe").
	ProviderName string
	Signer       *Signer
	// Policy returns the shop's settings on prices, delivery and VAT now.
	Policy func() Policy
	// Messages translates what the shop writes (the delivery charge's
	// explanation, the payment page's lines).
	Messages *locale.Catalog
	Mails    Mails
	Render   InvoiceRenderer
	Clock    clock.Clock
	Log      *slog.Logger
	// Audit records the back office's reads of personal data (a
	// customer's export); CustomerFile refuses to run without it.
	Audit AuditLog
}

// Service is the bookshop's behaviour: catalogue, cart, checkout, orders.
type Service struct {
	Deps
}

// NewService returns a Service on d.
func NewService(d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Deps: d}
}

// Online reports whether orders can be paid on the site.
func (s *Service) Online() bool { return s.Payments != nil }

func isOrderReference(ref string) bool {
	return strings.HasPrefix(ref, orderPrefix) && len(ref) > len(orderPrefix)
}

// orderPrefix starts every order's reference.
const orderPrefix = "ord_"
