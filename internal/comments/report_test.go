package comments

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
)

// TestValidateReport checks what DSA art. 16(2) asks of a notice, field by
// field; the same rules run end to end, on both databases, in package
// storage (TestCommentReport).
func TestValidateReport(t *testing.T) {
	ok := NewReport{CommentID: 1, Reason: ReasonHate, Explanation: "Ce commentaire appelle à la violence contre un groupe.",
		URL: "https://veilleur.example/2016/12/11/palmyre/#comment-1", Name: "Inès", Email: "ines@example.org", GoodFaith: true}
	tests := []struct {
		name   string
		change func(*NewReport)
		fields []string
	}{
		{name: "OK", change: func(*NewReport) {}},
		{name: "OKChildAbuseAnonymous", change: func(in *NewReport) { in.Reason, in.Name, in.Email = ReasonChildAbuse, "", "" }},
		{name: "OKExplanationAtLimits", change: func(in *NewReport) { in.Explanation = strings.Repeat("é", MinExplanationLen) }},
		{name: "ErrOtherAnonymous", change: func(in *NewReport) { in.Reason, in.Name, in.Email = ReasonOther, "", "" }, fields: []string{"email", "name"}},
		{name: "ErrNoGoodFaith", change: func(in *NewReport) { in.GoodFaith = false }, fields: []string{"good_faith"}},
		{name: "ErrChildAbuseNoGoodFaith", change: func(in *NewReport) { in.Reason, in.GoodFaith = ReasonChildAbuse, false }, fields: []string{"good_faith"}},
		{name: "ErrReason", change: func(in *NewReport) { in.Reason = "Hate" }, fields: []string{"reason"}},
		{name: "ErrExplanationShort", change: func(in *NewReport) { in.Explanation = strings.Repeat("é", MinExplanationLen-1) }, fields: []string{"explanation"}},
		{name: "ErrExplanationLong", change: func(in *NewReport) { in.Explanation = strings.Repeat("é", MaxExplanationLen+1) }, fields: []string{"explanation"}},
		{name: "ErrExplanationEncoding", change: func(in *NewReport) { in.Explanation = strings.Repeat("\xff", 30) }, fields: []string{"explanation"}},
		{name: "ErrURL", change: func(in *NewReport) { in.URL = "/2016/12/11/palmyre/" }, fields: []string{"url"}},
		{name: "ErrNameTooLong", change: func(in *NewReport) { in.Name = strings.Repeat("n", MaxNameLen+1) }, fields: []string{"name"}},
		{name: "ErrEmail", change: func(in *NewReport) { in.Email = "Inès <ines@example.org>" }, fields: []string{"email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.change(&in)
			err := validateReport(in)
			var got []string
			for _, e := range unjoin(err) {
				var ae *apperr.Error
				if !errors.As(e, &ae) || ae.Kind != apperr.Invalid || ae.Key == "" {
					t.Fatalf("error %v is not an Invalid apperr with a message", e)
				}
				got = append(got, ae.Field)
			}
			slices.Sort(got)
			if !slices.Equal(got, tt.fields) {
				t.Errorf("fields at fault = %q, want %q", got, tt.fields)
			}
		})
	}
}

func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		return joined.Unwrap()
	}
	return []error{err}
}

func TestReportReasons(t *testing.T) {
	for _, r := range ReportReasons() {
		if !r.Valid() || r.Anonymous() != (r == ReasonChildAbuse) {
			t.Errorf("%s: Valid %v, Anonymous %v", r, r.Valid(), r.Anonymous())
		}
	}
	if ReportReason("").Valid() || ReportReason("rude").Valid() {
		t.Error("an unknown reason is valid")
	}
}
