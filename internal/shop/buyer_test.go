package shop_test

import (
	"slices"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/testutil"
)

func address() shop.Address {
	return shop.Address{Name: "Léa Martin", Line1: "12 rue Mercière", PostalCode: "69002", City: "Lyon", Country: "FR"}
}

// TestValidateBuyer: an order to a legal person cannot be completed
// without its name, address and, if French, SIREN (checklist 20, second
// half; the gap-free invoice numbers of its first half are the order
// store's).
func TestValidateBuyer(t *testing.T) {
	company := func(a *shop.Address) { a.Company, a.SIREN = "Médiathèque de Villeurbanne", "732 829 320" }
	tests := []struct {
		name      string
		edit      func(a *shop.Address)
		isCompany bool
		fields    []string
	}{
		{"OKPerson", func(*shop.Address) {}, false, nil},
		{"OKPersonAbroad", func(a *shop.Address) { a.Country, a.PostalCode = "BE", "1000" }, false, nil},
		{"OKMonaco", func(a *shop.Address) { a.Country, a.PostalCode = "MC", "98000" }, false, nil},
		{"OKReunion", func(a *shop.Address) { a.Country, a.PostalCode = "RE", "97400" }, false, nil},
		{"Checklist20_CompanyComplete", company, true, nil},
		{"Checklist20_CompanyNeedsName", func(a *shop.Address) { company(a); a.Company = "" }, true, []string{"bill_to.company"}},
		{"Checklist20_FrenchCompanyNeedsSIREN", func(a *shop.Address) { company(a); a.SIREN = "" }, true, []string{"bill_to.siren"}},
		{"Checklist20_FrenchCompanyBadSIREN", func(a *shop.Address) { company(a); a.SIREN = "732829321" }, true, []string{"bill_to.siren"}},
		{"Checklist20_CompanyNeedsAddress", func(a *shop.Address) { company(a); a.Line1, a.City = "", "" }, true,
			[]string{"bill_to.city", "bill_to.line1"}},
		{"Checklist20_ForeignCompanyNoSIREN", func(a *shop.Address) {
			company(a)
			a.SIREN, a.Country, a.PostalCode = "", "BE", "1000"
		}, true, nil},
		{"ErrNoName", func(a *shop.Address) { a.Name = " " }, false, []string{"bill_to.name"}},
		{"OKCountryLowerCaseNormalized", func(a *shop.Address) { a.Country = "fr" }, false, nil},
		{"ErrCountry", func(a *shop.Address) { a.Country = "EU" }, false, []string{"bill_to.country"}},
		{"ErrOldCountry", func(a *shop.Address) { a.Country = "UK" }, false, []string{"bill_to.country"}},
		{"ErrFrenchPostalCode", func(a *shop.Address) { a.PostalCode = "6900" }, false, []string{"bill_to.postal_code"}},
		{"ErrMonacoPostalCode", func(a *shop.Address) { a.Country = "MC" }, false, []string{"bill_to.postal_code"}},
		{"ErrLongLine", func(a *shop.Address) { a.Line2 = string(make([]byte, 201)) }, false, []string{"bill_to.line2"}},
		{"ErrPersonBadSIREN", func(a *shop.Address) { a.SIREN = "123" }, false, []string{"bill_to.siren"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := address()
			tt.edit(&a)
			a.Normalize()
			err := shop.ValidateBuyer(a, tt.isCompany)
			got := testutil.Fields(err)
			slices.Sort(got)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) || !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v (%v), want %v", got, err, tt.fields)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	a := shop.Address{Name: " Léa ", SIREN: "732 829 320", Country: " fr ", PostalCode: "69 002", City: " Lyon"}
	a.Normalize()
	if a.Name != "Léa" || a.SIREN != "732829320" || a.Country != "FR" || a.PostalCode != "69002" || a.City != "Lyon" {
		t.Errorf("normalized = %+v", a)
	}
	b := shop.Address{Country: "gb", PostalCode: " sw1a 1aa "}
	b.Normalize()
	if b.PostalCode != "SW1A 1AA" {
		t.Errorf("British postal code = %q", b.PostalCode)
	}
}

func TestValidSIREN(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{{"732829320", true}, {"356000000", true}, {"552100554", true}, {"732829321", false}, {"73282932", false},
		{"7328293200", false}, {"73282932a", false}, {"", false}} {
		if got := shop.ValidSIREN(tt.s); got != tt.want {
			t.Errorf("ValidSIREN(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want bool
	}{{"lea@exemple.fr", true}, {"lea.martin+livres@exemple.co.uk", true}, {"Léa <lea@exemple.fr>", false},
		{"lea@localhost", false}, {"lea@exemple.", false}, {"lea", false}, {"", false}, {"lea @exemple.fr", false},
		{"lea@exemple.fr\n", false}} {
		if got := shop.ValidEmail(tt.s); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}
