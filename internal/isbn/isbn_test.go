package isbn

import (
	"errors"
	"fmt"
	"testing"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"OK13Roseanna", "9780007232833", nil},
		{"OK13Phebus", "9782752906700", nil},
		{"OK13Hyphens", "978-2-7654-1005-8", nil},
		{"OK13Spaces", " 978 2 07 036822 8 ", nil},
		{"OK13Prefix979", "979-10-90636-07-1", nil},
		{"OK10", "0007232837", nil},
		{"OK10X", "207036822X", nil},
		{"OK10LowerX", "2-07-036822-x", nil},
		{"OK10Hyphens", "2-7654-1005-4", nil},
		{"ErrCheckDigit13", "9780007232834", ErrCheckDigit},
		{"ErrCheckDigit10", "0007232838", ErrCheckDigit},
		{"ErrPrefix", "9771234567003", ErrPrefix},
		{"ErrPrefixGTIN", "3019002489208", ErrPrefix},
		{"ErrLengthEmpty", "", ErrLength},
		{"ErrLength12", "978000723283", ErrLength},
		{"ErrCharacter13", "97800072328a3", ErrCharacter},
		{"ErrCharacterXIn13", "978000723283X", ErrCharacter},
		{"ErrCharacterXNotLast", "20703682X2", ErrCharacter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Validate(tt.in)
			if !errors.Is(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Validate(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValid(t *testing.T) {
	if !Valid13("978-0-00-723283-3") || Valid13("0007232837") || Valid13("9780007232834") {
		t.Error("Valid13 disagrees with the vectors")
	}
	if !Valid10("0-00-723283-7") || Valid10("9780007232833") || Valid10("0007232838") {
		t.Error("Valid10 disagrees with the vectors")
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"OKHyphens", "978-2-7654-1005-8", "9782765410058"},
		{"OKNoBreakSpaces", "978\u00a02\u202f7654", "97827654"},
		{"OKLowerX", "207036822x", "207036822X"},
		{"OKUnchanged", "9782752906700", "9782752906700"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Normalize(tt.in); got != tt.want {
				t.Errorf("Normalize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTo13(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"OKRoseanna", "0007232837", "9780007232833", nil},
		{"OKPhebus", "2752906706", "9782752906700", nil},
		{"OKCheckX", "207036822X", "9782070368228", nil},
		{"OKHyphens", "2-7654-1005-4", "9782765410058", nil},
		{"OKAlready13", "978-0-00-723283-3", "9780007232833", nil},
		{"ErrCheckDigit", "0007232838", "", ErrCheckDigit},
		{"ErrLength", "12345", "", ErrLength},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := To13(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("To13(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestTo10(t *testing.T) {
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"OKRoseanna", "9780007232833", "0007232837", nil},
		{"OKPhebus", "9782752906700", "2752906706", nil},
		{"OKCheckX", "9782070368228", "207036822X", nil},
		{"OKAlready10", "0-00-723283-7", "0007232837", nil},
		{"Err979", "9791090636071", "", ErrNo10},
		{"ErrCheckDigit", "9780007232834", "", ErrCheckDigit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := To10(tt.in)
			if got != tt.want || !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Errorf("To10(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestRoundTrip converts every valid 978 ISBN-13 of a range to ISBN-10 and
// back.
func TestRoundTrip(t *testing.T) {
	for i := range 1000 {
		body := fmt.Sprintf("978275290%03d", i)
		n13 := body + string(check13(body))
		n10, err := To10(n13)
		if err != nil {
			t.Fatalf("To10(%s): %v", n13, err)
		}
		back, err := To13(n10)
		if err != nil || back != n13 {
			t.Fatalf("To13(To10(%s)) = %s, %v", n13, back, err)
		}
	}
}

func FuzzValidate(f *testing.F) {
	for _, s := range []string{"9780007232833", "207036822X", "979-10-90636-07-1", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if Validate(s) != nil {
			return
		}
		n13, err := To13(s)
		if err != nil || !Valid13(n13) {
			t.Fatalf("To13(%q) = %q, %v for a valid ISBN", s, n13, err)
		}
		if n10, err := To10(n13); err == nil {
			if back, _ := To13(n10); back != n13 {
				t.Fatalf("round trip of %q: %q → %q", n13, n10, back)
			}
		}
	})
}
