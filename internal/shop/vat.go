package shop

import (
	"cmp"
	"slices"
)

// VAT rates in basis points.
const (
	// BookVATRate is the rate of books on any support, e-books and
	// audiobooks included (CGI art. 278-0 bis A 3°).
	BookVATRate = 550
	// StandardVATRate is the normal rate, for other goods.
	StandardVATRate = 2000
)

// Valid reports whether m is one of the VAT modes.
func (m VATMode) Valid() bool { return m == VATLiable || m == VATExempt || m == VATFranchise }

// Charged reports whether the shop charges VAT in mode m.
func (m VATMode) Charged() bool { return m == VATLiable }

// DefaultExemption returns the mention an invoice carries in mode m (CGI
// annexe II art. 242 nonies A 12° requires citing the provision), or ""
// when the shop charges VAT. The association may word it otherwise in
// its settings.
func DefaultExemption(m VATMode) string {
	switch m {
	case VATFranchise:
		return "TVA non applicable, art. 293 B du CGI"
	case VATExempt:
		return "TVA non applicable, art. 261-7-1°-b du CGI"
	}
	return ""
}

// VATBreakdown returns the VAT of a document per rate, in increasing
// order of rate, or nil when mode charges none (checklist 19). For each
// rate, the total tax included is the sum of its lines plus its share of
// shippingCents; the amount before tax is derived once from that total,
// HT = round_half_up(TTC × 10000 / (10000 + rate)), and VAT = TTC − HT,
// so HT + VAT is always TTC (checklist 17: 22,00 € at 5.5 % gives 20,85 €
// + 1,15 €). Delivery is part of the taxable price (CGI art. 267-I-2°):
// it follows the goods, split pro rata of their value before tax per rate
// to the cent, the shares summing exactly to shippingCents (checklist 18).
// Lines of no value leave shipping on the highest rate present; with no
// lines at all it is taxed at StandardVATRate.
func VATBreakdown(mode VATMode, lines []OrderLine, shippingCents int64) []VATLine {
	if !mode.Charged() {
		return nil
	}
	var out []VATLine
	for _, l := range lines {
		i, found := slices.BinarySearchFunc(out, l.VATRate, func(v VATLine, rate int) int { return cmp.Compare(v.Rate, rate) })
		if !found {
			out = slices.Insert(out, i, VATLine{Rate: l.VATRate})
		}
		out[i].TotalCents += l.TotalCents()
	}
	if shippingCents != 0 {
		if len(out) == 0 {
			out = []VATLine{{Rate: StandardVATRate}}
		}
		weights := make([]int64, len(out))
		for i, v := range out {
			weights[i] = amountBeforeTax(v.TotalCents, v.Rate)
		}
		for i, share := range splitProRata(shippingCents, weights) {
			out[i].TotalCents += share
		}
	}
	for i := range out {
		out[i].BaseCents = amountBeforeTax(out[i].TotalCents, out[i].Rate)
		out[i].VATCents = out[i].TotalCents - out[i].BaseCents
	}
	return out
}

// amountBeforeTax returns the amount before tax of ttc at rate (basis points),
// rounded half away from zero to the cent.
func amountBeforeTax(ttc int64, rate int) int64 {
	den := int64(10000 + rate)
	num := ttc * 10000
	if num < 0 {
		return -((-num*2 + den) / (2 * den))
	}
	return (num*2 + den) / (2 * den)
}

// splitProRata shares amount among weights in proportion, by largest remainder:
// each share is the floor of its exact part, and the cents left over go
// to the largest remainders (the earliest on a tie), so the shares sum
// exactly to amount. With no positive weight, everything goes to the
// last.
func splitProRata(amount int64, weights []int64) []int64 {
	shares := make([]int64, len(weights))
	var total int64
	for _, w := range weights {
		total += max(w, 0)
	}
	if total == 0 {
		shares[len(shares)-1] = amount
		return shares
	}
	sign := int64(1)
	if amount < 0 {
		sign, amount = -1, -amount
	}
	rems := make([]int64, len(weights))
	var given int64
	for i, w := range weights {
		w = max(w, 0)
		shares[i] = amount * w / total
		rems[i] = amount * w % total
		given += shares[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rems[b], rems[a]) })
	for k := int64(0); k < amount-given; k++ {
		shares[order[k]]++
	}
	for i := range shares {
		shares[i] *= sign
	}
	return shares
}
