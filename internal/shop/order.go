package shop

import "time"

// OrderStatus is where an order stands. Customer-facing steps (paid,
// shipped, delivered, cancelled, refunded) each send the customer an email.
type OrderStatus string

// The states of an order.
const (
	// OrderPending: the customer is on the payment page; the copies are
	// reserved until the checkout expires.
	OrderPending OrderStatus = "pending"
	// OrderPaid: the provider's signed event says the money arrived.
	OrderPaid OrderStatus = "paid"
	// OrderPreparing: the parcel is being made up.
	OrderPreparing OrderStatus = "preparing"
	// OrderShipped: handed to the carrier, with a tracking number.
	OrderShipped OrderStatus = "shipped"
	// OrderDelivered: received (or collected).
	OrderDelivered OrderStatus = "delivered"
	// OrderCancelled: abandoned before payment (the checkout expired) or
	// cancelled by the shop; reserved copies went back to stock.
	OrderCancelled OrderStatus = "cancelled"
	// OrderRefunded: all of it was given back. A partial refund keeps the
	// status and records RefundedCents.
	OrderRefunded OrderStatus = "refunded"
)

// Address is a postal address for delivery or billing.
type Address struct {
	Name string
	// Company and SIREN are set when the buyer is a legal person, which
	// must then receive a full invoice (CGI art. 289-I).
	Company    string
	SIREN      string
	Line1      string
	Line2      string
	PostalCode string
	City       string
	// Country is an ISO 3166-1 alpha-2 code ("FR").
	Country string
	Phone   string
}

// DeliveryKind is how the parcel reaches the buyer.
type DeliveryKind string

// The kinds of delivery.
const (
	// DeliveryHome: a carrier brings it to the address.
	DeliveryHome DeliveryKind = "home"
	// DeliveryRelay: a carrier brings it to a relay point; for book law
	// this is still delivery, not collection in a bookshop.
	DeliveryRelay DeliveryKind = "relay"
	// DeliveryPickup: the buyer collects it at a pickup point; only a
	// point flagged as a retail bookshop exempts the order from the
	// shipping floor and allows the 5 % discount.
	DeliveryPickup DeliveryKind = "pickup"
	// DeliveryDigital: nothing to ship (e-books only).
	DeliveryDigital DeliveryKind = "digital"
)

// OrderLine is one title of an order at the price it was placed at; the
// line keeps its own copy of what the invoice needs, so that a book edited
// or withdrawn later changes no past order.
type OrderLine struct {
	ID        int64
	BookID    int64
	ISBN      string
	Title     string
	Format    Format
	Condition Condition
	// PublisherCents is the publisher's price when ordered; UnitCents what
	// the buyer pays for one copy (equal for a delivered new book).
	PublisherCents int64
	UnitCents      int64
	Quantity       int
	// VATRate in basis points, as applied when ordered.
	VATRate int
}

// TotalCents is the line's amount, tax included.
func (l OrderLine) TotalCents() int64 { return l.UnitCents * int64(l.Quantity) }

// VATLine is one rate of a document's VAT breakdown: BaseCents (HT) +
// VATCents = TotalCents (TTC), to the cent.
type VATLine struct {
	Rate       int
	BaseCents  int64
	VATCents   int64
	TotalCents int64
}

// Order is a customer's purchase, from checkout to delivery.
type Order struct {
	ID int64
	// Reference is the unguessable id sent to the payment provider and
	// used in the customer's link ("ord_…").
	Reference string
	Status    OrderStatus
	Email     string
	// PersonID links the order to the shared person record (GDPR export).
	PersonID int64
	ShipTo   Address
	BillTo   Address
	// Carrier is the id of the chosen delivery option and CarrierName its
	// name when ordered; Delivery its kind.
	Carrier     string
	CarrierName string
	Delivery    DeliveryKind
	Lines       []OrderLine
	// GoodsCents is the sum of the lines; ShippingCents the delivery
	// charge; TotalCents what was charged (goods + shipping).
	GoodsCents    int64
	ShippingCents int64
	TotalCents    int64
	// ShippingWhy explains the delivery charge (the rule that set it), as
	// shown in the cart.
	ShippingWhy string
	// VAT is the breakdown per rate, shipping included; empty when the
	// shop is exempt.
	VAT []VATLine
	// VATMode and VATExemption are the shop's VAT mode and exemption
	// reference when ordered, printed on the invoice.
	VATMode      VATMode
	VATExemption string
	Lang         string

	Provider      string
	SessionID     string
	PaymentID     string
	RefundedCents int64
	Tracking      string
	// InvoiceNumber is the invoice's number ("F2026-000042") once issued.
	InvoiceNumber string
	Note          string

	CreatedAt   time.Time
	ExpiresAt   time.Time
	PaidAt      time.Time
	ShippedAt   time.Time
	DeliveredAt time.Time
	UpdatedAt   time.Time
}

// HasUsed reports whether the order holds a second-hand copy, which every
// document then labels « occasion ».
func (o *Order) HasUsed() bool {
	for _, l := range o.Lines {
		if l.Condition == ConditionUsed {
			return true
		}
	}
	return false
}

// Cart is a visitor's cart, kept on the server and found by the token of
// a signed cookie.
type Cart struct {
	ID int64
	// Token is the random id the cookie carries (signed).
	Token     string
	Lines     []CartLine
	CreatedAt time.Time
	UpdatedAt time.Time
}

// CartLine is a quantity of one book in a cart. The price is never kept
// here: it is read from the catalogue at each step and checked at checkout.
type CartLine struct {
	BookID   int64
	Quantity int
	// SeenCents is the price the visitor last saw for one copy; a change
	// at checkout is reported rather than charged silently.
	SeenCents int64
}

// VATMode is the association's VAT status.
type VATMode string

// The VAT modes (french-rules.md §3.1). Exempt modes charge no VAT and
// print their exemption reference on every invoice.
const (
	// VATLiable: assujetti; books at 5.5 %.
	VATLiable VATMode = "liable"
	// VATExempt: non-lucrative association under CGI art. 261-7-1°-b.
	VATExempt VATMode = "exempt_261_7_1b"
	// VATFranchise: franchise en base, CGI art. 293 B.
	VATFranchise VATMode = "franchise_293B"
)
