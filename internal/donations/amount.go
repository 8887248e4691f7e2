// Package donations is the readers' support of the newsroom: one-off and
// monthly gifts, the people who give them, campaigns with a goal, and the
// numbering of tax receipts. Money moves only on a payment provider's
// signed event (see package payments); this package decides what each
// event means for the records, once.
package donations

import (
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Bounds of a gift given through the site, in cents: a euro at least (a
// card payment of less costs the newsroom more than it brings), and ten
// thousand euros at most (a larger gift is best made by transfer, and a
// typing slip of three zeros should not reach the card).
const (
	MinCents int64 = 100
	MaxCents int64 = 1_000_000
)

// ParseAmount reads an amount of euros as a reader types it: "25",
// "25,50", "25.5", "1 000", "1 000,00 €". It never trusts more than two
// decimals, a sign, an exponent or anything but digits, and checks the
// bounds. Errors are apperr.Invalid on the field "amount".
func ParseAmount(s string) (int64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	// Spaces group thousands in French: plain, no-break and narrow.
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if s == "" {
		return 0, bad("error.donation.amount_required")
	}
	whole, frac, hasFrac := strings.Cut(strings.ReplaceAll(s, ",", "."), ".")
	if whole == "" || len(whole) > 12 || !digits(whole) || hasFrac && (len(frac) == 0 || len(frac) > 2 || !digits(frac)) {
		return 0, bad("error.donation.amount_invalid")
	}
	var cents int64
	for _, c := range whole {
		cents = cents*10 + int64(c-'0')
	}
	cents *= 100
	switch len(frac) {
	case 1:
		cents += int64(frac[0]-'0') * 10
	case 2:
		cents += int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	}
	return cents, CheckAmount(cents)
}

// CheckAmount checks that cents is within the bounds of a gift.
func CheckAmount(cents int64) error {
	switch {
	case cents < MinCents:
		return bad("error.donation.amount_too_small", MinCents/100)
	case cents > MaxCents:
		return bad("error.donation.amount_too_large", MaxCents/100)
	}
	return nil
}

func bad(key string, args ...any) error {
	return apperr.New(apperr.Invalid, key, args...).InField("amount")
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// TaxReductionPercent is the share of a gift an individual donor deducts
// from their income tax (article 200 of the French tax code, within 20 %
// of their taxable income), which a tax receipt entitles them to.
const TaxReductionPercent = 66

// CostAfterTax is what a gift of cents really costs a donor who gets a
// tax receipt: « un don de 50 € ne vous coûte que 17 € ».
func CostAfterTax(cents int64) int64 {
	return cents - (cents*TaxReductionPercent+50)/100
}
