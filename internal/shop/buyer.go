package shop

import (
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Limits on what a buyer types, in characters.
const (
	maxAddressLine = 200
	maxPostalCode  = 12
	maxEmail       = 254
)

// Normalize trims what was typed, upper-cases the country and removes the
// spaces people put in a SIREN or a postal code.
func (a *Address) Normalize() {
	for _, p := range []*string{&a.Name, &a.Company, &a.Line1, &a.Line2, &a.City, &a.Phone} {
		*p = strings.TrimSpace(*p)
	}
	strip := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ".", "", "-", "")
	a.SIREN = strip.Replace(a.SIREN)
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	a.PostalCode = strings.ToUpper(strings.TrimSpace(a.PostalCode))
	if a.Country == "FR" || a.Country == "MC" {
		a.PostalCode = strip.Replace(a.PostalCode)
	}
}

// ValidateAddress returns the problems of a postal address, one Invalid
// error per field, each named prefix + "." + the field ("ship_to.city"):
// a name, a first line, a city, a known ISO 3166-1 country code and a
// postal code (five digits in France and Monaco).
func ValidateAddress(prefix string, a Address) error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(prefix+"."+field))
	}
	for _, f := range []struct{ field, value string }{{"name", a.Name}, {"line1", a.Line1}, {"city", a.City}} {
		if f.value == "" {
			bad(f.field, "error.shop.address_required")
		}
	}
	for _, f := range []struct{ field, value string }{{"name", a.Name}, {"company", a.Company}, {"line1", a.Line1},
		{"line2", a.Line2}, {"city", a.City}, {"phone", a.Phone}} {
		if utf8.RuneCountInString(f.value) > maxAddressLine || strings.ContainsAny(f.value, "\r\n") {
			bad(f.field, "error.shop.address_too_long", maxAddressLine)
		}
	}
	if !ValidCountry(a.Country) {
		bad("country", "error.shop.bad_country")
	}
	if !ValidPostalCode(a.Country, a.PostalCode) {
		bad("postal_code", "error.shop.bad_postal_code")
	}
	return errors.Join(errs...)
}

// ValidateBuyer checks the billing address of an order. A legal person
// (isCompany) must receive an invoice naming it, with its address and,
// when French, its SIREN (CGI art. 289-I and annexe II art. 242 nonies A;
// checklist 20), so the order cannot be completed without them.
func ValidateBuyer(bill Address, isCompany bool) error {
	errs := apperr.Split(ValidateAddress("bill_to", bill))
	if isCompany && bill.Company == "" {
		errs = append(errs, apperr.New(apperr.Invalid, "error.shop.company_required").InField("bill_to.company"))
	}
	switch {
	case isCompany && bill.Country == "FR" && bill.SIREN == "":
		errs = append(errs, apperr.New(apperr.Invalid, "error.shop.siren_required").InField("bill_to.siren"))
	case bill.SIREN != "" && bill.Country == "FR" && !ValidSIREN(bill.SIREN):
		errs = append(errs, apperr.New(apperr.Invalid, "error.shop.bad_siren").InField("bill_to.siren"))
	}
	return errors.Join(errs...)
}

// ValidSIREN reports whether s is a SIREN: nine digits whose Luhn sum is
// a multiple of ten.
func ValidSIREN(s string) bool {
	if len(s) != 9 {
		return false
	}
	sum := 0
	for i := range 9 {
		c := s[8-i]
		if c < '0' || c > '9' {
			return false
		}
		d := int(c - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ValidCountry reports whether c is an ISO 3166-1 alpha-2 country code in
// its current, upper-case form ("FR", not "fr", "UK" or "EU").
func ValidCountry(c string) bool {
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return false
	}
	r, err := language.ParseRegion(c)
	return err == nil && r.IsCountry() && r.Canonicalize().String() == c
}

// ValidPostalCode reports whether code suits country: five digits in
// France (overseas departments included) and Monaco (980xx), and
// otherwise up to twelve letters, digits, spaces or hyphens, which may be
// empty (Ireland's Eircode is optional, Hong Kong has none).
func ValidPostalCode(country, code string) bool {
	switch country {
	case "FR":
		return len(code) == 5 && allDigits(code)
	case "MC":
		return len(code) == 5 && allDigits(code) && strings.HasPrefix(code, "980")
	}
	if len(code) > maxPostalCode {
		return false
	}
	for _, r := range code {
		if (r < '0' || r > '9') && (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') && r != ' ' && r != '-' {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidEmail reports whether s is a bare email address a receipt can be
// sent to: "lea@exemple.fr", with no display name, a dot in the domain
// and at most 254 characters.
func ValidEmail(s string) bool {
	if s == "" || len(s) > maxEmail || strings.ContainsAny(s, " \t\r\n<>") {
		return false
	}
	m, err := mail.ParseAddress(s)
	if err != nil || m.Address != s || m.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	return at > 0 && strings.Contains(domain, ".") && !strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}
