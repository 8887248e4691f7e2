package admin_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/users"
)

// customerFile is the documented layout of kiosque-customer-export/1, every
// field of it: the export is decoded with DisallowUnknownFields, so a field
// added without being documented here fails the test.
type customerFile struct {
	Format     string          `json:"format"`
	ExportedAt time.Time       `json:"exported_at"`
	Email      string          `json:"email"`
	Orders     []customerOrder `json:"orders"`
}

type customerOrder struct {
	Reference   string          `json:"reference"`
	Status      string          `json:"status"`
	Email       string          `json:"email"`
	Language    string          `json:"language"`
	Currency    string          `json:"currency"`
	CreatedAt   time.Time       `json:"created_at"`
	PaidAt      *time.Time      `json:"paid_at"`
	ShippedAt   *time.Time      `json:"shipped_at"`
	DeliveredAt *time.Time      `json:"delivered_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
	ShipTo      customerAddress `json:"shipping_address"`
	BillTo      customerAddress `json:"billing_address"`
	Lines       []customerLine  `json:"lines"`
	Delivery    struct {
		Kind       string `json:"kind"`
		Carrier    string `json:"carrier"`
		PriceCents int64  `json:"price_cents"`
		Tracking   string `json:"tracking"`
	} `json:"delivery"`
	Totals struct {
		GoodsCents    int64  `json:"goods_cents"`
		ShippingCents int64  `json:"shipping_cents"`
		TotalCents    int64  `json:"total_cents"`
		RefundedCents int64  `json:"refunded_cents"`
		VATMode       string `json:"vat_mode"`
		VATExemption  string `json:"vat_exemption"`
		VAT           []struct {
			Rate       int   `json:"rate_basis_points"`
			BaseCents  int64 `json:"base_cents"`
			VATCents   int64 `json:"vat_cents"`
			TotalCents int64 `json:"total_cents"`
		} `json:"vat"`
	} `json:"totals"`
	Payments []struct {
		Provider    string     `json:"provider"`
		PaymentID   string     `json:"payment_id"`
		AmountCents int64      `json:"amount_cents"`
		Currency    string     `json:"currency"`
		PaidAt      *time.Time `json:"paid_at"`
	} `json:"payments"`
	Refunds []struct {
		AmountCents int64     `json:"amount_cents"`
		Currency    string    `json:"currency"`
		RefundedAt  time.Time `json:"refunded_at"`
	} `json:"refunds"`
	Invoices    []customerDocument `json:"invoices"`
	CreditNotes []customerDocument `json:"credit_notes"`
	Note        string             `json:"note"`
}

type customerAddress struct {
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

type customerLine struct {
	Title          string `json:"title"`
	ISBN           string `json:"isbn"`
	Format         string `json:"format"`
	Condition      string `json:"condition"`
	Quantity       int    `json:"quantity"`
	UnitCents      int64  `json:"unit_price_cents"`
	PublisherCents int64  `json:"publisher_price_cents"`
	TotalCents     int64  `json:"total_cents"`
	VATRate        int    `json:"vat_rate_basis_points"`
}

type customerDocument struct {
	Number      string    `json:"number"`
	IssuedAt    time.Time `json:"issued_at"`
	AmountCents int64     `json:"amount_cents"`
	Currency    string    `json:"currency"`
	Corrects    string    `json:"corrects"`
}

// decodeCustomerFile decodes an export strictly: unknown fields, a
// missing list (null) and anything after the object fail.
func decodeCustomerFile(t *testing.T, body string) customerFile {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.DisallowUnknownFields()
	var x customerFile
	if err := dec.Decode(&x); err != nil {
		t.Fatalf("decode the export: %v\n%.2000s", err, body)
	}
	if dec.More() {
		t.Fatal("the export holds more than one object")
	}
	if x.Orders == nil {
		t.Fatal("orders is null")
	}
	for _, o := range x.Orders {
		if o.Lines == nil || o.Totals.VAT == nil || o.Payments == nil || o.Refunds == nil || o.Invoices == nil || o.CreditNotes == nil {
			t.Errorf("order %s has a null list", o.Reference)
		}
	}
	return x
}

// customerExports counts the customer exports in the audit log.
func customerExports(t *testing.T, s *apptest.Site) int {
	t.Helper()
	entries, err := storage.NewAuditStore(s.App.DB).AuditEntries(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == shop.ActionCustomerExport {
			n++
		}
	}
	return n
}

// testShopCustomerExport: a customer's GDPR export from an order's page
// holds every order placed with their email, whatever its case, with
// lines, payments, refunds and document numbers, and no one else's; it
// is the admins', and each one is in the audit log.
func testShopCustomerExport(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	p := printer(s)
	indep := demoBook(t, s, "Indépendants", shop.ConditionNew)
	frontieres := demoBook(t, s, "Frontières", shop.ConditionNew)
	admin := as(t, s, users.RoleAdmin)

	first := paidOrderBy(t, s, "anne.roy@exemple.fr", "colissimo", "Anne Roy", shop.QuoteItem{Book: indep, Quantity: 2})
	clk.Advance(time.Hour)
	second := paidOrderBy(t, s, "Anne.Roy@Exemple.FR", "mondial-relay", "Anne Roy", shop.QuoteItem{Book: frontieres, Quantity: 1})
	resp, body := act(t, admin, second, "refund", "full", "", "amount", "3,00", "reason", "Coin corné")
	mustStatus(t, "partial refund", resp, body, http.StatusSeeOther)
	second = storedOrder(t, s, second.ID)
	// Someone else whose address ends like hers.
	near := paidOrderBy(t, s, "roy@exemple.fr", "colissimo", "Jean Roy", shop.QuoteItem{Book: indep, Quantity: 1})
	clk.Advance(time.Hour)
	export := orderPath(second) + "export"

	t.Run("OKOrderPage", func(t *testing.T) {
		resp, body := admin.get(orderPath(first))
		mustStatus(t, "order page", resp, body, http.StatusOK)
		d := parse(t, body)
		link := d.Find(fmt.Sprintf(`a[href="%sexport"]`, orderPath(first)))
		if got, want := strings.TrimSpace(link.Text()), p.T("admin.shop.order.export"); got != want {
			t.Errorf("export link %q, want %q", got, want)
		}
		if !strings.Contains(d.Text(), p.T("admin.shop.order.no_erasure")) {
			t.Error("the order's page does not say why orders are not erased")
		}
	})

	t.Run("ErrForbidden", func(t *testing.T) {
		before := customerExports(t, s)
		for _, r := range []users.Role{users.RoleEditor, users.RoleAuthor} {
			resp, body := as(t, s, r).get(export)
			mustStatus(t, string(r)+" export", resp, body, http.StatusForbidden)
			if strings.Contains(body, first.Reference) || strings.Contains(body, "Anne Roy") {
				t.Errorf("the refusal to an %s shows the customer's data", r)
			}
		}
		if got := customerExports(t, s); got != before {
			t.Errorf("%d exports recorded for refused requests", got-before)
		}
	})

	t.Run("ErrNotFound", func(t *testing.T) {
		before := customerExports(t, s)
		resp, body := admin.get("/admin/shop/orders/999999/export")
		mustStatus(t, "unknown order", resp, body, http.StatusNotFound)
		if got := customerExports(t, s); got != before {
			t.Errorf("%d exports recorded for an unknown order", got-before)
		}
	})

	t.Run("OK", func(t *testing.T) {
		before := customerExports(t, s)
		resp, body := admin.get(export)
		mustStatus(t, "export", resp, body, http.StatusOK)
		day := clk.Now().In(s.App.Settings.Get().Location()).Format(time.DateOnly)
		headers := map[string]string{
			"Content-Type":        "application/json; charset=utf-8",
			"Content-Disposition": `attachment; filename="client-anne.roy-exemple.fr-` + day + `.json"`,
			"Cache-Control":       "no-store",
		}
		for name, want := range headers {
			if got := resp.Header.Get(name); got != want {
				t.Errorf("%s %q, want %q", name, got, want)
			}
		}
		x := decodeCustomerFile(t, body)
		if x.Format != "kiosque-customer-export/1" || x.Email != second.Email || !x.ExportedAt.Equal(clk.Now()) {
			t.Errorf("format %q, email %q, exported at %v", x.Format, x.Email, x.ExportedAt)
		}
		var refs []string
		for _, o := range x.Orders {
			refs = append(refs, o.Reference)
		}
		if diff := cmp.Diff([]string{first.Reference, second.Reference}, refs); diff != "" {
			t.Fatalf("orders (-want +got):\n%s", diff)
		}
		for _, other := range []string{near.Reference, "client@example.org", "lecteur0"} {
			if strings.Contains(body, other) {
				t.Errorf("the export holds another customer's %q", other)
			}
		}

		got1, got2 := x.Orders[0], x.Orders[1]
		// The demo's prices (12 € and 14 €, books at 5.5 %) and
		// carriers, and its VAT exemption.
		for _, c := range []struct {
			name  string
			got   customerOrder
			lines []customerLine
			// goods, shipping, total and refunded, in cents.
			totals            [4]int64
			delivery, carrier string
		}{
			{"first", got1, []customerLine{{Title: "Indépendants", ISBN: indep.ISBN, Format: "print", Condition: "new", Quantity: 2,
				UnitCents: 1200, PublisherCents: 1200, TotalCents: 2400, VATRate: 550}}, [4]int64{2400, 759, 3159, 0}, "home",
				"Colissimo à domicile"},
			{"second", got2, []customerLine{{Title: "Frontières", ISBN: frontieres.ISBN, Format: "print", Condition: "new", Quantity: 1,
				UnitCents: 1400, PublisherCents: 1400, TotalCents: 1400, VATRate: 550}}, [4]int64{1400, 449, 1849, 300}, "relay",
				"Mondial Relay en point relais"},
		} {
			if diff := cmp.Diff(c.lines, c.got.Lines); diff != "" {
				t.Errorf("%s order's lines (-want +got):\n%s", c.name, diff)
			}
			tt, d := c.got.Totals, c.got.Delivery
			if got := [4]int64{tt.GoodsCents, tt.ShippingCents, tt.TotalCents, tt.RefundedCents}; got != c.totals ||
				tt.VATMode != "exempt_261_7_1b" || tt.VATExemption != "TVA non applicable, art. 261-7-1°-b du CGI" || len(tt.VAT) != 0 {
				t.Errorf("%s order's totals %+v, want %v cents, exempt", c.name, tt, c.totals)
			}
			if d.Kind != c.delivery || d.Carrier != c.carrier || d.PriceCents != c.totals[1] || d.Tracking != "" {
				t.Errorf("%s order's delivery %+v, want %s by %q", c.name, d, c.delivery, c.carrier)
			}
		}
		wantAddr := customerAddress{Name: "Anne Roy", Line1: "2 rue des Essais", PostalCode: "69001", City: "Lyon", Country: "FR"}
		if got1.ShipTo != wantAddr || got1.BillTo != wantAddr {
			t.Errorf("addresses %+v, %+v", got1.ShipTo, got1.BillTo)
		}
		for i, o := range []*shop.Order{first, second} {
			g := x.Orders[i]
			if g.Status != string(o.Status) || g.Email != o.Email || g.Currency != "EUR" || !g.CreatedAt.Equal(o.CreatedAt) ||
				g.PaidAt == nil || !g.PaidAt.Equal(o.PaidAt) {
				t.Errorf("order %d: %s %q %s created %v paid %v", i, g.Status, g.Email, g.Currency, g.CreatedAt, g.PaidAt)
			}
			if g.Totals.TotalCents != o.TotalCents || g.Totals.GoodsCents != o.GoodsCents || g.Delivery.PriceCents != o.ShippingCents ||
				g.Delivery.Carrier != o.CarrierName || g.Delivery.Kind != string(o.Delivery) || len(g.Totals.VAT) != len(o.VAT) {
				t.Errorf("order %d: totals %+v, delivery %+v", i, g.Totals, g.Delivery)
			}
			if len(g.Payments) != 1 || g.Payments[0].PaymentID != "pi_"+o.Reference || g.Payments[0].AmountCents != o.TotalCents ||
				g.Payments[0].Provider != "stripe" {
				t.Errorf("order %d: payments %+v", i, g.Payments)
			}
			if o.InvoiceNumber == "" || len(g.Invoices) != 1 || g.Invoices[0].Number != o.InvoiceNumber || g.Invoices[0].IssuedAt.IsZero() {
				t.Errorf("order %d: invoices %+v, want %q", i, g.Invoices, o.InvoiceNumber)
			}
		}
		if len(got1.Refunds) != 0 || len(got1.CreditNotes) != 0 {
			t.Errorf("first order: refunds %+v, credit notes %+v", got1.Refunds, got1.CreditNotes)
		}
		if len(got2.Refunds) != 1 || got2.Refunds[0].AmountCents != 300 || got2.Totals.RefundedCents != 300 {
			t.Errorf("second order: refunds %+v, refunded %d", got2.Refunds, got2.Totals.RefundedCents)
		}
		if c := got2.CreditNotes; len(c) != 1 || !strings.HasPrefix(c[0].Number, "A") || c[0].AmountCents != 300 || c[0].Corrects != second.InvoiceNumber {
			t.Errorf("second order: credit notes %+v", c)
		}
		// Every time is UTC, written with a Z.
		if !strings.Contains(body, `"created_at": "`+first.CreatedAt.UTC().Format(time.RFC3339)+`"`) {
			t.Error("created_at is not RFC 3339 in UTC")
		}
		if strings.Contains(body, "+01:00") || strings.Contains(body, "+02:00") || strings.Contains(body, `"pdf"`) {
			t.Error("the export holds a local time or a PDF")
		}

		if got := customerExports(t, s); got != before+1 {
			t.Fatalf("%d exports recorded, want 1", got-before)
		}
		entries, err := storage.NewAuditStore(s.App.DB).AuditEntries(t.Context(), 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		e := entries[0]
		if e.Action != shop.ActionCustomerExport || e.UserID != admin.user.ID || e.TargetType != "order" || e.TargetID != second.ID ||
			e.Summary != "2 orders" || strings.Contains(e.Summary, "@") {
			t.Errorf("audit entry %+v", e)
		}
		_, rows := auditRows(t, admin, "/admin/audit")
		row := rowWith(rows, p.T("admin.audit.action.customer_export", admin.user.Name))
		if row.Length() != 1 || row.Find(fmt.Sprintf(`a[href="%s"]`, orderPath(second))).Length() != 1 {
			t.Errorf("the audit page does not show the export with its order: %q", strings.TrimSpace(rows.First().Text()))
		}
	})

	t.Run("OKDemoCustomer", func(t *testing.T) {
		// The demo's first customer bought orders 0, 4 and 8 of its year.
		demo, err := s.App.Shop.Orders.OrderByReference(t.Context(), fmt.Sprintf("ord_%08x%024d", 0xdec0de00, 0))
		if err != nil {
			t.Fatal(err)
		}
		resp, body := admin.get(orderPath(demo) + "export")
		mustStatus(t, "demo export", resp, body, http.StatusOK)
		x := decodeCustomerFile(t, body)
		if len(x.Orders) != 3 {
			t.Fatalf("%d orders, want 3", len(x.Orders))
		}
		for _, o := range x.Orders {
			if o.Email != demo.Email || len(o.Lines) == 0 || len(o.Invoices) != 1 || o.Delivery.Tracking == "" || o.ShippedAt == nil {
				t.Errorf("demo order %s: %q, %d lines, invoices %+v, tracking %q", o.Reference, o.Email, len(o.Lines), o.Invoices, o.Delivery.Tracking)
			}
		}
		if !strings.Contains(resp.Header.Get("Content-Disposition"), `filename="client-lecteur00-exemple.fr-`) {
			t.Errorf("disposition %q", resp.Header.Get("Content-Disposition"))
		}
	})
}
