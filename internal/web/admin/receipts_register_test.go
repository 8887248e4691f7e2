package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/users"
)

// issueTestReceipt issues a receipt of this year (in the site's time
// zone) to donor id, with a stand-in PDF.
func issueTestReceipt(t *testing.T, s *apptest.Site, donorID, cents int64) *donations.Receipt {
	t.Helper()
	ctx := t.Context()
	d, err := s.App.Donations.Store.Donor(ctx, donorID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	r := &donations.Receipt{Year: now.In(s.App.Settings.Get().Location()).Year(), DonorID: donorID, PeriodFrom: now, PeriodTo: now,
		AmountCents: cents, Method: donations.MethodCheque, DonorName: d.Name(), DonorAddress: d.Address + "\n" + d.PostalCode + " " + d.City,
		IssuedAt: now}
	err = s.App.Donations.Store.IssueReceipt(ctx, r, func(r *donations.Receipt) ([]byte, error) {
		return []byte("%PDF-1.4 reçu " + r.Number), nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReceiptsRegister(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	var issued []*donations.Receipt
	for i, cents := range []int64{5000, 12000, 3000} {
		d := demoDonor(t, s, fmt.Sprintf("donateur1%d@exemple.fr", i))
		issued = append(issued, issueTestReceipt(t, s, d.ID, cents))
	}
	year := issued[0].Year
	registerPath := "/admin/receipts?year=" + strconv.Itoa(year)
	rowsOf := func(t *testing.T, path string) (numbers, states []string, declared string) {
		t.Helper()
		resp, body := b.get(path)
		mustStatus(t, "register", resp, body, http.StatusOK)
		doc := parse(t, body)
		doc.Find("table.receipts tbody tr").Each(func(_ int, tr *goquery.Selection) {
			numbers = append(numbers, strings.TrimSpace(tr.Find("td").Eq(0).Text()))
			states = append(states, strings.Join(strings.Fields(tr.Find("td").Eq(5).Text()), " "))
		})
		return numbers, states, strings.Join(strings.Fields(doc.Find("p.declared").Text()), " ")
	}

	t.Run("OKRegister", func(t *testing.T) {
		for _, path := range []string{"/admin/receipts", registerPath} {
			numbers, states, declared := rowsOf(t, path)
			if want := []string{issued[0].Number, issued[1].Number, issued[2].Number}; strings.Join(numbers, " ") != strings.Join(want, " ") {
				t.Errorf("%s: numbers %v, want %v", path, numbers, want)
			}
			for _, st := range states {
				if st != "Émis" {
					t.Errorf("state %q", st)
				}
			}
			if declared != "3 reçus émis – 200,00 €" {
				t.Errorf("declared %q", declared)
			}
		}
		_, body := b.get("/admin/receipts?year=2001")
		if !strings.Contains(body, "Aucun reçu fiscal pour 2001") {
			t.Error("an empty year does not say so")
		}
	})

	t.Run("OKPDF", func(t *testing.T) {
		r := issued[1]
		resp, body := b.get(fmt.Sprintf("/admin/receipts/%d/pdf", r.ID))
		mustStatus(t, "pdf", resp, body, http.StatusOK)
		if ct := resp.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("content type %q", ct)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, r.Number+".pdf") {
			t.Errorf("disposition %q", cd)
		}
		if body != "%PDF-1.4 reçu "+r.Number {
			t.Errorf("pdf %q: want the bytes issued", body)
		}
		resp, body = b.get("/admin/receipts/999999/pdf")
		mustStatus(t, "unknown receipt", resp, body, http.StatusNotFound)
	})

	t.Run("OKAnnul", func(t *testing.T) {
		r := issued[1]
		annul := fmt.Sprintf("/admin/receipts/%d/annul", r.ID)
		resp, body := b.get(annul)
		mustStatus(t, "confirm", resp, body, http.StatusOK)
		if parse(t, body).Find(`form[action="`+annul+`"] button`).Length() != 1 || !strings.Contains(body, "garde son numéro") {
			t.Error("the confirmation page has no button, or does not say the number stays")
		}
		if got, _ := s.App.Donations.Store.Receipt(t.Context(), r.ID); got.Status != donations.ReceiptIssued {
			t.Fatal("showing the confirmation annulled the receipt")
		}
		resp, body = b.post(annul, url.Values{})
		mustStatus(t, "annul", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/admin/receipts?done=annulled&year="+strconv.Itoa(year) {
			t.Errorf("sent to %q", loc)
		}
		numbers, states, declared := rowsOf(t, registerPath)
		if len(numbers) != 3 || numbers[1] != r.Number || !strings.HasPrefix(states[1], "Annulé ") || states[0] != "Émis" {
			t.Errorf("register %v %v: the annulled receipt keeps its number and place", numbers, states)
		}
		if declared != "2 reçus émis – 80,00 €" {
			t.Errorf("declared %q: annulled receipts leave the total", declared)
		}
		resp, body = b.post(annul, url.Values{})
		mustStatus(t, "annul twice", resp, body, http.StatusConflict)
		if !strings.Contains(body, "déjà annulé") {
			t.Error("no reason for the refusal")
		}
		_, auditPage := b.get("/admin/audit")
		if !strings.Contains(auditPage, "a annulé un reçu fiscal") || !strings.Contains(auditPage, r.Number) {
			t.Error("the annulment is not in the audit log")
		}
		// The PDF stays downloadable.
		resp, body = b.get(fmt.Sprintf("/admin/receipts/%d/pdf", r.ID))
		mustStatus(t, "annulled pdf", resp, body, http.StatusOK)
	})

	t.Run("OKCSV", func(t *testing.T) {
		resp, body := b.get("/admin/receipts.csv?year=" + strconv.Itoa(year))
		rows := readCSV(t, resp, body, "recus-fiscaux-"+strconv.Itoa(year))
		if len(rows) != 5 {
			t.Fatalf("%d lines, want the header, 3 receipts and the total\n%s", len(rows), body)
		}
		if rows[1][0] != issued[0].Number || rows[1][4] != "50,00" || rows[2][8] != "Annulé" || rows[2][9] == "" || rows[3][8] != "Émis" {
			t.Errorf("rows %q", rows[1:4])
		}
		if total := rows[4]; !strings.Contains(total[0], "2 reçus") || total[4] != "80,00" {
			t.Errorf("total line %q", total)
		}
	})
}
