package shop_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/shop"
)

func line(unit int64, qty, rate int) shop.OrderLine {
	return shop.OrderLine{UnitCents: unit, Quantity: qty, VATRate: rate, Format: shop.FormatPrint, Condition: shop.ConditionNew}
}

func TestVATBreakdown(t *testing.T) {
	tests := []struct {
		name     string
		mode     shop.VATMode
		lines    []shop.OrderLine
		shipping int64
		want     []shop.VATLine
	}{
		{"Checklist17_22EurosAt5_5", shop.VATLiable, []shop.OrderLine{line(2200, 1, 550)}, 0,
			[]shop.VATLine{{Rate: 550, BaseCents: 2085, VATCents: 115, TotalCents: 2200}}},
		// The rate's total is taxed once, not line by line: 3 × 1,00 €
		// gives 2,84 € + 0,16 €, where lines rounded apart would give
		// 3 × 0,95 €.
		{"Checklist17_PerRateNotPerLine", shop.VATLiable, []shop.OrderLine{line(100, 1, 550), line(100, 1, 550), line(100, 1, 550)}, 0,
			[]shop.VATLine{{Rate: 550, BaseCents: 284, VATCents: 16, TotalCents: 300}}},
		{"Checklist18_BooksOnlyShippingAt5_5", shop.VATLiable, []shop.OrderLine{line(2000, 1, 550)}, 699,
			[]shop.VATLine{{Rate: 550, BaseCents: 2558, VATCents: 141, TotalCents: 2699}}},
		// 21,10 € of books (20,00 € HT) and 12,00 € of other goods (10,00 €
		// HT): 3,00 € of delivery splits 2,00 € / 1,00 €.
		{"Checklist18_MixedSplitProRataOfHT", shop.VATLiable, []shop.OrderLine{line(1200, 1, 2000), line(2110, 1, 550)}, 300,
			[]shop.VATLine{{Rate: 550, BaseCents: 2190, VATCents: 120, TotalCents: 2310},
				{Rate: 2000, BaseCents: 1083, VATCents: 217, TotalCents: 1300}}},
		// 1 cent cannot split: it goes to the largest remainder.
		{"Checklist18_OneCentToLargestShare", shop.VATLiable, []shop.OrderLine{line(2110, 1, 550), line(1200, 1, 2000)}, 1,
			[]shop.VATLine{{Rate: 550, BaseCents: 2001, VATCents: 110, TotalCents: 2111},
				{Rate: 2000, BaseCents: 1000, VATCents: 200, TotalCents: 1200}}},
		{"Checklist19_ExemptNoVAT", shop.VATExempt, []shop.OrderLine{line(2200, 1, 550)}, 300, nil},
		{"Checklist19_FranchiseNoVAT", shop.VATFranchise, []shop.OrderLine{line(2200, 1, 550)}, 300, nil},
		{"OKRoundsHalfUp", shop.VATLiable, []shop.OrderLine{line(5, 1, 10000)}, 0,
			[]shop.VATLine{{Rate: 10000, BaseCents: 3, VATCents: 2, TotalCents: 5}}},
		{"OKFreeLinesShippingOnTopRate", shop.VATLiable, []shop.OrderLine{line(0, 1, 550), line(0, 1, 2000)}, 300,
			[]shop.VATLine{{Rate: 550}, {Rate: 2000, BaseCents: 250, VATCents: 50, TotalCents: 300}}},
		{"OKShippingAlone", shop.VATLiable, nil, 300, []shop.VATLine{{Rate: 2000, BaseCents: 250, VATCents: 50, TotalCents: 300}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := shop.VATBreakdown(tt.mode, tt.lines, tt.shipping)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("VATBreakdown (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVATBreakdownProperties: for random carts, every rate's HT + VAT is
// its TTC, the breakdown sums to the order's total, shipping shares are
// proportionate to the cent and VAT is never negative.
func TestVATBreakdownProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	rates := []int{550, 550, 550, 2000, 1000, 210}
	for i := range 5000 {
		var ls []shop.OrderLine
		var goods int64
		for range 1 + rng.IntN(8) {
			l := line(1+rng.Int64N(20000), 1+rng.IntN(5), rates[rng.IntN(len(rates))])
			goods += l.TotalCents()
			ls = append(ls, l)
		}
		shipping := rng.Int64N(3000)
		got := shop.VATBreakdown(shop.VATLiable, ls, shipping)
		var total int64
		for j, v := range got {
			if v.BaseCents+v.VATCents != v.TotalCents || v.VATCents < 0 || v.BaseCents < 0 {
				t.Fatalf("cart %d: %+v", i, v)
			}
			if j > 0 && got[j-1].Rate >= v.Rate {
				t.Fatalf("cart %d: rates out of order: %+v", i, got)
			}
			// HT is TTC / (1 + rate) to the half cent.
			if d := v.BaseCents*int64(10000+v.Rate) - v.TotalCents*10000; 2*d > int64(10000+v.Rate) || -2*d > int64(10000+v.Rate) {
				t.Fatalf("cart %d: %+v: HT off by more than half a cent", i, v)
			}
			total += v.TotalCents
		}
		if total != goods+shipping {
			t.Fatalf("cart %d: breakdown sums to %d, want %d", i, total, goods+shipping)
		}
	}
}

func TestVATModes(t *testing.T) {
	tests := []struct {
		name      string
		mode      shop.VATMode
		valid     bool
		charged   bool
		exemption string
	}{
		{"OKLiable", shop.VATLiable, true, true, ""},
		{"OKExempt", shop.VATExempt, true, false, "TVA non applicable, art. 261-7-1°-b du CGI"},
		{"OKFranchise", shop.VATFranchise, true, false, "TVA non applicable, art. 293 B du CGI"},
		{"ErrUnknown", "assujetti", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.mode.Valid() != tt.valid || tt.mode.Charged() != tt.charged || shop.DefaultExemption(tt.mode) != tt.exemption {
				t.Errorf("Valid %v, Charged %v, DefaultExemption %q", tt.mode.Valid(), tt.mode.Charged(), shop.DefaultExemption(tt.mode))
			}
		})
	}
}
