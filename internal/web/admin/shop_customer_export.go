package admin

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/shop"
)

// A bookshop customer's GDPR request to see their data (art. 15 and 20):
// every order placed with the email of an order, as a JSON file. Erasure
// is not offered: the law keeps orders and invoices ten years (Code de
// commerce art. L123-22, CGI art. 286), which the order's page says.

// exportShopCustomer downloads everything the shop stores about the
// customer of an order (customerExport); the service records the export
// in the audit log.
func (h *Handler) exportShopCustomer(w http.ResponseWriter, r *http.Request, s *session) {
	f, err := h.Shop.CustomerFile(r.Context(), s.actor, pathID(r))
	if err != nil {
		h.fail(w, r, s, err)
		return
	}
	body, err := json.MarshalIndent(customerExportOf(f), "", "  ")
	if err != nil {
		h.fail(w, r, s, fmt.Errorf("encode a customer's export: %w", err))
		return
	}
	who := fileNamePart(f.Email)
	if who == "" && len(f.Orders) > 0 {
		who = fileNamePart(f.Orders[0].Reference)
	}
	name := "client-" + who + "-" + f.At.In(h.Settings.Get().Location()).Format(time.DateOnly) + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// The name holds only [a-z0-9._-]: quoting it needs no escape.
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(append(body, '\n'))
}

// fileNamePart lowercases s and replaces each run of characters other
// than ASCII letters, digits, dots and underscores by a hyphen, for a
// file name: "Anne.Roy@exemple.fr" is "anne.roy-exemple.fr".
func fileNamePart(s string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(c)
			dash = false
		default:
			dash = true
		}
	}
	return strings.Trim(b.String(), ".")
}

// customerExportFormat names the layout of customerExport and its
// version; a change that would break a program reading it bumps the
// version.
const customerExportFormat = "kiosque-customer-export/1"

// orderCurrency is the currency of every amount of an order: the shop
// sells in euros only.
const orderCurrency = "EUR"

// customerExport is the file a customer's export downloads. Times are RFC
// 3339 in UTC, null when the event did not happen; amounts are integer
// cents of Currency; VAT rates are basis points (550 is 5.5 %); every
// list is present, empty when there is nothing.
type customerExport struct {
	Format     string    `json:"format"`
	ExportedAt time.Time `json:"exported_at"`
	// Email is the address the orders were found by, whatever its case.
	Email  string          `json:"email"`
	Orders []exportedOrder `json:"orders"`
}

type exportedOrder struct {
	Reference string `json:"reference"`
	Status    string `json:"status"`
	Email     string `json:"email"`
	// Language is the one the customer's emails were written in.
	Language    string          `json:"language"`
	Currency    string          `json:"currency"`
	CreatedAt   time.Time       `json:"created_at"`
	PaidAt      *time.Time      `json:"paid_at"`
	ShippedAt   *time.Time      `json:"shipped_at"`
	DeliveredAt *time.Time      `json:"delivered_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	ShipTo      exportedAddress `json:"shipping_address"`
	BillTo      exportedAddress `json:"billing_address"`
	Lines       []exportedLine  `json:"lines"`
	Delivery    struct {
		// Kind is home, relay, pickup or digital.
		Kind       string `json:"kind"`
		Carrier    string `json:"carrier"`
		PriceCents int64  `json:"price_cents"`
		Tracking   string `json:"tracking"`
	} `json:"delivery"`
	Totals struct {
		GoodsCents    int64         `json:"goods_cents"`
		ShippingCents int64         `json:"shipping_cents"`
		TotalCents    int64         `json:"total_cents"`
		RefundedCents int64         `json:"refunded_cents"`
		VATMode       string        `json:"vat_mode"`
		VATExemption  string        `json:"vat_exemption"`
		VAT           []exportedVAT `json:"vat"`
	} `json:"totals"`
	Payments []exportedPayment `json:"payments"`
	Refunds  []exportedRefund  `json:"refunds"`
	// Invoices and CreditNotes are the documents issued, without their
	// PDF.
	Invoices    []exportedDocument `json:"invoices"`
	CreditNotes []exportedDocument `json:"credit_notes"`
	Note        string             `json:"note"`
}

type exportedAddress struct {
	Name       string `json:"name"`
	Company    string `json:"company"`
	SIREN      string `json:"siren"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	PostalCode string `json:"postal_code"`
	City       string `json:"city"`
	Country    string `json:"country"`
	Phone      string `json:"phone"`
}

type exportedLine struct {
	Title  string `json:"title"`
	ISBN   string `json:"isbn"`
	Format string `json:"format"`
	// Condition is new or used.
	Condition      string `json:"condition"`
	Quantity       int    `json:"quantity"`
	UnitCents      int64  `json:"unit_price_cents"`
	PublisherCents int64  `json:"publisher_price_cents"`
	TotalCents     int64  `json:"total_cents"`
	VATRate        int    `json:"vat_rate_basis_points"`
}

