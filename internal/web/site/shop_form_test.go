package site

import (
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
)

func TestVATRate(t *testing.T) {
	fr, en := testCtx(t, locale.French), testCtx(t, locale.English)
	cases := []struct {
		bp     int
		fr, en string
	}{{550, "5,5\u202f%", "5.5%"}, {2000, "20\u202f%", "20%"}, {210, "2,1\u202f%", "2.1%"}, {1025, "10,25\u202f%", "10.25%"}}
	for _, c := range cases {
		if got := vatRate(fr.p, c.bp); got != c.fr {
			t.Errorf("%d in French: got %q, want %q", c.bp, got, c.fr)
		}
		if got := vatRate(en.p, c.bp); got != c.en {
			t.Errorf("%d in English: got %q, want %q", c.bp, got, c.en)
		}
	}
}

func TestCountryOptions(t *testing.T) {
	st := settings.DefaultShop()
	pol := st.Policy()
	list := countryOptions(pol, locale.French, "FR")
	idx := func(code string) int {
		return slices.IndexFunc(list, func(o countryOption) bool { return o.Code == code })
	}
	switch {
	case idx("FR") < 0 || !list[idx("FR")].Selected:
		t.Error("France is not ticked")
	case idx("US") < 0 || list[idx("US")].Name != "États-Unis":
		t.Error("the rest of the world is not offered by name")
	case idx("DE") >= idx("US") || idx("US") >= idx("FR"):
		t.Error("countries are not sorted by their French names, accents ignored")
	}
	only := countryOptions(shop.Policy{Zones: []shop.Zone{{ID: "FR", Countries: []string{"FR", "MC"}}}}, locale.English, "FR")
	if len(only) != 2 || only[0].Name != "France" || only[1].Name != "Monaco" {
		t.Errorf("zones without a wildcard: %+v", only)
	}
}

// TestCheckoutForm: with the same billing address, a company's name and
// SIREN travel on the delivery address, which the service copies.
func TestCheckoutForm(t *testing.T) {
	f := checkoutForm{Email: "lea@exemple.fr", Company: true, Ship: shop.Address{Name: "Léa", Company: "x"},
		Bill: shop.Address{Company: "Les Amis du Livre", SIREN: "732829320"}}
	in := f.checkout()
	if !in.SameBilling || in.ShipTo.Company != "Les Amis du Livre" || in.ShipTo.SIREN != "732829320" {
		t.Errorf("same billing: %+v", in)
	}
	f.OtherBilling = true
	in = f.checkout()
	if in.SameBilling || in.ShipTo.Company != "" || in.BillTo.Company != "Les Amis du Livre" {
		t.Errorf("other billing: %+v", in)
	}
}

func TestCartChoice(t *testing.T) {
	cases := []struct {
		name, query string
		want        cartChoice
	}{
		{"OKDefault", "", cartChoice{Country: "FR"}},
		{"OKChosen", "carrier=colissimo&country=be", cartChoice{Carrier: "colissimo", Country: "BE"}},
		{"OKForgedCountry", "country=EU", cartChoice{Country: "FR"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/librairie/panier/?"+c.query, nil)
			if got := cartChoiceOf(r.URL.Query()); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}
