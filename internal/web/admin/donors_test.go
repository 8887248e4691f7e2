package admin_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/config"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/payments/stripe/stripemock"
	"github.com/kiosque/kiosque/internal/users"
)

// demoDonor returns the demo donor whose email is email.
func demoDonor(t *testing.T, s *apptest.Site, email string) donations.DonorSummary {
	t.Helper()
	list, _, err := s.App.Donations.Store.Donors(t.Context(), donations.DonorFilter{Search: email})
	if err != nil || len(list) != 1 {
		t.Fatalf("donor %s: %v, %v", email, list, err)
	}
	return list[0]
}

// monthlyDonor records a donor whose monthly gift is active: at the
// provider under providerID, or not there yet when it is empty.
func monthlyDonor(t *testing.T, s *apptest.Site, email, providerID string) (*donations.Donor, *donations.Subscription) {
	t.Helper()
	now := time.Now().Add(-48 * time.Hour)
	donor := &donations.Donor{Email: email, FirstNames: "Marthe", LastName: "Mensuelle", Address: "5 quai Saint-Antoine",
		PostalCode: "69002", City: "Lyon", Country: "FR", CreatedAt: now, UpdatedAt: now}
	sub := &donations.Subscription{AmountCents: 1500, Currency: "eur", Provider: "stripe", ProviderID: providerID,
		Status: donations.SubscriptionActive, CreatedAt: now}
	d := &donations.Donation{Reference: "don_" + strings.NewReplacer("@", "_", ".", "_").Replace(email), AmountCents: 1500, Currency: "eur",
		Frequency: donations.Monthly, Status: donations.StatusPaid, Method: donations.MethodCard, Provider: "stripe",
		CreatedAt: now, PaidAt: now, UpdatedAt: now}
	if err := s.App.Donations.Store.StartGift(t.Context(), donor, d, sub, nil); err != nil {
		t.Fatal(err)
	}
	return donor, sub
}

// readCSV checks an export's headers and byte order mark and reads it.
func readCSV(t *testing.T, resp *http.Response, body, wantName string) [][]string {
	t.Helper()
	mustStatus(t, "csv", resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, wantName) {
		t.Errorf("disposition %q, want an attachment named %s…", cd, wantName)
	}
	if !strings.HasPrefix(body, "\ufeff") {
		t.Error("no byte order mark: Excel would read the file as Windows-1252")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma, r.FieldsPerRecord = ';', -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read csv: %v\n%s", err, body)
	}
	return rows
}

