package invoices

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// fields returns the Field of every error joined in err, in order.
func fields(err error) []string {
	var out []string
	for _, e := range apperr.Split(err) {
		var ae *apperr.Error
		if errors.As(e, &ae) {
			out = append(out, ae.Field)
		}
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		doc  func(t *testing.T) *Document
	}{
		{"OK liable", func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATLiable, 300, otsuka, roseanna)) }},
		{"OK mixed", func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATLiable, 490, otsuka, toteBag)) }},
		{"OK exempt", func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATExempt, 300, otsuka)) }},
		{"OK franchise without VAT number", func(t *testing.T) *Document {
			d := invoice(t, testOrder(shop.VATFranchise, 300, otsuka))
			d.Seller.VATNumber = ""
			return d
		}},
		{"OK company abroad without SIREN", func(t *testing.T) *Document {
			o := company(testOrder(shop.VATLiable, 300, otsuka))
			o.BillTo.SIREN, o.BillTo.Country, o.BillTo.PostalCode = "", "DE", ""
			return invoice(t, o)
		}},
		{"OK credit", func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka), 2500) }},
		{"OK credit without payment", func(t *testing.T) *Document {
			d := credit(t, testOrder(shop.VATLiable, 300, otsuka), 100)
			d.Payment = Payment{}
			return d
		}},
		{"OK due", func(t *testing.T) *Document {
			d := invoice(t, testOrder(shop.VATLiable, 300, otsuka))
			d.Payment = Payment{Method: PayTransfer, DueAt: time.Date(2026, time.December, 1, 0, 0, 0, 0, paris)}
			return d
		}},
		{"OK billing address", func(t *testing.T) *Document {
			o := testOrder(shop.VATLiable, 300, otsuka)
			o.ShipTo = shop.Address{}
			o.BillTo = shop.Address{Name: "Zoé", Line1: "1 rue Neuve", PostalCode: "69001", City: "Lyon"}
			return invoice(t, o)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.doc(t).Validate(); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestValidateErr(t *testing.T) {
	liable := func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATLiable, 490, otsuka, toteBag)) }
	tests := []struct {
		name   string
		doc    func(t *testing.T) *Document
		change func(d *Document)
		want   []string
	}{
		{"ErrNoKind", liable, func(d *Document) { d.Kind = "" }, []string{"kind"}},
		{"ErrUnknownKind", liable, func(d *Document) { d.Kind = "quote" }, []string{"kind"}},
		{"ErrNoNumber", liable, func(d *Document) { d.Number = " " }, []string{"number"}},
		{"ErrNoDate", liable, func(d *Document) { d.IssuedAt = time.Time{} }, []string{"issued_at"}},
		{"ErrBeforeOrder", liable, func(d *Document) { d.IssuedAt = d.Order.CreatedAt.AddDate(0, 0, -1) }, []string{"issued_at"}},
		{"ErrCreditBeforeInvoice", func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka), 100) },
			func(d *Document) { d.CorrectsDate = d.IssuedAt.AddDate(0, 0, 1) }, []string{"issued_at"}},
		{"ErrNoCatalog", liable, func(d *Document) { d.Catalog = nil }, []string{"catalog"}},
		{"ErrNoOrder", liable, func(d *Document) { d.Order = nil }, []string{"order"}},
		{"ErrNoSellerSIREN", liable, func(d *Document) { d.Seller.SIREN = "" }, []string{"seller.siren"}},
		{"ErrBadSellerSIREN", liable, func(d *Document) { d.Seller.SIREN = "812345677" }, []string{"seller.siren"}},
		{"ErrNoSellerName", liable, func(d *Document) { d.Seller.Name = "" }, []string{"seller.name"}},
		{"ErrNoSellerAddress", liable, func(d *Document) { d.Seller.Address = []string{" "} }, []string{"seller.address"}},
		{"ErrNoLegalForm", liable, func(d *Document) { d.Seller.LegalForm = "" }, []string{"seller.legal_form"}},
		{"ErrNoRNA", liable, func(d *Document) { d.Seller.RNA = "" }, []string{"seller.rna"}},
		{"ErrBadRNA", liable, func(d *Document) { d.Seller.RNA = "691234567" }, []string{"seller.rna"}},
		{"ErrNoVATNumber", liable, func(d *Document) { d.Seller.VATNumber = "" }, []string{"seller.vat_number"}},
		{"ErrWrongVATNumber", liable, func(d *Document) { d.Seller.VATNumber = "FR20812345676" }, []string{"seller.vat_number"}},
		{"ErrNoBuyer", liable, func(d *Document) { d.Order.ShipTo = shop.Address{} }, []string{"buyer.name", "buyer.address", "buyer.city", "buyer.postal_code"}},
		{"ErrCompanyWithoutSIREN", liable, func(d *Document) { company(d.Order).BillTo.SIREN = "" }, []string{"buyer.siren"}},
		{"ErrCompanyBadSIREN", liable, func(d *Document) { company(d.Order).BillTo.SIREN = "732829321" }, []string{"buyer.siren"}},
		{"ErrNoLines", liable, func(d *Document) {
			d.Order.Lines, d.Order.GoodsCents, d.Order.TotalCents = nil, 0, d.Order.ShippingCents
		}, []string{"lines", "vat"}},
		{"ErrNoDescription", liable, func(d *Document) { d.Order.Lines[1].Title = "" }, []string{"lines[1].description"}},
		{"ErrTitleTooLong", liable, func(d *Document) { d.Order.Lines[0].Title = strings.Repeat("a", 1001) }, []string{"lines[0].description"}},
		{"ErrNoQuantity", liable, func(d *Document) { d.Order.Lines[0].Quantity = 0 }, []string{"lines[0].quantity", "goods"}},
		{"ErrGoods", liable, func(d *Document) { d.Order.GoodsCents++ }, []string{"goods", "total"}},
		{"ErrTotal", liable, func(d *Document) { d.Order.TotalCents++ }, []string{"total", "vat"}},
		{"ErrVATDoesNotAddUp", liable, func(d *Document) { d.Order.VAT[0].VATCents++ }, []string{"vat[0]"}},
		{"ErrVATWrongBase", liable, func(d *Document) {
			d.Order.VAT[0].BaseCents++
			d.Order.VAT[0].VATCents--
		}, []string{"vat[0]"}},
		{"ErrVATRateMissing", liable, func(d *Document) { d.Order.Lines[1].VATRate = 1000 }, []string{"lines[1].vat_rate"}},
		{"ErrVATTwice", liable, func(d *Document) { d.Order.VAT[1].Rate = d.Order.VAT[0].Rate }, []string{"vat[1]", "lines[1].vat_rate"}},
		{"ErrNoVAT", liable, func(d *Document) { d.Order.VAT = nil }, []string{"vat"}},
		{"ErrShippingNotProRata", liable, func(d *Document) {
			// All the delivery on the 5.5 % books: 26,90 € and 15,00 €.
			d.Order.VAT = []shop.VATLine{split(2690, 550), split(1500, 2000)}
		}, []string{"vat.shipping"}},
		{"ErrNoVATMode", liable, func(d *Document) { d.Order.VATMode = "" }, []string{"vat_mode"}},
		{"ErrUnknownVATMode", liable, func(d *Document) { d.Order.VATMode = "zero" }, []string{"vat_mode"}},
		{"ErrExemptWithVAT", func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATFranchise, 300, otsuka)) },
			func(d *Document) { d.Order.VAT = breakdown(d.Order.Lines, d.Order.ShippingCents) }, []string{"vat"}},
		{"ErrNoExemption", func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATExempt, 300, otsuka)) },
			func(d *Document) { d.Order.VATExemption, d.Exemption = "", " " }, []string{"exemption"}},
		{"ErrNoPaymentMethod", liable, func(d *Document) { d.Payment.Method = "" }, []string{"payment.method"}},
		{"ErrUnknownPaymentMethod", liable, func(d *Document) { d.Payment.Method = "bitcoin" }, []string{"payment.method"}},
		{"ErrNoPaymentDate", liable, func(d *Document) { d.Payment.PaidAt = time.Time{} }, []string{"payment.date"}},
		{"ErrInvoiceRefunds", liable, func(d *Document) { d.RefundCents = 100 }, []string{"corrects"}},
		{"ErrCreditCorrectsNothing", func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka), 100) },
			func(d *Document) { d.Corrects = "" }, []string{"corrects"}},
		{"ErrCreditCorrectsItself", func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka), 100) },
			func(d *Document) { d.Corrects = d.Number }, []string{"corrects"}},
		{"ErrCreditNoAmount", func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka), 100) },
			func(d *Document) { d.RefundCents = 0 }, []string{"refund"}},
		{"ErrCreditTooMuch", func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka), 100) },
			func(d *Document) { d.RefundCents = d.Order.TotalCents + 1 }, []string{"refund"}},
		{"ErrControlCharacter", liable, func(d *Document) { d.Seller.Name = "Le Veilleur\n" }, []string{"seller.name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.doc(t)
			tt.change(d)
			err := d.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Errorf("Validate() kind = %v, want Invalid", apperr.KindOf(err))
			}
			got := fields(err)
			for _, f := range tt.want {
				if !slices.Contains(got, f) {
					t.Errorf("fields = %q, want %q among them", got, f)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("fields = %q, want exactly %q (%v)", got, tt.want, err)
			}
			if _, err := Render(d); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("Render() = %v, want the invalid error", err)
			}
		})
	}
}

