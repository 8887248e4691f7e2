package site

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/unicode/norm"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// countryOption is one entry of the delivery country list.
type countryOption struct {
	Code, Name string
	Selected   bool
}

// allCountries lists every ISO 3166-1 country with its name in each
// language, sorted by name as readers of that language expect (accents
// ignored). It is computed once: the names never change while running.
var allCountries = sync.OnceValue(func() map[locale.Lang][]countryOption {
	var codes []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			if c := string([]rune{a, b}); shop.ValidCountry(c) {
				codes = append(codes, c)
			}
		}
	}
	out := map[locale.Lang][]countryOption{}
	for _, l := range locale.Langs() {
		list := make([]countryOption, len(codes))
		for i, c := range codes {
			list[i] = countryOption{Code: c, Name: countryName(c, l)}
		}
		slices.SortFunc(list, func(a, b countryOption) int {
			return cmp.Or(strings.Compare(sortKey(a.Name), sortKey(b.Name)), strings.Compare(a.Code, b.Code))
		})
		out[l] = list
	}
	return out
})

// countryName is a country's name in l ("Allemagne"), or its code when
// unknown.
func countryName(code string, l locale.Lang) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	tag := language.French
	if l == locale.English {
		tag = language.English
	}
	if n := display.Regions(tag).Name(r); n != "" {
		return n
	}
	return code
}

// sortKey folds case and accents, so « États-Unis » sorts among the E.
func sortKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// countryOptions lists the countries the policy's zones deliver to, by
// name in l, with selected ticked. A zone for « every other country »
// (or no zones at all) offers every country; the quote then says when a
// carrier does not go there.
func countryOptions(p shop.Policy, l locale.Lang, selected string) []countryOption {
	listed := map[string]bool{}
	all := len(p.Zones) == 0
	for _, z := range p.Zones {
		for _, c := range z.Countries {
			all = all || c == "*"
			listed[c] = true
		}
	}
	var out []countryOption
	for _, o := range allCountries()[l] {
		if all || listed[o.Code] || o.Code == selected {
			o.Selected = o.Code == selected
			out = append(out, o)
		}
	}
	return out
}
