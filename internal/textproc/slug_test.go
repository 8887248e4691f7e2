package textproc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestSlugify(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "OKBriefExample", in: "L'État islamique reprend Palmyre !", want: "l-etat-islamique-reprend-palmyre"},
		{name: "OKTypographicApostrophe", in: "L’État", want: "l-etat"},
		{name: "OKLigaturesAndEszett", in: "Œuvres complètes : Gauß, Æsop", want: "oeuvres-completes-gauss-aesop"},
		{name: "OKOtherLatinLetters", in: "Łódź, Øresund, Þór, Đà Nẵng", want: "lodz-oresund-thor-da-nang"},
		{name: "OKCompatibilityForms", in: "ﬁn du Ｍatch ²", want: "fin-du-match-2"},
		{name: "OKDigitsKept", in: "Budget 2026 : +12 %", want: "budget-2026-12"},
		{name: "OKHyphensCollapsedAndTrimmed", in: "--« Deux  --  mots »--", want: "deux-mots"},
		{name: "OKAlreadyASlug", in: "deja-un-slug", want: "deja-un-slug"},
		{name: "OKNonLatinDropped", in: "Москва et 北京", want: "et"},
		{name: "OKNothingLeft", in: "Москва !", want: ""},
		{name: "OKEmpty", in: "", want: ""},
		{
			name: "OKCutAtHyphen",
			in:   "Les habitants de Palmyre attendent le retour de l'eau, de l'électricité et des écoles depuis des mois",
			want: "les-habitants-de-palmyre-attendent-le-retour-de-l-eau-de-l-electricite-et-des",
		},
		{name: "OKLongWordCutHard", in: strings.Repeat("a", 100), want: strings.Repeat("a", 80)},
		{name: "OKCutRightAfterAWord", in: strings.Repeat("a", 80) + " suite", want: strings.Repeat("a", 80)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slugify(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Slugify(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
			if n := utf8.RuneCountInString(got); n > maxSlugRunes {
				t.Errorf("Slugify(%q) has %d runes, want at most %d", tt.in, n, maxSlugRunes)
			}
			if again := Slugify(got); again != got {
				t.Errorf("Slugify is not idempotent: %q then %q", got, again)
			}
		})
	}
}
