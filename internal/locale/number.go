package locale

import (
	"strconv"
	"strings"

	"golang.org/x/text/currency"
)

// Separators of numbers and amounts (CLDR fr and en).
const (
	narrowNBSP = "\u202f" // French thousands separator
	nbsp       = "\u00a0" // between an amount and its currency
)

// Number formats n with the digit grouping of p's language: "1 234 567"
// in French (U+202F narrow no-break space between groups, from 1 000 up, as
// CLDR does), "1,234,567" in English. Negative numbers take a leading "-".
func (p *Printer) Number(n int64) string {
	b := make([]byte, 0, 32)
	neg, mag := split(n)
	if neg {
		b = append(b, '-')
	}
	return string(p.appendGrouped(b, mag))
}

// Money formats an amount given in minor units of an ISO 4217 currency
// (cents for EUR; yen for JPY, which has none). EUR is written the
// language's way: "1 234,50 €" in French (U+202F between groups, U+00A0
// before €), "€1,234.50" in English. Any other currency gets the amount then
// its code: "1 234,50 USD", "1,234.50 USD" (U+00A0 before the code). A
// negative amount takes a leading minus: "-1 234,50 €", "-€1,234.50". An
// empty or unknown code formats two decimals and the code as given,
// uppercased.
func (p *Printer) Money(cents int64, code string) string { return p.money(cents, code, false) }

// MoneyShort formats an amount like Money, but without decimals when it
// is a whole number of units: "12 430 €", "€12,430", as campaign figures
// and preset amounts are written.
func (p *Printer) MoneyShort(cents int64, code string) string { return p.money(cents, code, true) }

func (p *Printer) money(cents int64, code string, short bool) string {
	code = strings.ToUpper(strings.TrimSpace(code))
	scale := 2
	if unit, err := currency.ParseISO(code); err == nil {
		scale, _ = currency.Standard.Rounding(unit)
	}
	neg, mag := split(cents)
	if short && scale == 2 && mag%100 == 0 {
		mag, scale = mag/100, 0
	}
	b := make([]byte, 0, 40)
	if neg {
		b = append(b, '-')
	}
	euroFirst := code == "EUR" && p.lang == English
	if euroFirst {
		b = append(b, "€"...)
	}
	b = p.appendDecimal(b, mag, scale)
	switch {
	case euroFirst, code == "":
	case code == "EUR":
		b = append(b, nbsp+"€"...)
	default:
		b = append(b, nbsp...)
		b = append(b, code...)
	}
	return string(b)
}

// split returns the sign and magnitude of n; the magnitude of math.MinInt64
// does not fit an int64 but fits a uint64.
func split(n int64) (neg bool, mag uint64) {
	if n < 0 {
		return true, -uint64(n) //nolint:gosec // two's complement gives the magnitude, even of MinInt64
	}
	return false, uint64(n)
}

// appendDecimal appends mag / 10^scale with scale decimals.
func (p *Printer) appendDecimal(b []byte, mag uint64, scale int) []byte {
	pow := uint64(1)
	for range scale {
		pow *= 10
	}
	b = p.appendGrouped(b, mag/pow)
	if scale == 0 {
		return b
	}
	if p.lang == English {
		b = append(b, '.')
	} else {
		b = append(b, ',')
	}
	frac := strconv.AppendUint(make([]byte, 0, 20), mag%pow, 10)
	for range scale - len(frac) {
		b = append(b, '0')
	}
	return append(b, frac...)
}

// appendGrouped appends u in groups of three digits.
func (p *Printer) appendGrouped(b []byte, u uint64) []byte {
	sep := narrowNBSP
	if p.lang == English {
		sep = ","
	}
	var buf [20]byte
	digits := strconv.AppendUint(buf[:0], u, 10)
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b = append(b, sep...)
		}
		b = append(b, d)
	}
	return b
}
