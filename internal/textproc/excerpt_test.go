package textproc

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestExcerpt(t *testing.T) {
	quote := "<p>«" + nnbsp + "Nous avons repris la ville" + nnbsp + "», a déclaré un responsable" + nnbsp + "; l’État.</p><p>Suite.</p>"
	tests := []struct {
		name     string
		in       string
		maxRunes int
		want     string
	}{
		{name: "OKFitsUncut", in: "<p>Court.</p>", maxRunes: 10, want: "Court."},
		{name: "OKExactlyTheLimit", in: "<p>Dix runes.</p>", maxRunes: 10, want: "Dix runes."},
		{name: "OKCutAtWord", in: "<p>Un deux trois quatre</p>", maxRunes: 12, want: "Un deux…"},
		{name: "OKCutAtLastFittingSpace", in: "<p>Un deux trois quatre</p>", maxRunes: 14, want: "Un deux trois…"},
		{name: "OKNeverSplitsANoBreakSpace", in: "<p>Il a dit bonjour" + nnbsp + "! puis</p>", maxRunes: 18, want: "Il a dit…"},
		{name: "OKDropsDanglingComma", in: "<p>La ville, le fleuve</p>", maxRunes: 12, want: "La ville…"},
		{name: "OKDropsDanglingColonAndSpace", in: "<p>Il ajoute" + nbsp + ": oui, vraiment</p>", maxRunes: 14, want: "Il ajoute…"},
		{name: "OKKeepsQuestionMark", in: "<p>Vraiment" + nnbsp + "? Oui, vraiment</p>", maxRunes: 14, want: "Vraiment" + nnbsp + "?…"},
		{name: "OKAcrossBlocks", in: quote, maxRunes: 40, want: "«" + nnbsp + "Nous avons repris la ville" + nnbsp + "», a…"},
		{name: "OKLongWordCutByGrapheme", in: "<p>Anticonstitutionnellement</p>", maxRunes: 8, want: "Anticon…"},
		{name: "OKCombiningAccentNotSplit", in: "<p>e\u0301e\u0301e\u0301e\u0301</p>", maxRunes: 4, want: "e\u0301…"},
		{name: "OKEmojiFits", in: "<p>👩\u200d👩\u200d👧 famille</p>", maxRunes: 6, want: "👩\u200d👩\u200d👧…"},
		{name: "OKEmojiNotSplit", in: "<p>👩\u200d👩\u200d👧 famille</p>", maxRunes: 5, want: "…"},
		{name: "OKOneRuneIsTheEllipsis", in: "<p>Bonjour</p>", maxRunes: 1, want: "…"},
		{name: "OKZeroIsEmpty", in: "<p>Bonjour</p>", maxRunes: 0, want: ""},
		{name: "OKNegativeIsEmpty", in: "<p>Bonjour</p>", maxRunes: -3, want: ""},
		{name: "OKEmpty", in: "", maxRunes: 10, want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Excerpt(tt.in, tt.maxRunes)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Excerpt(%q, %d) mismatch (-want +got):\n%s", tt.in, tt.maxRunes, diff)
			}
			if n := utf8.RuneCountInString(got); n > max(tt.maxRunes, 0) {
				t.Errorf("Excerpt has %d runes, want at most %d", n, tt.maxRunes)
			}
		})
	}
}

// TestExcerptOfArticle checks, at many lengths, that an excerpt of a long
// article is a prefix of its full plain text, within the limit.
func TestExcerptOfArticle(t *testing.T) {
	html, err := NewRenderer().Render(readArticle(t), StyleFrench)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	full := PlainText(html)
	for _, n := range []int{1, 2, 10, 80, 160, 300, 1000, 100000} {
		got := Excerpt(html, n)
		if c := utf8.RuneCountInString(got); c > n {
			t.Errorf("Excerpt(article, %d) has %d runes", n, c)
		}
		if got == full {
			continue
		}
		head, ok := strings.CutSuffix(got, ellipsis)
		if !ok || !strings.HasPrefix(full, head) {
			t.Errorf("Excerpt(article, %d) = %q is not a cut prefix of the text", n, got)
		}
	}
}