func TestDonorsList(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)

	t.Run("OKAll", func(t *testing.T) {
		resp, body := b.get("/admin/donors")
		mustStatus(t, "donors", resp, body, http.StatusOK)
		doc := parse(t, body)
		if n := doc.Find("table.donors tbody tr").Length(); n != 48 {
			t.Errorf("%d rows, want the demo's 48 donors on one page", n)
		}
		if doc.Find(`nav.tabs a[href="/admin/donors"][aria-current="page"]`).Length() != 1 {
			t.Error("the donations sub-navigation does not mark the donors")
		}
		if doc.Find(`a[rel="next"]`).Length() != 0 {
			t.Error("a next page after the last donor")
		}
	})

	t.Run("OKSearch", func(t *testing.T) {
		d := demoDonor(t, s, "donateur07@exemple.fr")
		for _, q := range []string{"donateur07@", d.LastName + " " + d.FirstNames} {
			resp, body := b.get("/admin/donors?" + url.Values{"q": {q}}.Encode())
			mustStatus(t, "search", resp, body, http.StatusOK)
			doc := parse(t, body)
			found := false
			doc.Find("table.donors tbody tr a").Each(func(_ int, a *goquery.Selection) {
				if href, _ := a.Attr("href"); href == fmt.Sprintf("/admin/donors/%d", d.ID) {
					found = true
				}
			})
			if !found {
				t.Errorf("search %q does not find %s", q, d.Email)
			}
		}
		resp, body := b.get("/admin/donors?q=donateur07%40")
		mustStatus(t, "search", resp, body, http.StatusOK)
		doc := parse(t, body)
		if n := doc.Find("table.donors tbody tr").Length(); n != 1 {
			t.Errorf("%d rows for one email", n)
		}
		row := doc.Find("table.donors tbody tr").First()
		if cells := row.Find("td"); !strings.Contains(cells.Eq(3).Text(), "€") || strings.TrimSpace(cells.Eq(2).Text()) != "1" {
			t.Errorf("row %q: want one gift and its total", row.Text())
		}
		resp, body = b.get("/admin/donors?q=personne-inconnue")
		mustStatus(t, "no match", resp, body, http.StatusOK)
		if parse(t, body).Find("table.donors").Length() != 0 {
			t.Error("rows for an unknown name")
		}
	})

	t.Run("OKSortByTotal", func(t *testing.T) {
		resp, body := b.get("/admin/donors?sort=total")
		mustStatus(t, "sort", resp, body, http.StatusOK)
		first := parse(t, body).Find("table.donors tbody tr").First().Find("td").Eq(3).Text()
		if !strings.Contains(first, "500") {
			t.Errorf("the biggest giver first: %q, want the 500 € gift", first)
		}
	})

	t.Run("OKCSV", func(t *testing.T) {
		d := demoDonor(t, s, "donateur03@exemple.fr")
		// A name a spreadsheet would run as a formula.
		resp, body := b.post(fmt.Sprintf("/admin/donors/%d", d.ID), url.Values{"email": {d.Email}, "first_names": {"=HYPERLINK(\"http://evil\")"},
			"last_name": {"@SUM(A1)"}, "address": {d.Address}, "postal_code": {d.PostalCode}, "city": {"+33 Lyon"}, "country": {"FR"}})
		mustStatus(t, "rename", resp, body, http.StatusSeeOther)

		resp, body = b.get("/admin/donors.csv?q=exemple.fr&sort=name")
		rows := readCSV(t, resp, body, "donateurs-")
		if len(rows) != 49 {
			t.Fatalf("%d lines, want the header and 48 donors", len(rows))
		}
		header := rows[0]
		if header[0] != "id" || header[1] != "Nom" || header[4] != "Adresse" || !strings.HasPrefix(header[len(header)-1], "Total ") {
			t.Errorf("header %q", header)
		}
		var row []string
		for _, r := range rows[1:] {
			if r[0] == fmt.Sprint(d.ID) {
				row = r
			}
		}
		if row == nil {
			t.Fatal("the renamed donor is not in the export")
		}
		if row[1] != "'@SUM(A1)" || row[2] != "'=HYPERLINK(\"http://evil\")" || row[6] != "'+33 Lyon" {
			t.Errorf("formulas not neutralised: %q", row)
		}
		if row[5] != d.PostalCode || !strings.Contains(row[10], ",") || !slices.Contains(row[14:], row[10]) {
			t.Errorf("postal code, total and the year's total: %q", row)
		}
		resp, body = b.get("/admin/donors.csv?q=donateur03%40")
		if rows := readCSV(t, resp, body, "donateurs-"); len(rows) != 2 {
			t.Errorf("filtered export: %d lines, want 2", len(rows))
		}
	})
}

func TestDonorPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	d := demoDonor(t, s, "donateur05@exemple.fr")
	path := fmt.Sprintf("/admin/donors/%d", d.ID)

	t.Run("OKShow", func(t *testing.T) {
		resp, body := b.get(path)
		mustStatus(t, "donor", resp, body, http.StatusOK)
		doc := parse(t, body)
		if v, _ := doc.Find(`input[name="email"]`).Attr("value"); v != d.Email {
			t.Errorf("email field %q", v)
		}
		if doc.Find("table.gifts tbody tr").Length() != 1 || doc.Find("table.years tbody tr").Length() != 1 {
			t.Error("the gift and its year's total are not shown")
		}
		if doc.Find(`a[href="`+path+`/erase"]`).Length() != 1 || doc.Find(`a[href="`+path+`/export"]`).Length() != 1 {
			t.Error("no export or erasure link")
		}
	})

	t.Run("ErrBadAddress", func(t *testing.T) {
		form := url.Values{"email": {"pas-une-adresse"}, "first_names": {"Nadia"}, "last_name": {""}, "address": {"7 rue Neuve"},
			"postal_code": {"690"}, "city": {""}, "country": {"FR"}}
		resp, body := b.post(path, form)
		mustStatus(t, "bad address", resp, body, http.StatusUnprocessableEntity)
		doc := parse(t, body)
		for _, f := range []string{"email", "last_name", "postal_code", "city"} {
			if doc.Find("#donor-"+f+"-error").Length() != 1 {
				t.Errorf("no message by %s", f)
			}
		}
		if v, _ := doc.Find(`input[name="email"]`).Attr("value"); v != "pas-une-adresse" {
			t.Errorf("the typed email is lost: %q", v)
		}
		if v := doc.Find(`textarea[name="address"]`).Text(); v != "7 rue Neuve" {
			t.Errorf("the typed address is lost: %q", v)
		}
		after := demoDonor(t, s, d.Email)
		if after.Address != d.Address || after.PostalCode != d.PostalCode {
			t.Errorf("a refused form changed the donor: %+v", after.Donor)
		}
	})

	t.Run("ErrEmailTaken", func(t *testing.T) {
		form := url.Values{"email": {"donateur06@exemple.fr"}, "first_names": {d.FirstNames}, "last_name": {d.LastName}, "country": {"FR"}}
		resp, body := b.post(path, form)
		mustStatus(t, "taken email", resp, body, http.StatusUnprocessableEntity)
		if parse(t, body).Find("#donor-email-error").Length() != 1 {
			t.Error("no message by the email")
		}
	})

	t.Run("OKSave", func(t *testing.T) {
		form := url.Values{"email": {" Nadia.Nouvelle@Exemple.fr "}, "first_names": {"Nadia"}, "last_name": {"Faure"},
			"address": {"7 rue Neuve\r\nBâtiment B"}, "postal_code": {"69001"}, "city": {"Lyon"}, "country": {"fr"}, "anonymous": {"1"}}
		resp, body := b.post(path, form)
		mustStatus(t, "save", resp, body, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != path+"?done=saved" {
			t.Errorf("sent to %q", loc)
		}
		after := demoDonor(t, s, "nadia.nouvelle@exemple.fr")
		if after.ID != d.ID || after.Address != "7 rue Neuve\nBâtiment B" || after.PostalCode != "69001" || !after.Anonymous || after.Country != "FR" {
			t.Errorf("saved donor %+v", after.Donor)
		}
		resp, body = b.get("/admin/audit")
		mustStatus(t, "audit", resp, body, http.StatusOK)
		if !strings.Contains(body, "a modifié les coordonnées d’un donateur") {
			t.Error("the change is not in the audit log")
		}
	})

	t.Run("OKExport", func(t *testing.T) {
		receipt := issueTestReceipt(t, s, d.ID, 2500)
		resp, body := b.get(path + "/export")
		mustStatus(t, "export", resp, body, http.StatusOK)
		if got := audited(t, s, donations.ActionDonorExport, d.ID); len(got) != 1 || got[0].UserName == "" ||
			strings.Contains(got[0].Summary, "@") {
			t.Errorf("audit entries of the export = %+v", got)
		}
		if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, ".json") {
			t.Errorf("disposition %q", cd)
		}
		var x struct {
			Format string `json:"format"`
			Donor  struct {
				ID      int64  `json:"id"`
				Email   string `json:"email"`
				Address string `json:"address"`
			} `json:"donor"`
			Gifts []struct {
				AmountCents int64  `json:"amount_cents"`
				Status      string `json:"status"`
				Method      string `json:"method"`
			} `json:"gifts"`
			Monthly  []json.RawMessage `json:"monthly_gifts"`
			Receipts []struct {
				Number    string `json:"number"`
				DonorName string `json:"donor_name"`
				PDF       any    `json:"pdf"`
			} `json:"tax_receipts"`
			Years []struct {
				Year       int   `json:"year"`
				TotalCents int64 `json:"total_cents"`
			} `json:"year_totals"`
		}
		if err := json.Unmarshal([]byte(body), &x); err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		if x.Format != "kiosque-donor-export/1" || x.Donor.ID != d.ID || x.Donor.Email != "nadia.nouvelle@exemple.fr" ||
			x.Donor.Address != "7 rue Neuve\nBâtiment B" {
			t.Errorf("donor %+v", x.Donor)
		}
		if len(x.Gifts) != 1 || x.Gifts[0].AmountCents != d.TotalCents || x.Gifts[0].Status != "paid" || x.Gifts[0].Method == "" {
			t.Errorf("gifts %+v", x.Gifts)
		}
		if x.Monthly == nil || len(x.Monthly) != 0 {
			t.Errorf("monthly gifts %v: want an empty list", x.Monthly)
		}
		if len(x.Receipts) != 1 || x.Receipts[0].Number != receipt.Number || x.Receipts[0].PDF != nil {
			t.Errorf("receipts %+v", x.Receipts)
		}
		if len(x.Years) != 1 || x.Years[0].TotalCents != d.TotalCents {
			t.Errorf("years %+v", x.Years)
		}
		// The donor's page links the receipt's PDF.
		_, page := b.get(path)
		if parse(t, page).Find(fmt.Sprintf(`table.receipts a[href="/admin/receipts/%d/pdf"]`, receipt.ID)).Length() != 1 {
			t.Error("the donor's page does not link the receipt")
		}
	})
}