func TestValidateSlipErr(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *Document)
		want   string
	}{
		{"ErrNothingToPack", func(d *Document) {
			d.Order.Lines = []shop.OrderLine{ebook}
			d.Order.Delivery = shop.DeliveryDigital
		}, "lines"},
		{"ErrNoAddress", func(d *Document) { d.Order.ShipTo.Line1 = "" }, "ship_to.address"},
		{"ErrNoName", func(d *Document) { d.Order.ShipTo.Name = "" }, "ship_to.name"},
		{"ErrNoReference", func(d *Document) { d.Order.Reference = "" }, "order.reference"},
		{"ErrNoCatalog", func(d *Document) { d.Catalog = nil }, "catalog"},
		{"ErrNoOrder", func(d *Document) { d.Order = nil }, "order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := invoice(t, testOrder(shop.VATLiable, 300, otsuka))
			tt.change(d)
			_, err := RenderPackingSlip(d)
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("RenderPackingSlip() = %v, want an invalid error", err)
			}
			if got := fields(err); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("fields = %q, want [%q]", got, tt.want)
			}
		})
	}
}

// TestValidateSlipLenient checks that a packing slip needs no invoice
// number, no SIREN and no payment: it is printed before the invoice.
func TestValidateSlipLenient(t *testing.T) {
	d := invoice(t, testOrder(shop.VATLiable, 300, otsuka))
	d.Number, d.Seller.SIREN, d.Payment = "", "", Payment{}
	if _, err := RenderPackingSlip(d); err != nil {
		t.Fatalf("RenderPackingSlip() = %v", err)
	}
}
