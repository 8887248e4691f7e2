package invoices

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kiosque/kiosque/internal/shop"
)

func TestForInvoice(t *testing.T) {
	o := testOrder(shop.VATLiable, 300, otsuka, roseanna)
	o.InvoiceNumber = "F2026-000042"
	at := time.Date(2026, time.November, 20, 16, 0, 0, 0, paris)
	tests := []struct {
		name string
		inv  *shop.Invoice
		want *Document
	}{
		{
			name: "invoice",
			inv:  &shop.Invoice{Kind: shop.KindInvoice, Number: "F2026-000042", IssuedAt: at, AmountCents: o.TotalCents},
			want: &Document{
				Kind: shop.KindInvoice, Number: "F2026-000042", IssuedAt: at, Seller: testSeller(), Order: o,
				Payment: Payment{Method: PayCard, PaidAt: o.PaidAt},
			},
		},
		{
			name: "credit",
			inv:  &shop.Invoice{Kind: shop.KindCredit, Number: "A2026-000003", IssuedAt: at, AmountCents: 1000, Corrects: 7},
			want: &Document{
				Kind: shop.KindCredit, Number: "A2026-000003", IssuedAt: at, Seller: testSeller(), Order: o,
				Payment: Payment{Method: PayCard, PaidAt: at}, Corrects: "F2026-000042", RefundCents: 1000,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForInvoice(o, tt.inv, testSeller(), testCatalog(t))
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(Document{}, "Catalog")); diff != "" {
				t.Errorf("ForInvoice() mismatch (-want +got):\n%s", diff)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}