func TestDonorErasure(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	donor, sub := monthlyDonor(t, s, "marthe@example.org", "")
	receipt := issueTestReceipt(t, s, donor.ID, 1500)
	path := fmt.Sprintf("/admin/donors/%d", donor.ID)

	t.Run("ErrMonthlyActive", func(t *testing.T) {
		resp, body := b.get(path + "/erase")
		mustStatus(t, "confirm", resp, body, http.StatusOK)
		doc := parse(t, body)
		if doc.Find(`form[action="`+path+`/erase"]`).Length() != 0 || !strings.Contains(body, "arrêtez-le d’abord") {
			t.Error("the erasure is offered while a monthly gift is active")
		}
		resp, body = b.post(path+"/erase", url.Values{})
		mustStatus(t, "erase", resp, body, http.StatusConflict)
		if !strings.Contains(body, "arrêtez-le d’abord") {
			t.Errorf("refusal without its reason\n%.600s", body)
		}
		if f, err := s.App.Donations.Store.DonorFile(t.Context(), donor.ID); err != nil || f.Erased() || f.Donor.Email == "" {
			t.Errorf("the donor was erased: %+v, %v", f, err)
		}
	})

	t.Run("OKStopThenErase", func(t *testing.T) {
		resp, body := b.post(path+"/stop", url.Values{"monthly": {fmt.Sprint(sub.ID)}})
		mustStatus(t, "stop", resp, body, http.StatusSeeOther)
		resp, body = b.get(path + "/erase")
		mustStatus(t, "confirm", resp, body, http.StatusOK)
		doc := parse(t, body)
		if doc.Find(`form[action="`+path+`/erase"] button`).Length() != 1 {
			t.Fatal("no erasure button once the monthly gift is stopped")
		}
		for _, want := range []string{"six ans", "art. 17", "marthe@example.org", "nouveau donateur"} {
			if !strings.Contains(body, want) {
				t.Errorf("the confirmation page does not say %q", want)
			}
		}
		resp, body = b.post(path+"/erase", url.Values{})
		mustStatus(t, "erase", resp, body, http.StatusSeeOther)
		resp, body = b.get(resp.Header.Get("Location"))
		mustStatus(t, "erased donor", resp, body, http.StatusOK)
		if strings.Contains(body, "marthe@example.org") || strings.Contains(body, "Mensuelle") || strings.Contains(body, "quai Saint-Antoine") {
			t.Error("the donor's page still shows personal data")
		}
		doc = parse(t, body)
		if doc.Find("p.notice").Length() == 0 || doc.Find("table.gifts tbody tr").Length() != 1 ||
			doc.Find(`form[action="`+path+`"]`).Length() != 0 {
			t.Error("the erased donor's page: want the notice, the kept gift, and no form")
		}
		rc, err := s.App.Donations.Store.Receipt(t.Context(), receipt.ID)
		if err != nil || rc.Status != donations.ReceiptIssued || rc.DonorName != "Marthe Mensuelle" || len(rc.PDF) == 0 {
			t.Errorf("the receipt must stay as issued: %+v, %v", rc, err)
		}
		_, list := b.get("/admin/donors?q=marthe")
		if parse(t, list).Find("table.donors").Length() != 0 {
			t.Error("the erased donor is still listed")
		}
		_, auditPage := b.get("/admin/audit")
		if !strings.Contains(auditPage, "a effacé les données d’un donateur") || strings.Contains(auditPage, "marthe@example.org") {
			t.Error("the erasure is not in the audit log, or the log keeps the address")
		}
		resp, body = b.post(path+"/erase", url.Values{})
		mustStatus(t, "erase twice", resp, body, http.StatusConflict)
	})
}

