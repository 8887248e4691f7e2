package storage

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRelations(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []relation
	}{
		{"OKEmpty", `[]`, nil},
		{"OKNull", ``, nil},
		{"OKOne", `[[3,"claire-morel","Claire Morel","Correspondante à Beyrouth."]]`, []relation{{3, "claire-morel", "Claire Morel", "Correspondante à Beyrouth."}}},
		{"OKPostgresSpacing", `[[1, "syrie", "Syrie", ""], [2, "etat-islamique", "État islamique", ""]]`,
			[]relation{{1, "syrie", "Syrie", ""}, {2, "etat-islamique", "État islamique", ""}}},
		{"OKEscapes", `[[1,"x","Le \"Veilleur\"","a\\b\nc \u00e9"]]`, []relation{{1, "x", `Le "Veilleur"`, "a\\b\nc é"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRelations([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{`[`, `[[1,"a"]]`, `{"a":1}`, `[[x,"a","b","c"]]`} {
		if _, err := parseRelations([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
