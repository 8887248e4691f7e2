package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/users"
)

// TestReceiptsSettings: an admin enables tax receipts only on a complete
// identity, ticking the attestation, which records who attested.
func TestReceiptsSettings(t *testing.T) {
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	f := settingsForm(t, b)
	if f.Get("receipts.enabled") != "" || f.Get("receipts.attest") != "" {
		t.Fatal("receipts are on by default")
	}

	t.Run("ErrIncomplete", func(t *testing.T) {
		f := settingsForm(t, b)
		f.Set("receipts.enabled", "1")
		f.Set("association.name", "Association Le Veilleur")
		// The demo's bookshop gave the association its numbers.
		f.Set("association.rna", "")
		f.Set("association.siren", "")
		resp, body := b.post("/admin/settings", f)
		mustStatus(t, "save", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		for _, id := range []string{"association.object-error", "association.rna-error", "attest-error"} {
			if d.Find("#"+strings.ReplaceAll(id, ".", `\.`)).Length() != 1 {
				t.Errorf("no message %s", id)
			}
		}
		if got := d.Find(`input[name="association.name"]`).AttrOr("value", ""); got != "Association Le Veilleur" {
			t.Errorf("the typed name was lost: %q", got)
		}
		if s.App.Settings.Get().Receipts.Enabled {
			t.Fatal("receipts enabled on an incomplete identity")
		}
	})
	t.Run("OKAttestedAndEnabled", func(t *testing.T) {
		f := settingsForm(t, b)
		for k, v := range map[string]string{"association.name": "Association Le Veilleur", "association.address": "12 rue Mercière",
			"association.postal_code": "69002", "association.city": "Lyon", "association.object": "Informer le public",
			"association.rna": "W691234567", "association.type": "press_pluralism", "association.signatory_name": "Claire Morel",
			"association.signatory_title": "Présidente", "association.cgi_article": "200", "receipts.attest": "1", "receipts.enabled": "1"} {
			f.Set(k, v)
		}
		resp, body := b.post("/admin/settings", f)
		mustStatus(t, "save", resp, body, http.StatusSeeOther)
		st := s.App.Settings.Get()
		if !st.ReceiptsReady() || st.Receipts.AttestedBy != b.user.ID || st.Receipts.AttestedAt.IsZero() {
			t.Fatalf("receipts %+v", st.Receipts)
		}
		_, page := b.get("/admin/settings")
		if !strings.Contains(parse(t, page).Find("#receipts").Text(), "Attesté le") {
			t.Error("the page does not say when eligibility was attested")
		}
	})
	t.Run("OKWithdrawn", func(t *testing.T) {
		f := settingsForm(t, b)
		f.Del("receipts.attest")
		f.Del("receipts.enabled")
		resp, body := b.post("/admin/settings", f)
		mustStatus(t, "save", resp, body, http.StatusSeeOther)
		if st := s.App.Settings.Get(); st.Receipts.Enabled || st.Receipts.AttestedBy != 0 {
			t.Errorf("receipts %+v", st.Receipts)
		}
	})
}
