package invoices

import (
	"slices"
	"testing"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

func TestExclusive(t *testing.T) {
	tests := []struct {
		name      string
		ttc       int64
		rate      int
		wantHT    int64
		wantTotal int64
	}{
		// Checklist 17: 22,00 € at 5.5 % is 20,85 € + 1,15 €.
		{"book", 2200, 550, 2085, 2200},
		{"tote bag", 1500, 2000, 1250, 1500},
		{"half cent rounds up", 3, 2000, 3, 3},
		{"zero", 0, 550, 0, 0},
		{"no rate", 999, 0, 999, 999},
		{"negative", -2200, 550, -2085, -2200},
		{"large", 123_456_789, 550, 117_020_653, 123_456_789},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := exclusive(tt.ttc, tt.rate); got != tt.wantHT {
				t.Errorf("exclusive(%d, %d) = %d, want %d", tt.ttc, tt.rate, got, tt.wantHT)
			}
			v := split(tt.ttc, tt.rate)
			if got := v.BaseCents + v.VATCents; got != tt.wantTotal {
				t.Errorf("split(%d, %d): HT + VAT = %d, want %d", tt.ttc, tt.rate, got, tt.wantTotal)
			}
		})
	}
}

// TestSplitAddsUp checks checklist 17 over a range: HT + VAT is always
// TTC, and HT is TTC / (1 + rate) to half a cent.
func TestSplitAddsUp(t *testing.T) {
	for _, rate := range []int{210, 550, 1000, 2000} {
		for ttc := int64(0); ttc < 20_000; ttc += 7 {
			v := split(ttc, rate)
			if v.BaseCents+v.VATCents != ttc {
				t.Fatalf("split(%d, %d) = %+v: does not add up", ttc, rate, v)
			}
			d := int64(10000 + rate)
			if abs(v.BaseCents*d-ttc*10000)*2 > d {
				t.Fatalf("split(%d, %d) = %+v: HT is off by more than half a cent", ttc, rate, v)
			}
		}
	}
}

func TestAllocate(t *testing.T) {
	tests := []struct {
		name    string
		total   int64
		weights []int64
		want    []int64
	}{
		{"pro rata", 490, []int64{2085, 1250}, []int64{306, 184}},
		{"exact", 100, []int64{1, 1, 2}, []int64{25, 25, 50}},
		{"ties to the first", 1, []int64{1, 1}, []int64{1, 0}},
		{"refund", 1000, []int64{2506, 1684}, []int64{598, 402}},
		{"no weight", 500, []int64{0, 0}, []int64{0, 0}},
		{"one", 777, []int64{5}, []int64{777}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := allocate(tt.total, tt.weights); !slices.Equal(got, tt.want) {
				t.Errorf("allocate(%d, %v) = %v, want %v", tt.total, tt.weights, got, tt.want)
			}
		})
	}
}

func TestShippingShares(t *testing.T) {
	o := testOrder(shop.VATLiable, 490, otsuka, toteBag)
	got := shippingShares(o)
	want := []share{{550, 306}, {2000, 184}}
	if !slices.Equal(got, want) {
		t.Errorf("shippingShares() = %v, want %v", got, want)
	}
}

func TestRefundBreakdown(t *testing.T) {
	o := testOrder(shop.VATLiable, 490, otsuka, toteBag)
	got := refundBreakdown(o, 1000)
	want := []shop.VATLine{
		{Rate: 550, BaseCents: 567, VATCents: 31, TotalCents: 598},
		{Rate: 2000, BaseCents: 335, VATCents: 67, TotalCents: 402},
	}
	if !slices.Equal(got, want) {
		t.Errorf("refundBreakdown() = %+v, want %+v", got, want)
	}
}

func TestRateText(t *testing.T) {
	cat := testCatalog(t)
	tests := []struct {
		lang locale.Lang
		bp   int
		want string
	}{
		{locale.French, 550, "5,5\u202f%"},
		{locale.French, 2000, "20\u202f%"},
		{locale.French, 210, "2,1\u202f%"},
		{locale.French, 1025, "10,25\u202f%"},
		{locale.French, 0, "0\u202f%"},
		{locale.English, 550, "5.5%"},
		{locale.English, 2000, "20%"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang)+"_"+tt.want, func(t *testing.T) {
			if got := rateText(cat.Printer(tt.lang), tt.bp); got != tt.want {
				t.Errorf("rateText(%d) = %q, want %q", tt.bp, got, tt.want)
			}
		})
	}
}

func TestFrenchVATNumber(t *testing.T) {
	if got, want := frenchVATNumber("812345676"), "FR19812345676"; got != want {
		t.Errorf("frenchVATNumber() = %q, want %q", got, want)
	}
	// The example of the administration's documentation.
	if got, want := frenchVATNumber("404833048"), "FR83404833048"; got != want {
		t.Errorf("frenchVATNumber() = %q, want %q", got, want)
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ascii", "Roseanna", "Roseanna"},
		{"amount", "1\u202f234,50\u00a0€", "1\xa0234,50\xa0\x80"},
		{"guillemets", "« occasion »", "\xab occasion \xbb"},
		{"apostrophe and ligature", "L’œuvre", "L\x92\x9cuvre"},
		{"missing letter", "Łódź Nguyễn", "L\xf3dz Nguyen"},
		{"control", "a\tb", "a b"},
		{"unknown", "漢", "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encode(tt.in); got != tt.want {
				t.Errorf("encode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
