package settings_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/testutil"
)

// complete is the identity of an association that may issue receipts.
func complete(st *settings.Site) {
	st.Association = settings.Association{Name: "Association Le Veilleur", Address: "12 rue Mercière", PostalCode: "69002",
		City: "Lyon", Object: "Informer le public par un journal indépendant", RNA: "W691234567", SIREN: "732 829 320",
		Type: "press_pluralism", SignatoryName: "Claire Morel", SignatoryTitle: "Présidente", CGIArticle: 200}
	st.Receipts = settings.Receipts{Enabled: true, AttestedBy: 1, AttestedAt: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
}

// TestReceiptsGate: tax receipts are off by default and cannot be enabled
// until the association's identity is complete and an admin has attested
// its eligibility (french-rules checklist 25).
func TestReceiptsGate(t *testing.T) {
	if st := settings.Defaults(); st.Receipts.Enabled || st.ReceiptsReady() {
		t.Fatal("receipts are on by default")
	}
	tests := []struct {
		name   string
		edit   func(st *settings.Site)
		fields []string
	}{
		{"OK", func(*settings.Site) {}, nil},
		{"OKRNAOnly", func(st *settings.Site) { st.Association.SIREN = "" }, nil},
		{"OKDisabledIncomplete", func(st *settings.Site) {
			st.Receipts = settings.Receipts{}
			st.Association = settings.Association{Name: "Le Veilleur"}
		}, nil},
		{"ErrNoIdentifier", func(st *settings.Site) { st.Association.RNA, st.Association.SIREN = "", "" }, []string{"association.rna"}},
		{"ErrBadSIREN", func(st *settings.Site) { st.Association.SIREN = "732829321" }, []string{"association.siren"}},
		{"ErrBadRNA", func(st *settings.Site) { st.Association.RNA = "691234567" }, []string{"association.rna"}},
		{"ErrNoAttestation", func(st *settings.Site) { st.Receipts.AttestedBy = 0 }, []string{"receipts.attestation"}},
		{"ErrNoObject", func(st *settings.Site) { st.Association.Object = " " }, []string{"association.object"}},
		{"ErrNoSignatory", func(st *settings.Site) { st.Association.SignatoryName, st.Association.SignatoryTitle = "", "" },
			[]string{"association.signatory_name", "association.signatory_title"}},
		{"ErrBadType", func(st *settings.Site) { st.Association.Type = "club" }, []string{"association.type"}},
		{"ErrNoBasis", func(st *settings.Site) { st.Association.CGIArticle = 0 }, []string{"association.cgi_article"}},
		{"ErrBadBasis", func(st *settings.Site) { st.Association.CGIArticle = 238 }, []string{"association.cgi_article"}},
		{"ErrCeiling", func(st *settings.Site) { st.Receipts.CounterpartCeiling = 1001 }, []string{"receipts.counterpart_ceiling"}},
		{"OKNoCounterparts", func(st *settings.Site) { st.Receipts.CounterpartCeiling = 0 }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newService(t)
			st := settings.Defaults()
			st.Title = "Le Veilleur"
			complete(&st)
			tt.edit(&st)
			err := s.Save(context.Background(), admin, st)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if got := s.Get(); got.ReceiptsReady() != st.Receipts.Enabled {
					t.Errorf("ReceiptsReady = %v", got.ReceiptsReady())
				}
				return
			}
			got := testutil.Fields(err)
			slices.Sort(got)
			if !apperr.Is(err, apperr.Invalid) || !slices.Equal(got, tt.fields) {
				t.Errorf("fields %v (%v), want %v", got, err, tt.fields)
			}
			if s.Get().Receipts.Enabled {
				t.Error("receipts were enabled on an incomplete identity")
			}
		})
	}
}