func TestDonorStopOnline(t *testing.T) {
	t.Parallel()
	backend := stripemock.Start(t)
	for _, tt := range []struct {
		name   string
		api    string
		status int
		want   donations.SubscriptionStatus
	}{
		{"OKStoppedAtProvider", backend, http.StatusSeeOther, donations.SubscriptionCancelled},
		{"ErrProviderDown", "http://127.0.0.1:1", http.StatusServiceUnavailable, donations.SubscriptionActive},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, apptest.Options{NoDemo: true, Configure: func(c *config.Config) {
				c.StripeSecretKey, c.StripeWebhookSecret, c.StripeAPIURL = stripemock.SecretKey, "whsec_kiosque_admin_test", tt.api
			}})
			b := as(t, s, users.RoleAdmin)
			donor, sub := monthlyDonor(t, s, "online@example.org", "sub_kiosque_1")
			resp, body := b.post(fmt.Sprintf("/admin/donors/%d/stop", donor.ID), url.Values{"monthly": {fmt.Sprint(sub.ID)}})
			mustStatus(t, "stop", resp, body, tt.status)
			got, err := s.App.Donations.Store.Subscription(t.Context(), sub.ID)
			if err != nil || got.Status != tt.want {
				t.Errorf("monthly gift %+v, %v: want %s", got, err, tt.want)
			}
			other, _ := monthlyDonor(t, s, "other@example.org", "")
			resp, body = b.post(fmt.Sprintf("/admin/donors/%d/stop", other.ID), url.Values{"monthly": {fmt.Sprint(sub.ID)}})
			mustStatus(t, "another donor's gift", resp, body, http.StatusNotFound)
		})
	}
}

// TestDonorsForbidden: the donors' pages and the register are the
// admins'; an editor gets 403 on each.
func TestDonorsForbidden(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	d := demoDonor(t, s, "donateur01@exemple.fr")
	receipt := issueTestReceipt(t, s, d.ID, 1000)
	b := as(t, s, users.RoleEditor)
	for _, path := range []string{"/admin/donors", "/admin/donors.csv", fmt.Sprintf("/admin/donors/%d", d.ID),
		fmt.Sprintf("/admin/donors/%d/export", d.ID), fmt.Sprintf("/admin/donors/%d/erase", d.ID), "/admin/receipts",
		"/admin/receipts.csv", fmt.Sprintf("/admin/receipts/%d/pdf", receipt.ID), fmt.Sprintf("/admin/receipts/%d/annul", receipt.ID)} {
		resp, body := b.get(path)
		mustStatus(t, "GET "+path, resp, body, http.StatusForbidden)
	}
	for _, path := range []string{fmt.Sprintf("/admin/donors/%d", d.ID), fmt.Sprintf("/admin/donors/%d/erase", d.ID),
		fmt.Sprintf("/admin/donors/%d/stop", d.ID), fmt.Sprintf("/admin/receipts/%d/annul", receipt.ID)} {
		resp, body := b.post(path, url.Values{"email": {"x@example.org"}})
		mustStatus(t, "POST "+path, resp, body, http.StatusForbidden)
	}
	if f, err := s.App.Donations.Store.DonorFile(t.Context(), d.ID); err != nil || f.Erased() || f.Receipts[0].Status != donations.ReceiptIssued {
		t.Errorf("an editor changed something: %+v, %v", f, err)
	}
}