type exportedVAT struct {
	Rate       int   `json:"rate_basis_points"`
	BaseCents  int64 `json:"base_cents"`
	VATCents   int64 `json:"vat_cents"`
	TotalCents int64 `json:"total_cents"`
}

type exportedPayment struct {
	Provider    string     `json:"provider"`
	PaymentID   string     `json:"payment_id"`
	AmountCents int64      `json:"amount_cents"`
	Currency    string     `json:"currency"`
	PaidAt      *time.Time `json:"paid_at"`
}

type exportedRefund struct {
	AmountCents int64     `json:"amount_cents"`
	Currency    string    `json:"currency"`
	RefundedAt  time.Time `json:"refunded_at"`
}

type exportedDocument struct {
	Number      string    `json:"number"`
	IssuedAt    time.Time `json:"issued_at"`
	AmountCents int64     `json:"amount_cents"`
	Currency    string    `json:"currency"`
	// Corrects is the number of the invoice a credit note corrects,
	// empty for an invoice.
	Corrects string `json:"corrects"`
}

// The addresses and VAT lines are converted, not copied field by field,
// so that a field added to shop.Address or shop.VATLine breaks the build
// here until the export says what to do with it.

// customerExportOf converts a customer's file to its export.
func customerExportOf(f *shop.CustomerFile) customerExport {
	x := customerExport{Format: customerExportFormat, ExportedAt: f.At.UTC(), Email: f.Email,
		Orders: make([]exportedOrder, 0, len(f.Orders))}
	for _, c := range f.Orders {
		x.Orders = append(x.Orders, exportedOrderOf(c))
	}
	return x
}

func exportedOrderOf(c shop.CustomerOrder) exportedOrder {
	o := c.Order
	e := exportedOrder{Reference: o.Reference, Status: string(o.Status), Email: o.Email, Language: o.Lang, Currency: orderCurrency,
		CreatedAt: o.CreatedAt.UTC(), PaidAt: utcOrNull(o.PaidAt), ShippedAt: utcOrNull(o.ShippedAt),
		DeliveredAt: utcOrNull(o.DeliveredAt), UpdatedAt: o.UpdatedAt.UTC(), ShipTo: exportedAddress(o.ShipTo),
		BillTo: exportedAddress(o.BillTo), Lines: make([]exportedLine, 0, len(o.Lines)), Payments: []exportedPayment{},
		Refunds: make([]exportedRefund, 0, len(c.Refunds)), Invoices: []exportedDocument{}, CreditNotes: []exportedDocument{},
		Note: o.Note}
	for _, l := range o.Lines {
		e.Lines = append(e.Lines, exportedLine{Title: l.Title, ISBN: l.ISBN, Format: string(l.Format), Condition: string(l.Condition),
			Quantity: l.Quantity, UnitCents: l.UnitCents, PublisherCents: l.PublisherCents, TotalCents: l.TotalCents(),
			VATRate: l.VATRate})
	}
	e.Delivery.Kind, e.Delivery.Carrier, e.Delivery.PriceCents, e.Delivery.Tracking = string(o.Delivery), o.CarrierName, o.ShippingCents, o.Tracking
	t := &e.Totals
	t.GoodsCents, t.ShippingCents, t.TotalCents, t.RefundedCents = o.GoodsCents, o.ShippingCents, o.TotalCents, o.RefundedCents
	t.VATMode, t.VATExemption, t.VAT = string(o.VATMode), o.VATExemption, make([]exportedVAT, 0, len(o.VAT))
	for _, v := range o.VAT {
		t.VAT = append(t.VAT, exportedVAT(v))
	}
	if o.PaymentID != "" || !o.PaidAt.IsZero() {
		e.Payments = append(e.Payments, exportedPayment{Provider: o.Provider, PaymentID: o.PaymentID, AmountCents: o.TotalCents,
			Currency: orderCurrency, PaidAt: utcOrNull(o.PaidAt)})
	}
	for _, r := range c.Refunds {
		e.Refunds = append(e.Refunds, exportedRefund{AmountCents: r.Cents, Currency: orderCurrency, RefundedAt: r.At.UTC()})
	}
	numbers := make(map[int64]string, len(c.Invoices))
	for _, d := range c.Invoices {
		numbers[d.ID] = d.Number
	}
	for _, d := range c.Invoices {
		doc := exportedDocument{Number: d.Number, IssuedAt: d.IssuedAt.UTC(), AmountCents: d.AmountCents, Currency: orderCurrency}
		if d.Kind == shop.KindCredit {
			// An order has one invoice, which its credit notes correct
			// when they do not name it.
			doc.Corrects = cmp.Or(numbers[d.Corrects], o.InvoiceNumber)
			e.CreditNotes = append(e.CreditNotes, doc)
		} else {
			e.Invoices = append(e.Invoices, doc)
		}
	}
	return e
}
