package onix

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

var (
	errEmpty    = errors.New("empty")
	errComma    = errors.New("decimal comma")
	errNegative = errors.New("negative")
	errNumber   = errors.New("not a decimal number")
	errDate     = errors.New("not a date in its format")
)

// parseDecimal reads a non-negative decimal number written with a point
// ("10.99", "14.0", "16130") as an integer scaled by 10^scale (cents for
// scale 2). Digits past scale must be zeros. A decimal comma is refused
// rather than guessed: "30,80" may mean 30.80 or 3080.
func parseDecimal(s string, scale int) (int64, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return 0, errEmpty
	case strings.HasPrefix(s, "-"):
		return 0, errNegative
	case strings.ContainsRune(s, ','):
		return 0, errComma
	}
	s = strings.TrimPrefix(s, "+")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" || len(whole) > 12 || !digits(whole) || !digits(frac) {
		return 0, errNumber
	}
	if len(frac) > scale {
		if strings.Trim(frac[scale:], "0") != "" {
			return 0, errNumber
		}
		frac = frac[:scale]
	}
	frac += strings.Repeat("0", scale-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, errNumber
	}
	return n, nil
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// gramsPer converts the units of List 50 a weight may be given in.
var gramsPer = map[string]float64{"gr": 1, "kg": 1000, "oz": 28.349523125, "lb": 453.59237}

// parseWeight returns a Measurement in unit as whole grams.
func parseWeight(value, unit string) (int, error) {
	per, ok := gramsPer[strings.ToLower(strings.TrimSpace(unit))]
	if !ok {
		return 0, errors.New("unknown weight unit " + strconv.Quote(unit))
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v*per > 1e9 {
		return 0, errNumber
	}
	return int(math.Round(v * per)), nil
}

// parseDate reads an ONIX date in format (List 55): 00 YYYYMMDD, 01 YYYYMM,
// 05 YYYY, 13 YYYYMMDDThhmm[ss], 14 the same with Z or ±hhmm. An empty
// format is guessed from the value's shape, as many feeds omit it though
// 00 is the default. It returns the instant and the precision of the date.
func parseDate(value, format string) (time.Time, DatePrecision, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return time.Time{}, DateNone, errEmpty
	}
	if format == "" {
		switch {
		case strings.ContainsRune(v, 'T'):
			format = "14"
		case len(v) == 4:
			format = "05"
		case len(v) == 6:
			format = "01"
		default:
			format = "00"
		}
	}
	var layouts []string
	prec := DateDay
	switch format {
	case "00":
		layouts = []string{"20060102", "2006-01-02"}
	case "01":
		layouts, prec = []string{"200601"}, DateMonth
	case "05":
		layouts, prec = []string{"2006"}, DateYear
	case "13", "14":
		layouts = []string{"20060102T150405Z0700", "20060102T1504Z0700", "20060102T150405", "20060102T1504"}
	default:
		return time.Time{}, DateNone, errors.New("unsupported date format " + strconv.Quote(format))
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, v); err == nil && t.Year() >= 1000 {
			return t, prec, nil
		}
	}
	return time.Time{}, DateNone, errDate
}

// clean trims s and collapses its inner runs of XML white space (the line
// breaks of pretty-printed short-tag files) into one space. No-break
// spaces are kept: French typography puts them before « ; : ! ? ».
func clean(s string) string {
	if !needsClean(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := range len(s) {
		if isXMLSpace(s[i]) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, s[i])
	}
	return string(b)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func needsClean(s string) bool {
	if s == "" {
		return false
	}
	if isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1]) {
		return true
	}
	for i := range len(s) {
		if c := s[i]; c == '\t' || c == '\n' || c == '\r' || c == ' ' && isXMLSpace(s[i+1]) {
			return true
		}
	}
	return false
}

// fields splits a list of codes ("FR BE LU"), nil when there is none.
func fields(s string) []string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil
	}
	return f
}

// noSpace removes all white space, for codes and URLs that short-tag
// samples wrap over several lines.
func noSpace(s string) string {
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
