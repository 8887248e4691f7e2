package invoices

import (
	"slices"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// exclusive returns the amount before tax of ttc cents taxed at rate basis
// points, rounded half up to the cent: HT = TTC / (1 + rate), the VAT
// being the difference (french-rules.md §3.1: 22,00 € at 5.5 % is
// 20,85 € + 1,15 €).
func exclusive(ttc int64, rate int) int64 {
	d := int64(10000 + rate)
	if ttc < 0 {
		return -exclusive(-ttc, rate)
	}
	return (2*ttc*10000 + d) / (2 * d)
}

// split returns the VAT line of ttc cents at rate.
func split(ttc int64, rate int) shop.VATLine {
	ht := exclusive(ttc, rate)
	return shop.VATLine{Rate: rate, BaseCents: ht, VATCents: ttc - ht, TotalCents: ttc}
}

// share is an amount, tax included, at one VAT rate.
type share struct {
	Rate  int
	Cents int64
}

// goodsByRate sums the order's lines per VAT rate, by increasing rate.
func goodsByRate(lines []shop.OrderLine) []share {
	var out []share
	for _, l := range lines {
		i := slices.IndexFunc(out, func(s share) bool { return s.Rate == l.VATRate })
		if i < 0 {
			out = append(out, share{Rate: l.VATRate})
			i = len(out) - 1
		}
		out[i].Cents += l.TotalCents()
	}
	slices.SortFunc(out, func(a, b share) int { return a.Rate - b.Rate })
	return out
}

// shippingShares returns the part of the delivery charge taxed at each
// rate: what the order's VAT breakdown holds at that rate beyond the
// goods. Validate checks that these parts are the pro rata of the goods'
// value before tax.
func shippingShares(o *shop.Order) []share {
	goods := goodsByRate(o.Lines)
	var out []share
	for _, v := range o.VAT {
		s := share{Rate: v.Rate, Cents: v.TotalCents}
		for _, g := range goods {
			if g.Rate == v.Rate {
				s.Cents -= g.Cents
			}
		}
		if s.Cents != 0 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b share) int { return a.Rate - b.Rate })
	return out
}

// allocate spreads total over weights pro rata, to the cent, by largest
// remainder (ties to the first): the parts always sum to total.
func allocate(total int64, weights []int64) []int64 {
	var sum int64
	for _, w := range weights {
		sum += w
	}
	parts := make([]int64, len(weights))
	if sum <= 0 {
		return parts
	}
	rems := make([]int64, len(weights))
	left := total
	for i, w := range weights {
		parts[i] = total * w / sum
		rems[i] = total * w % sum
		left -= parts[i]
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case rems[a] > rems[b]:
			return -1
		case rems[a] < rems[b]:
			return 1
		}
		return 0
	})
	for i := 0; left > 0; i = (i + 1) % len(order) {
		parts[order[i]]++
		left--
	}
	return parts
}

// refundBreakdown spreads a partial refund over the order's VAT rates pro
// rata of what was charged at each, and splits each part into before tax
// and VAT.
func refundBreakdown(o *shop.Order, refund int64) []shop.VATLine {
	weights := make([]int64, len(o.VAT))
	for i, v := range o.VAT {
		weights[i] = v.TotalCents
	}
	parts := allocate(refund, weights)
	var out []shop.VATLine
	for i, v := range o.VAT {
		if parts[i] != 0 {
			out = append(out, split(parts[i], v.Rate))
		}
	}
	return out
}

// sortedVAT returns a copy of lines by increasing rate.
func sortedVAT(lines []shop.VATLine) []shop.VATLine {
	out := slices.Clone(lines)
	slices.SortFunc(out, func(a, b shop.VATLine) int { return a.Rate - b.Rate })
	return out
}

// rateText writes a VAT rate the language's way: « 5,5 % » (U+202F before
// the sign) in French, "5.5%" in English.
func rateText(p *locale.Printer, bp int) string {
	s := strconv.Itoa(bp / 100)
	if frac := bp % 100; frac != 0 {
		dec := strings.TrimRight(strconv.Itoa(100 + frac)[1:], "0")
		if p.Lang() == locale.English {
			s += "." + dec
		} else {
			s += "," + dec
		}
	}
	if p.Lang() == locale.English {
		return s + "%"
	}
	return s + "\u202f%"
}
