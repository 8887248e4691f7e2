package site_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/users"
)

// enableReceipts gives the demo's association a complete identity and
// switches tax receipts on.
func enableReceipts(t *testing.T, s *apptest.Site) {
	t.Helper()
	st := *s.App.Settings.Get() // a copy: Get's value is shared
	st.Association = settings.Association{Name: "Association Le Veilleur", Address: "12 rue Mercière", PostalCode: "69002",
		City: "Lyon", Object: "Informer le public par un journal indépendant", RNA: "W691234567", Type: "press_pluralism",
		SignatoryName: "Claire Morel", SignatoryTitle: "Présidente", CGIArticle: 200}
	st.Receipts = settings.Receipts{Enabled: true, AttestedBy: 1, AttestedAt: time.Now()}
	if err := s.App.Settings.Update(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

// TestReceiptLink: the donation page says what the tax reduction means
// only when the association issues receipts; a donor downloads their
// receipt from the signed link of their email, and an annulled one is
// not handed out.
func TestReceiptLink(t *testing.T) {
	s := donateSite(t, stripemock.Start(t))
	ctx := context.Background()
	if d := doc(t, s.MustGet(t, "/soutenir/", http.StatusOK)); d.Find(".tax-note").Length() != 0 {
		t.Error("a tax note while receipts are off")
	}
	enableReceipts(t, s)
	note := doc(t, s.MustGet(t, "/soutenir/", http.StatusOK)).Find(".tax-note").Text()
	if !strings.Contains(note, "66\u00a0%") || !strings.Contains(note, "un don de 50\u00a0€ ne vous coûte que 17\u00a0€") {
		t.Errorf("tax note %q", note)
	}

	admin := access.Actor{UserID: 1, Role: users.RoleAdmin}
	gift, err := s.App.Donations.RecordOffline(ctx, admin, donations.OfflineGift{AmountCents: 12000, Method: donations.MethodCheque,
		ReceivedAt: time.Now().Add(-time.Hour), Donor: donations.Donor{Email: "marc@example.org", FirstNames: "Marc", LastName: "Petit",
			Address: "3 place Bellecour", PostalCode: "69002", City: "Lyon"}})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := s.App.DB.SQLWrite().QueryRowContext(ctx, "SELECT id FROM receipts WHERE donation_id = ?", gift.ID).Scan(&id); err != nil {
		t.Fatalf("no receipt for the cheque: %v", err)
	}
	link := s.App.Donations.ReceiptPath(id)
	resp, body := s.Get(t, link)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "recu-fiscal-") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("download: %d %v", resp.StatusCode, resp.Header)
	}
	for _, bad := range []string{strings.Replace(link, "?r=", "?r=9", 1), link[:len(link)-3] + "xyz", "/soutenir/recu/"} {
		if resp, _ := s.Get(t, bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}
	if err := s.App.Donations.Store.AnnulReceipt(ctx, id, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	resp, body = s.Get(t, strings.Replace(link, "/soutenir/recu/", "/support/receipt/", 1))
	if resp.StatusCode != http.StatusGone || strings.Contains(body, "%PDF") || !strings.Contains(body, "annulé") {
		t.Errorf("an annulled receipt: %d\n%.300s", resp.StatusCode, body)
	}
}

// TestAppealPerCategory: a category can have the appeal switched off
// under its articles; the others keep it.
func TestAppealPerCategory(t *testing.T) {
	s := apptest.New(t, apptest.Options{})
	ctx := context.Background()
	a, err := s.App.Content.ArticleBySlug(ctx, "l-etat-islamique-reprend-palmyre")
	if err != nil || len(a.Categories) == 0 {
		t.Fatalf("palmyra %v, %v", a, err)
	}
	if doc(t, s.MustGet(t, palmyra, http.StatusOK)).Find(".appeal").Length() == 0 {
		t.Fatal("no appeal under the article")
	}
	c, err := s.App.Content.CategoryByID(ctx, a.Categories[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	c.NoAppeal = true
	if err := s.App.Content.SaveCategory(ctx, access.System, c); err != nil {
		t.Fatal(err)
	}
	if doc(t, s.MustGet(t, palmyra, http.StatusOK)).Find(".appeal").Length() != 0 {
		t.Error("the appeal stays under an article of a category without it")
	}
	if doc(t, s.MustGet(t, "/soutenir/", http.StatusOK)).Find(".campaign-bar").Length() == 0 {
		t.Error("the donation page lost the campaign")
	}
	if got, _ := s.App.Content.CategoryByID(ctx, c.ID); !got.NoAppeal {
		t.Error("the switch was not stored")
	}
}
