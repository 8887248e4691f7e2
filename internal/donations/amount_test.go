package donations_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/donations"
)

func TestParseAmount(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want int64
		key  string
	}{
		{name: "OKWhole", in: "25", want: 2500},
		{name: "OKComma", in: "25,50", want: 2550},
		{name: "OKPoint", in: "25.5", want: 2550},
		{name: "OKSpaces", in: " 1 000,00 € ", want: 100000},
		{name: "OKNarrowSpace", in: "1\u202f000", want: 100000},
		{name: "OKMinimum", in: "1", want: 100},
		{name: "OKMaximum", in: "10000", want: 1_000_000},
		{name: "ErrEmpty", in: "  ", key: "error.donation.amount_required"},
		{name: "ErrZero", in: "0", key: "error.donation.amount_too_small"},
		{name: "ErrCents", in: "0,99", key: "error.donation.amount_too_small"},
		{name: "ErrNegative", in: "-5", key: "error.donation.amount_invalid"},
		{name: "ErrExponent", in: "1e9", key: "error.donation.amount_invalid"},
		{name: "ErrHuge", in: "1000000000", key: "error.donation.amount_too_large"},
		{name: "ErrOverflow", in: "99999999999999999999", key: "error.donation.amount_invalid"},
		{name: "ErrWords", in: "abc", key: "error.donation.amount_invalid"},
		{name: "ErrThreeDecimals", in: "25,505", key: "error.donation.amount_invalid"},
		{name: "ErrTwoSeparators", in: "1.000,50", key: "error.donation.amount_invalid"},
		{name: "ErrTrailingSeparator", in: "25,", key: "error.donation.amount_invalid"},
		{name: "ErrPlus", in: "+25", key: "error.donation.amount_invalid"},
		{name: "ErrArabicDigits", in: "٢٥", key: "error.donation.amount_invalid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := donations.ParseAmount(c.in)
			if c.key == "" {
				if err != nil || got != c.want {
					t.Errorf("ParseAmount(%q) = %d, %v; want %d", c.in, got, err, c.want)
				}
				return
			}
			key, _ := apperr.Message(err)
			if !apperr.Is(err, apperr.Invalid) || key != c.key {
				t.Errorf("ParseAmount(%q) = %d, %v; want %s", c.in, got, err, c.key)
			}
		})
	}
}
