package onix_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/onix"
)

func TestPriceApplies(t *testing.T) {
	tests := []struct {
		name  string
		price onix.Price
		want  bool
	}{
		{"OKCountry", onix.Price{CountriesIncluded: []string{"BE", "FR"}}, true},
		{"OKWorld", onix.Price{RegionsIncluded: []string{"WORLD"}}, true},
		{"OKWorldAsCountry", onix.Price{CountriesIncluded: []string{"WORLD"}}, true},
		{"OKNoTerritory", onix.Price{}, true},
		{"OKOtherCountries", onix.Price{CountriesIncluded: []string{"DE", "AT"}}, false},
		{"OKWorldButFrance", onix.Price{RegionsIncluded: []string{"WORLD"}, CountriesExcluded: []string{"GB", "FR"}}, false},
		{"OKOnlyExclusions", onix.Price{CountriesExcluded: []string{"FR"}}, false},
		{"OKOtherRegion", onix.Price{RegionsIncluded: []string{"ECZ"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.price.Applies("FR"); got != tt.want {
				t.Errorf("Applies(FR) = %v, want %v", got, tt.want)
			}
		})
	}
}
