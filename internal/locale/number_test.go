package locale

import (
	"math"
	"testing"
)

func TestPrinterNumber(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name   string
		n      int64
		wantFr string
		wantEn string
	}{
		{name: "zero", n: 0, wantFr: "0", wantEn: "0"},
		{name: "small", n: 7, wantFr: "7", wantEn: "7"},
		{name: "hundreds", n: 999, wantFr: "999", wantEn: "999"},
		{name: "thousand", n: 1000, wantFr: "1\u202f000", wantEn: "1,000"},
		{name: "millions", n: 1234567, wantFr: "1\u202f234\u202f567", wantEn: "1,234,567"},
		{name: "negative", n: -1234567, wantFr: "-1\u202f234\u202f567", wantEn: "-1,234,567"},
		{name: "negative small", n: -5, wantFr: "-5", wantEn: "-5"},
		{name: "negative hundred thousands", n: -123456, wantFr: "-123\u202f456", wantEn: "-123,456"},
		{name: "max", n: math.MaxInt64, wantFr: "9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f807", wantEn: "9,223,372,036,854,775,807"},
		{name: "min", n: math.MinInt64, wantFr: "-9\u202f223\u202f372\u202f036\u202f854\u202f775\u202f808", wantEn: "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Printer(French).Number(tt.n), tt.wantFr; got != want {
				t.Errorf("French Number(%d) = %q, want %q", tt.n, got, want)
			}
			if got, want := c.Printer(English).Number(tt.n), tt.wantEn; got != want {
				t.Errorf("English Number(%d) = %q, want %q", tt.n, got, want)
			}
		})
	}
}

func TestPrinterMoney(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		name   string
		cents  int64
		code   string
		wantFr string
		wantEn string
	}{
		// Checklist item 39: U+202F between groups, U+00A0 before €.
		{name: "EUR grouped", cents: 123450, code: "EUR", wantFr: "1\u202f234,50\u00a0€", wantEn: "€1,234.50"},
		{name: "EUR zero", cents: 0, code: "EUR", wantFr: "0,00\u00a0€", wantEn: "€0.00"},
		{name: "EUR cents only", cents: 5, code: "EUR", wantFr: "0,05\u00a0€", wantEn: "€0.05"},
		{name: "EUR book price", cents: 2200, code: "EUR", wantFr: "22,00\u00a0€", wantEn: "€22.00"},
		{name: "EUR negative", cents: -123450, code: "EUR", wantFr: "-1\u202f234,50\u00a0€", wantEn: "-€1,234.50"},
		{name: "EUR negative cents", cents: -1, code: "EUR", wantFr: "-0,01\u00a0€", wantEn: "-€0.01"},
		{name: "EUR lowercase code", cents: 1099, code: "eur", wantFr: "10,99\u00a0€", wantEn: "€10.99"},
		{name: "USD", cents: 123450, code: "USD", wantFr: "1\u202f234,50\u00a0USD", wantEn: "1,234.50\u00a0USD"},
		{name: "CHF negative", cents: -250, code: "CHF", wantFr: "-2,50\u00a0CHF", wantEn: "-2.50\u00a0CHF"},
		{name: "JPY has no minor unit", cents: 123450, code: "JPY", wantFr: "123\u202f450\u00a0JPY", wantEn: "123,450\u00a0JPY"},
		{name: "BHD has three decimals", cents: 1234, code: "BHD", wantFr: "1,234\u00a0BHD", wantEn: "1.234\u00a0BHD"},
		{name: "unknown code", cents: 123450, code: "ABC", wantFr: "1\u202f234,50\u00a0ABC", wantEn: "1,234.50\u00a0ABC"},
		{name: "no code", cents: 123450, code: "", wantFr: "1\u202f234,50", wantEn: "1,234.50"},
		{name: "min", cents: math.MinInt64, code: "EUR", wantFr: "-92\u202f233\u202f720\u202f368\u202f547\u202f758,08\u00a0€", wantEn: "-€92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := c.Printer(French).Money(tt.cents, tt.code), tt.wantFr; got != want {
				t.Errorf("French Money(%d, %q) = %q, want %q", tt.cents, tt.code, got, want)
			}
			if got, want := c.Printer(English).Money(tt.cents, tt.code), tt.wantEn; got != want {
				t.Errorf("English Money(%d, %q) = %q, want %q", tt.cents, tt.code, got, want)
			}
		})
	}
}

func BenchmarkMoney(b *testing.B) {
	p := mustLoad(b).Printer(French)
	for b.Loop() {
		_ = p.Money(123450, "EUR")
	}
}

func TestMoneyShort(t *testing.T) {
	fr, en := mustLoad(t).Printer(French), mustLoad(t).Printer(English)
	cases := []struct {
		name string
		p    *Printer
		in   int64
		want string
	}{
		{"OKFrenchWhole", fr, 1243000, "12\u202f430\u00a0€"},
		{"OKFrenchCents", fr, 1243050, "12\u202f430,50\u00a0€"},
		{"OKEnglishWhole", en, 2500, "€25"},
		{"OKZero", fr, 0, "0\u00a0€"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.p.MoneyShort(c.in, "EUR"); got != c.want {
				t.Errorf("MoneyShort(%d) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}
