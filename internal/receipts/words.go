package receipts

import (
	"strconv"
	"strings"
)

// Words writes an amount of cents in French words, as the « somme en toutes
// lettres » of a receipt or a cheque: 15099 is « cent cinquante euros et
// quatre-vingt-dix-neuf centimes ».
//
// It follows the traditional spelling, the one of cheques and of most
// grammars, rather than the 1990 rectifications (which hyphenate every
// part, « deux-cent-un »; both are correct): hyphens join tens and units
// below one hundred except around « et » (« vingt et un », « soixante et
// onze », « quatre-vingt-un »); « vingt » and « cent » take an s when
// multiplied and last, or before the nouns million, milliard and billion
// (« quatre-vingts », « deux cents », « deux cents millions »), but not
// before « mille » (« deux cent mille »); « mille » never varies and
// takes no « un »; an exact number of millions is followed by « d'euros »
// (« un million d'euros »). Zero is « zéro euro »; an amount below one euro
// is written in centimes alone (« cinquante centimes »); a negative amount
// starts with « moins ».
func Words(cents int64) string {
	neg, mag := split(cents)
	if neg {
		return "moins " + wordsOf(mag)
	}
	return wordsOf(mag)
}

// split returns the sign and magnitude of n; the magnitude of math.MinInt64
// does not fit an int64 but fits a uint64.
func split(n int64) (neg bool, mag uint64) {
	if n < 0 {
		return true, -uint64(n) //nolint:gosec // two's complement gives the magnitude, even of MinInt64
	}
	return false, uint64(n)
}

func wordsOf(cents uint64) string {
	euros, rest := cents/100, cents%100
	var b strings.Builder
	if euros > 0 || rest == 0 {
		b.WriteString(spell(euros))
		switch {
		case euros <= 1:
			b.WriteString(" euro")
		case euros%1_000_000 == 0:
			b.WriteString(" d'euros")
		default:
			b.WriteString(" euros")
		}
	}
	if rest > 0 {
		if b.Len() > 0 {
			b.WriteString(" et ")
		}
		b.WriteString(spell(rest))
		if rest == 1 {
			b.WriteString(" centime")
		} else {
			b.WriteString(" centimes")
		}
	}
	return b.String()
}

// units are the numbers below twenty, each one word.
var units = [20]string{
	"zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
	"dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
}

// tens are the tens from twenty to sixty; seventy and ninety are built on
// sixty and eighty.
var tens = [7]string{"", "dix", "vingt", "trente", "quarante", "cinquante", "soixante"}

// scales are the French long-scale nouns, largest first.
var scales = [...]struct {
	value     uint64
	one, many string
}{
	{1_000_000_000_000, "billion", "billions"},
	{1_000_000_000, "milliard", "milliards"},
	{1_000_000, "million", "millions"},
}

// spell writes n in words, ending as a number said on its own (or before a
// noun): « quatre-vingts », « deux cents ».
func spell(n uint64) string {
	if n == 0 {
		return units[0]
	}
	var parts []string
	for _, s := range scales {
		if q := n / s.value; q > 0 {
			if q == 1 {
				parts = append(parts, "un "+s.one)
			} else {
				parts = append(parts, spell(q)+" "+s.many)
			}
			n %= s.value
		}
	}
	if q := n / 1000; q > 0 {
		if q == 1 {
			parts = append(parts, "mille")
		} else {
			parts = append(parts, below1000(q, false)+" mille")
		}
		n %= 1000
	}
	if n > 0 {
		parts = append(parts, below1000(n, true))
	}
	return strings.Join(parts, " ")
}

// below1000 writes 0 < n < 1000. final says whether a « cent » or « vingt »
// ending the number may take its plural s, which it loses before « mille ».
func below1000(n uint64, final bool) string {
	h, r := n/100, n%100
	if h == 0 {
		return below100(r, final)
	}
	s := "cent"
	if h > 1 {
		s = units[h] + " cent"
	}
	if r == 0 {
		if h > 1 && final {
			s += "s"
		}
		return s
	}
	return s + " " + below100(r, final)
}

// below100 writes 0 < n < 100.
func below100(n uint64, final bool) string {
	switch {
	case n < 20:
		return units[n]
	case n < 70:
		t, u := n/10, n%10
		switch u {
		case 0:
			return tens[t]
		case 1:
			return tens[t] + " et un"
		}
		return tens[t] + "-" + units[u]
	case n < 80:
		if n == 71 {
			return "soixante et onze"
		}
		return "soixante-" + units[n-60]
	case n == 80:
		if final {
			return "quatre-vingts"
		}
		return "quatre-vingt"
	}
	return "quatre-vingt-" + units[n-80]
}

// Framed writes an amount of cents in figures framed by asterisks, as the
// form allows instead of words on a computer-made receipt: 15000 is
// "***150,00***". It uses the French decimal comma and no thousands
// separator ("***1250000,00***"): the narrow no-break space French uses is
// missing from the PDF's encoding, and an unbroken run of figures between
// the asterisks leaves no gap to write in.
func Framed(cents int64) string {
	neg, mag := split(cents)
	b := make([]byte, 0, 32)
	b = append(b, "***"...)
	if neg {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, mag/100, 10)
	b = append(b, ',')
	if mag%100 < 10 {
		b = append(b, '0')
	}
	b = strconv.AppendUint(b, mag%100, 10)
	b = append(b, "***"...)
	return string(b)
}
