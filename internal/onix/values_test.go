package onix

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestParseDecimal(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		scale int
		want  int64
		err   error
	}{
		{"OKCents", "10.99", 2, 1099, nil},
		{"OKOneDecimal", "14.0", 2, 1400, nil},
		{"OKWhole", "16130", 2, 1613000, nil},
		{"OKTrailingZeros", "7.9900", 2, 799, nil},
		{"OKSpaces", " 8.50\n", 2, 850, nil},
		{"OKPlus", "+5", 2, 500, nil},
		{"OKLeadingPoint", ".5", 2, 50, nil},
		{"OKRate", "5.5", 2, 550, nil},
		{"OKZero", "0.00", 2, 0, nil},
		{"ErrComma", "30,80", 2, 0, errComma},
		{"ErrNegative", "-3.00", 2, 0, errNegative},
		{"ErrEmpty", "  ", 2, 0, errEmpty},
		{"ErrThirdDecimal", "1.999", 2, 0, errNumber},
		{"ErrLetters", "12€", 2, 0, errNumber},
		{"ErrTwoPoints", "1.2.3", 2, 0, errNumber},
		{"ErrHuge", "99999999999999999", 2, 0, errNumber},
		{"ErrPoint", ".", 2, 0, errNumber},
		{"ErrExponent", "1e3", 2, 0, errNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDecimal(tt.in, tt.scale)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("parseDecimal(%q) = %d, %v; want %d, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		name, value, format string
		want                time.Time
		prec                DatePrecision
		err                 bool
	}{
		{"OKDay", "20120906", "00", time.Date(2012, 9, 6, 0, 0, 0, 0, time.UTC), DateDay, false},
		{"OKDayHyphens", "2012-09-06", "00", time.Date(2012, 9, 6, 0, 0, 0, 0, time.UTC), DateDay, false},
		{"OKMonth", "201209", "01", time.Date(2012, 9, 1, 0, 0, 0, 0, time.UTC), DateMonth, false},
		{"OKYear", "1968", "05", time.Date(1968, 1, 1, 0, 0, 0, 0, time.UTC), DateYear, false},
		{"OKGuessDay", "20120906", "", time.Date(2012, 9, 6, 0, 0, 0, 0, time.UTC), DateDay, false},
		{"OKGuessYear", "1968", "", time.Date(1968, 1, 1, 0, 0, 0, 0, time.UTC), DateYear, false},
		{"OKTimeZone", "20130427T000000+0200", "14", time.Date(2013, 4, 26, 22, 0, 0, 0, time.UTC), DateDay, false},
		{"OKTimeUTC", "20160310T0500Z", "14", time.Date(2016, 3, 10, 5, 0, 0, 0, time.UTC), DateDay, false},
		{"OKTimeLocal", "20150717T210409", "13", time.Date(2015, 7, 17, 21, 4, 9, 0, time.UTC), DateDay, false},
		{"ErrMonth31", "20163112", "00", time.Time{}, DateNone, true},
		{"ErrShort", "2012-09", "00", time.Time{}, DateNone, true},
		{"ErrFormat", "2012W36", "02", time.Time{}, DateNone, true},
		{"ErrEmpty", "", "00", time.Time{}, DateNone, true},
		{"ErrWrongFormatForValue", "20120906", "05", time.Time{}, DateNone, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, prec, err := parseDate(tt.value, tt.format)
			if !got.Equal(tt.want) || prec != tt.prec || (err != nil) != tt.err {
				t.Errorf("parseDate(%q, %q) = %v, %v, %v; want %v, %v, error %v", tt.value, tt.format, got, prec, err, tt.want, tt.prec, tt.err)
			}
		})
	}
}

func TestParseWeight(t *testing.T) {
	tests := []struct {
		name, value, unit string
		want              int
		err               bool
	}{
		{"OKGrams", "195", "gr", 195, false},
		{"OKKilograms", "0.178", "kg", 178, false},
		{"OKOunces", "7", "oz", 198, false},
		{"OKPounds", "1", "lb", 454, false},
		{"ErrUnit", "195", "mm", 0, true},
		{"ErrNegative", "-1", "gr", 0, true},
		{"ErrNaN", "NaN", "gr", 0, true},
		{"ErrHuge", "1e300", "kg", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseWeight(tt.value, tt.unit)
			if got != tt.want || (err != nil) != tt.err {
				t.Errorf("parseWeight(%q, %q) = %d, %v", tt.value, tt.unit, got, err)
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"OKUnchanged", "Roseanna", "Roseanna"},
		{"OKWrapped", "Martin Beck series\n            ", "Martin Beck series"},
		{"OKInnerRuns", " a \t b\n\nc ", "a b c"},
		{"OKKeepsNoBreakSpace", "Bonjour\u202f!", "Bonjour\u202f!"},
		{"OKEmpty", "", ""},
		{"OKOnlySpaces", " \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := clean(tt.in); got != tt.want {
				t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestBudgetReader(t *testing.T) {
	b := &budgetReader{r: strings.NewReader(strings.Repeat("x", 100)), left: 10}
	got, err := io.ReadAll(b)
	if len(got) != 10 || !errors.Is(err, ErrTooLarge) {
		t.Errorf("read %d bytes, %v; want 10, ErrTooLarge", len(got), err)
	}
}

// TestHeaderTooLarge checks that the read budget ends the stream with
// ErrTooLarge: here a header over maxHeaderBytes.
func TestHeaderTooLarge(t *testing.T) {
	src := io.MultiReader(strings.NewReader(`<ONIXMessage release="3.0"><Header><Sender><SenderName>`),
		strings.NewReader(strings.Repeat("x", maxHeaderBytes+1)), strings.NewReader(`</SenderName></Sender></Header></ONIXMessage>`))
	_, err := NewReader(src)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("error = %v, want ErrTooLarge", err)
	}
}
