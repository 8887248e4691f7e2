// Package isbn checks and converts International Standard Book Numbers:
// ISBN-13 (an EAN-13 in the 978 or 979 "Bookland" prefixes) and the older
// ISBN-10, whose check character may be X.
//
// French books carry 978-2 or 979-10 ISBNs; feeds and spreadsheets send
// them with hyphens, spaces or a lower-case x, so every function here takes
// the number as written and Normalize gives the bare form that is stored.
package isbn

import (
	"errors"
	"fmt"
	"strings"
)

// The reasons an ISBN is refused; Validate wraps one of them.
var (
	// ErrLength: not 10 or 13 characters once hyphens and spaces are gone.
	ErrLength = errors.New("isbn: not 10 or 13 characters")
	// ErrCharacter: a character other than a digit (or a final X in an
	// ISBN-10).
	ErrCharacter = errors.New("isbn: invalid character")
	// ErrPrefix: an ISBN-13 that does not start with 978 or 979.
	ErrPrefix = errors.New("isbn: ISBN-13 must start with 978 or 979")
	// ErrCheckDigit: the check digit does not match the other digits.
	ErrCheckDigit = errors.New("isbn: wrong check digit")
	// ErrNo10: a 979 ISBN-13, which has no ISBN-10 form.
	ErrNo10 = errors.New("isbn: a 979 ISBN has no ISBN-10")
)

// Normalize returns s without hyphens, spaces (including no-break ones) and
// with an upper-case X, so that "2-7654-1005-4" and "2 7654 1005 4" compare
// equal. It does not validate.
func Normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '-', ' ', '\t', '\u00a0', '\u202f', '\u2010', '\u2011', '\u2012', '\u2013':
			continue
		case 'x':
			r = 'X'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Validate reports why s is not a valid ISBN-10 or ISBN-13 (nil when it
// is), after Normalize.
func Validate(s string) error {
	n := Normalize(s)
	switch len(n) {
	case 13:
		return validate13(n)
	case 10:
		return validate10(n)
	}
	return fmt.Errorf("validate %q: %w", s, ErrLength)
}

// Valid13 reports whether s is a valid ISBN-13 (978 or 979 prefix, right
// check digit), after Normalize.
func Valid13(s string) bool {
	n := Normalize(s)
	return len(n) == 13 && validate13(n) == nil
}

// Valid10 reports whether s is a valid ISBN-10, after Normalize.
func Valid10(s string) bool {
	n := Normalize(s)
	return len(n) == 10 && validate10(n) == nil
}

func validate13(n string) error {
	if !allDigits(n) {
		return fmt.Errorf("validate %q: %w", n, ErrCharacter)
	}
	if n[:3] != "978" && n[:3] != "979" {
		return fmt.Errorf("validate %q: %w", n, ErrPrefix)
	}
	if check13(n[:12]) != n[12] {
		return fmt.Errorf("validate %q: %w", n, ErrCheckDigit)
	}
	return nil
}

func validate10(n string) error {
	if !allDigits(n[:9]) || !isDigit(n[9]) && n[9] != 'X' {
		return fmt.Errorf("validate %q: %w", n, ErrCharacter)
	}
	if check10(n[:9]) != n[9] {
		return fmt.Errorf("validate %q: %w", n, ErrCheckDigit)
	}
	return nil
}

// To13 returns the ISBN-13 of s: s itself, normalized, when it is a valid
// ISBN-13, or "978" + the first nine digits and a new EAN check digit when
// it is a valid ISBN-10.
func To13(s string) (string, error) {
	n := Normalize(s)
	if err := Validate(n); err != nil {
		return "", fmt.Errorf("convert to ISBN-13: %w", err)
	}
	if len(n) == 13 {
		return n, nil
	}
	body := "978" + n[:9]
	return body + string(check13(body)), nil
}

// To10 returns the ISBN-10 of s: s itself, normalized, when it is a valid
// ISBN-10, or the nine digits after 978 and a new check character when it
// is a valid 978 ISBN-13. A 979 ISBN-13 gives ErrNo10.
func To10(s string) (string, error) {
	n := Normalize(s)
	if err := Validate(n); err != nil {
		return "", fmt.Errorf("convert to ISBN-10: %w", err)
	}
	if len(n) == 10 {
		return n, nil
	}
	if n[:3] != "978" {
		return "", fmt.Errorf("convert %s to ISBN-10: %w", n, ErrNo10)
	}
	body := n[3:12]
	return body + string(check10(body)), nil
}

// check13 is the EAN-13 check digit of 12 digits: weights 1, 3, 1, 3…,
// then (10 − sum mod 10) mod 10.
func check13(d string) byte {
	sum := 0
	for i := range 12 {
		v := int(d[i] - '0')
		if i%2 == 1 {
			v *= 3
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

// check10 is the ISBN-10 check character of 9 digits: weights 10 down to
// 2, then (11 − sum mod 11) mod 11, with 10 written X.
func check10(d string) byte {
	sum := 0
	for i := range 9 {
		sum += int(d[i]-'0') * (10 - i)
	}
	c := (11 - sum%11) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
