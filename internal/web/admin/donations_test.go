package admin_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/demo"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/users"
)

// demoGifts is the number of offline gifts the demo records.
const demoGifts = 48

// recordGift records an offline gift as an admin would, received the
// day before.
func recordGift(t *testing.T, s *apptest.Site, g donations.OfflineGift) *donations.Donation {
	t.Helper()
	if g.Method == "" {
		g.Method = donations.MethodCheque
	}
	if g.ReceivedAt.IsZero() {
		g.ReceivedAt = time.Now().Add(-24 * time.Hour)
	}
	d, err := s.App.Donations.RecordOffline(context.Background(), access.Actor{UserID: 1, Role: users.RoleAdmin}, g)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDonationsList(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	zoe := recordGift(t, s, donations.OfflineGift{AmountCents: 12345, Method: donations.MethodCash, Note: "Remis en main propre",
		Donor: donations.Donor{Email: "zoe@example.org", FirstNames: "Zoé", LastName: "Marchand"}})
	b := as(t, s, users.RoleAdmin)
	p := printer(s)

	cases := []struct {
		name  string
		query string
		rows  int
		has   string
	}{
		{"All", "", demoGifts + 1, ""},
		{"Transfer", "?method=transfer", 16, ""},
		{"Cash", "?method=cash", 1, "Zoé Marchand"},
		{"Search", "?q=marchand", 1, "zoe@example.org"},
		{"SearchEmail", "?q=donateur05%40", 1, "donateur05@exemple.fr"},
		{"Refunded", "?status=refunded", 0, ""},
		{"Monthly", "?frequency=monthly", 0, ""},
		{"Future", "?from=" + time.Now().AddDate(0, 0, 2).Format("2006-01-02"), 0, ""},
		{"CreatedToday", "?date=created&from=" + time.Now().AddDate(0, 0, -1).Format("2006-01-02"), demoGifts + 1, ""},
		{"BadFiltersIgnored", "?status=lost&method=bitcoin&campaign=x&from=yesterday", demoGifts + 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := b.get("/admin/donations" + c.query)
			mustStatus(t, c.name, resp, body, http.StatusOK)
			d := parse(t, body)
			if got := d.Find("table.donations tbody tr").Length(); got != c.rows {
				t.Errorf("%d rows, want %d", got, c.rows)
			}
			if !strings.Contains(d.Find("p.summary").Text(), fmt.Sprintf("%d don", c.rows)) {
				t.Errorf("summary %q, want %d gifts", d.Find("p.summary").Text(), c.rows)
			}
			if c.has != "" && !strings.Contains(d.Find("table.donations").Text(), c.has) {
				t.Errorf("no %q in the list", c.has)
			}
		})
	}

	t.Run("Row", func(t *testing.T) {
		_, body := b.get("/admin/donations?q=zoe")
		row := parse(t, body).Find(fmt.Sprintf("tr#gift-%d", zoe.ID))
		if href, _ := row.Find(`a[href^="/admin/donors/"]`).Attr("href"); href != fmt.Sprintf("/admin/donors/%d", zoe.DonorID) {
			t.Errorf("donor link %q", href)
		}
		text := strings.Join(strings.Fields(row.Text()), " ")
		for _, want := range []string{"Zoé Marchand", "zoe@example.org", "123,45", "Ponctuel", "Espèces", "Payé"} {
			if !strings.Contains(strings.ReplaceAll(text, "\u202f", " "), want) {
				t.Errorf("row %q lacks %q", text, want)
			}
		}
		if !strings.Contains(body, p.Money(12345, "EUR")) {
			t.Errorf("the total of the one gift is not %s", p.Money(12345, "EUR"))
		}
	})

	t.Run("Pages", func(t *testing.T) {
		for i := range 3 {
			recordGift(t, s, donations.OfflineGift{AmountCents: 1000, Donor: donations.Donor{Email: fmt.Sprintf("p%d@example.org", i),
				FirstNames: "Page", LastName: "Suivante"}})
		}
		_, body := b.get("/admin/donations")
		d := parse(t, body)
		if got := d.Find("table.donations tbody tr").Length(); got != 50 {
			t.Errorf("first page: %d rows", got)
		}
		next, ok := d.Find(`nav.pagination a[rel="next"]`).Attr("href")
		if !ok {
			t.Fatal("no next page")
		}
		_, body = b.get(next)
		if got := parse(t, body).Find("table.donations tbody tr").Length(); got != demoGifts+4-50 {
			t.Errorf("second page: %d rows", got)
		}
	})

	t.Run("Detail", func(t *testing.T) {
		resp, body := b.get(fmt.Sprintf("/admin/donations/%d", zoe.ID))
		mustStatus(t, "detail", resp, body, http.StatusOK)
		for _, want := range []string{"Zoé Marchand", "zoe@example.org", "Remis en main propre", zoe.Reference, p.Money(12345, "EUR")} {
			if !strings.Contains(body, want) {
				t.Errorf("the gift's page lacks %q", want)
			}
		}
		for _, path := range []string{"/admin/donations/999999", "/admin/donations/x"} {
			resp, body := b.get(path)
			mustStatus(t, path, resp, body, http.StatusNotFound)
		}
	})
}

func TestDonationsCSV(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	recordGift(t, s, donations.OfflineGift{AmountCents: 5050, Note: "=HYPERLINK(\"http://evil.example\")",
		Donor: donations.Donor{Email: "formule@example.org", FirstNames: "@Jean", LastName: "-Dupont; fils"}})
	b := as(t, s, users.RoleAdmin)

	resp, body := b.get("/admin/donations.csv?q=formule")
	mustStatus(t, "export", resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(ct, "utf-8") {
		t.Errorf("content type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		t.Errorf("disposition %q", cd)
	}
	if !strings.HasPrefix(body, "\ufeff") {
		t.Fatalf("no byte order mark: %q", body[:min(20, len(body))])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	head, row := rows[0], rows[1]
	cell := func(name string) string {
		for i, h := range head {
			if h == name {
				return row[i]
			}
		}
		t.Fatalf("no column %q in %q", name, head)
		return ""
	}
	cases := map[string]string{
		"Nom": "'-Dupont; fils", "Prénoms": "'@Jean", "Adresse électronique": "formule@example.org",
		"Montant": "50,50", "Remboursé": "0,00", "Moyen de paiement": "Chèque", "État": "Payé",
		"Note": "'=HYPERLINK(\"http://evil.example\")", "Campagne": "",
	}
	for name, want := range cases {
		if got := cell(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	// The filters of the list are the export's.
	_, body = b.get("/admin/donations.csv?method=transfer")
	if n := strings.Count(body, "\n"); n != 16+1 {
		t.Errorf("transfers export: %d lines", n)
	}
	_, list := b.get("/admin/donations?method=transfer&q=x")
	if href, _ := parse(t, list).Find(`a[href^="/admin/donations.csv"]`).Attr("href"); href != "/admin/donations.csv?method=transfer&q=x" {
		t.Errorf("export link %q", href)
	}
}

// offlineReference opens the offline gift form and returns its reference.
func offlineReference(t *testing.T, b *browser) string {
	t.Helper()
	resp, body := b.get("/admin/donations/new")
	mustStatus(t, "offline form", resp, body, http.StatusOK)
	ref, _ := parse(t, body).Find(`input[name="reference"]`).Attr("value")
	if !strings.HasPrefix(ref, "don_") {
		t.Fatalf("reference %q", ref)
	}
	return ref
}

func TestOfflineGiftForm(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	today := time.Now().Format("2006-01-02")

	t.Run("ErrFields", func(t *testing.T) {
		form := url.Values{"reference": {offlineReference(t, b)}, "amount": {"douze"}, "received_at": {today}, "method": {"card"},
			"email": {"pas-une-adresse"}, "first_names": {"Inès"}, "last_name": {""}, "note": {"Chèque n° 1234"}, "thank": {"1"}}
		resp, body := b.post("/admin/donations/new", form)
		mustStatus(t, "refused form", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		for _, field := range []string{"amount", "method", "email", "last_name"} {
			if d.Find("#"+field+"-error").Length() != 1 {
				t.Errorf("no message next to %s", field)
			}
			if v, _ := d.Find("#" + field).Attr("aria-invalid"); v != "true" {
				t.Errorf("%s not marked invalid", field)
			}
		}
		if d.Find("#first_names-error").Length() != 0 {
			t.Errorf("a message next to a right field")
		}
		if v, _ := d.Find("#email").Attr("value"); v != "pas-une-adresse" {
			t.Errorf("email not kept: %q", v)
		}
		if v, _ := d.Find("#amount").Attr("value"); v != "douze" {
			t.Errorf("amount not kept: %q", v)
		}
		if d.Find("#note").Text() != "Chèque n° 1234" {
			t.Errorf("note not kept: %q", d.Find("#note").Text())
		}
		if v, _ := d.Find(`input[name="reference"]`).Attr("value"); v != form.Get("reference") {
			t.Errorf("reference changed: %q", v)
		}
	})

	t.Run("ErrFuture", func(t *testing.T) {
		form := url.Values{"reference": {offlineReference(t, b)}, "amount": {"20"}, "received_at": {time.Now().AddDate(0, 0, 3).Format("2006-01-02")},
			"method": {"cheque"}, "email": {"futur@example.org"}, "first_names": {"A"}, "last_name": {"B"}}
		resp, body := b.post("/admin/donations/new", form)
		mustStatus(t, "future gift", resp, body, http.StatusUnprocessableEntity)
		if parse(t, body).Find("#received_at-error").Length() != 1 {
			t.Error("no message next to the date")
		}
	})

	t.Run("OKOnce", func(t *testing.T) {
		form := url.Values{"reference": {offlineReference(t, b)}, "amount": {"150,50"}, "received_at": {today}, "method": {"transfer"},
			"email": {"Nadege.B@Example.org"}, "first_names": {"Nadège"}, "last_name": {"Bonnaventure"}, "address": {"4 rue Neuve"},
			"postal_code": {"69001"}, "city": {"Lyon"}, "country": {"fr"}, "campaign": {"0"}, "note": {"Virement du 3"}}
		resp, body := b.post("/admin/donations/new", form)
		mustStatus(t, "recorded", resp, body, http.StatusSeeOther)
		loc := resp.Header.Get("Location")
		if !regexp.MustCompile(`^/admin/donations\?done=created#gift-\d+$`).MatchString(loc) {
			t.Fatalf("sent to %q", loc)
		}
		_, list := b.get(loc)
		d := parse(t, list)
		if d.Find("p.flash").Length() != 1 {
			t.Error("no flash message")
		}
		if d.Find("tr#"+loc[strings.Index(loc, "#")+1:]).Length() != 1 {
			t.Error("the new gift is not in the list")
		}
		// Sent again (a double click, the back button): one gift.
		resp, body = b.post("/admin/donations/new", form)
		mustStatus(t, "sent again", resp, body, http.StatusSeeOther)
		_, anchor, _ := strings.Cut(loc, "#")
		if again := resp.Header.Get("Location"); !strings.HasSuffix(again, "#"+anchor) {
			t.Errorf("sent again to %q, not to the same gift %q", again, loc)
		}
		_, list = b.get("/admin/donations?q=nadege.b")
		if n := parse(t, list).Find("table.donations tbody tr").Length(); n != 1 {
			t.Errorf("%d gifts recorded from one form", n)
		}
	})
}

func TestCampaignsAdmin(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)

	resp, body := b.get("/admin/campaigns")
	mustStatus(t, "campaigns", resp, body, http.StatusOK)
	d := parse(t, body)
	winter := d.Find("table.campaigns tbody tr").First()
	if !strings.Contains(winter.Text(), "Campagne d’hiver") || winter.Find("progress").Length() != 1 {
		t.Fatalf("winter campaign row %q", winter.Text())
	}
	href, _ := winter.Find(`a[href^="/admin/campaigns/"]`).Attr("href")

	t.Run("ErrFields", func(t *testing.T) {
		for _, path := range []string{"/admin/campaigns/new", href} {
			form := url.Values{"title": {"Printemps"}, "goal": {"0"}, "starts_at": {"2026-05-10"}, "ends_at": {"2026-05-01"}}
			resp, body := b.post(path, form)
			mustStatus(t, path, resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			for _, field := range []string{"goal", "ends_at"} {
				if d.Find("#"+field+"-error").Length() != 1 {
					t.Errorf("%s: no message next to %s", path, field)
				}
			}
			if d.Find("#title-error").Length() != 0 {
				t.Errorf("%s: a message next to the title", path)
			}
			if v, _ := d.Find("#title").Attr("value"); v != "Printemps" {
				t.Errorf("%s: title not kept: %q", path, v)
			}
		}
	})

	t.Run("OKCreate", func(t *testing.T) {
		form := url.Values{"title": {"Printemps 2027"}, "goal": {"15 000"}, "starts_at": {"2027-03-01"}, "ends_at": {"2027-05-31"}}
		resp, body := b.post("/admin/campaigns/new", form)
		mustStatus(t, "create", resp, body, http.StatusSeeOther)
		_, body = b.get(resp.Header.Get("Location"))
		row := parse(t, body).Find("table.campaigns tbody tr").First()
		text := strings.ReplaceAll(row.Text(), "\u202f", " ")
		for _, want := range []string{"Printemps 2027", "01/03/2027", "31/05/2027", "15 000", "À venir"} {
			if !strings.Contains(text, want) {
				t.Errorf("new campaign row %q lacks %q", text, want)
			}
		}
	})

	t.Run("OKEditShowsOnPublicBar", func(t *testing.T) {
		public := func() string {
			resp, body := b.get("/soutenir/")
			mustStatus(t, "donation page", resp, body, http.StatusOK)
			return body
		}
		if !strings.Contains(public(), "Campagne d’hiver") {
			t.Fatal("the donation page does not show the campaign")
		}
		resp, body := b.get(href)
		mustStatus(t, "edit form", resp, body, http.StatusOK)
		d := parse(t, body)
		starts, _ := d.Find("#starts_at").Attr("value")
		ends, _ := d.Find("#ends_at").Attr("value")
		form := url.Values{"title": {"Campagne d’hiver prolongée"}, "goal": {"25000"}, "starts_at": {starts}, "ends_at": {ends}}
		resp, body = b.post(href, form)
		mustStatus(t, "edit", resp, body, http.StatusSeeOther)
		_, body = b.get(href)
		if v, _ := parse(t, body).Find("#title").Attr("value"); v != "Campagne d’hiver prolongée" {
			t.Errorf("title after edit %q", v)
		}
		if v, _ := parse(t, body).Find("#goal").Attr("value"); v != "25000" {
			t.Errorf("goal after edit %q", v)
		}
		// The bar's page is cached, and purged at most every two seconds.
		deadline := time.Now().Add(5 * time.Second)
		for !strings.Contains(public(), "Campagne d’hiver prolongée") {
			if time.Now().After(deadline) {
				t.Fatal("the public bar still shows the old title")
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	for _, path := range []string{"/admin/campaigns/999999", "/admin/campaigns/x"} {
		resp, body := b.get(path)
		mustStatus(t, path, resp, body, http.StatusNotFound)
	}
}

func TestDonationsReport(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleAdmin)
	p := printer(s)
	resp, body := b.get("/admin/donations/report")
	mustStatus(t, "report", resp, body, http.StatusOK)
	d := parse(t, body)
	svg := d.Find(`svg[role="img"]`)
	if svg.Length() != 1 || svg.Find("title").First().Text() == "" || svg.Find("desc").Text() == "" {
		t.Fatalf("no accessible chart: %d svg", svg.Length())
	}
	if got := d.Find(`tr[id^="month-"]`).Length(); got != 12 {
		t.Errorf("%d months in the table", got)
	}

	// Each month's total is the sum of the gifts the list shows paid in
	// that month: two ways to the same figure.
	loc := s.App.Settings.Get().Location()
	now := time.Now().In(loc)
	for _, start := range []time.Time{time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc), time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, loc)} {
		_, sum, err := s.App.Donations.Gifts(context.Background(), access.Actor{UserID: 1, Role: users.RoleAdmin},
			donations.DonationFilter{From: start, To: start.AddDate(0, 1, 0)})
		if err != nil {
			t.Fatal(err)
		}
		row := d.Find("tr#month-" + start.Format("2006-01"))
		if got := row.Find("td").Eq(2).Text(); got != p.Money(sum.NetCents, "EUR") {
			t.Errorf("%s: total %q, want %q", start.Format("2006-01"), got, p.Money(sum.NetCents, "EUR"))
		}
	}
	_, dash := b.get("/admin/")
	if tile := parse(t, dash).Find(`ul.tiles a[href^="/admin/donations?status=paid&from="]`); tile.Length() != 1 {
		t.Error("no tile of this month's gifts on the dashboard")
	}
	if !strings.Contains(d.Find("figcaption").Text(), p.Money(demoTotal(), "EUR")) {
		t.Errorf("the twelve months' total %s is not on the page", p.Money(demoTotal(), "EUR"))
	}
}

// demoTotal is what the demo's gifts bring: the amounts the demo cycles
// through (internal/demo/donations.go).
func demoTotal() int64 {
	amounts := []int64{2000, 5000, 3000, 10000, 1500, 25000, 4000, 6000, 2500, 15000, 8000, 50000}
	var total int64
	for i := range demoGifts {
		total += amounts[(i*5)%len(amounts)]
	}
	return total
}

// TestDonationsForbidden: the gifts, campaigns and report are the
// admins'; an editor gets 403 everywhere, and changes nothing.
func TestDonationsForbidden(t *testing.T) {
	t.Parallel()
	s := newSite(t, apptest.Options{})
	b := as(t, s, users.RoleEditor)
	for _, path := range []string{"/admin/donations", "/admin/donations.csv", "/admin/donations/new", "/admin/donations/report",
		"/admin/donations/1", "/admin/campaigns", "/admin/campaigns/new", "/admin/campaigns/1"} {
		resp, body := b.get(path)
		mustStatus(t, path, resp, body, http.StatusForbidden)
	}
	for _, path := range []string{"/admin/donations/new", "/admin/campaigns/new", "/admin/campaigns/1"} {
		resp, body := b.post(path, url.Values{"title": {"Piratée"}, "goal": {"1"}, "starts_at": {"2026-01-01"}, "ends_at": {"2026-02-01"}})
		mustStatus(t, path, resp, body, http.StatusForbidden)
	}
	_, dash := b.get("/admin/")
	if strings.Contains(dash, `href="/admin/donations`) {
		t.Error("an editor's dashboard links to the gifts")
	}
	_, body := as(t, s, users.RoleAdmin).get("/admin/campaigns")
	if strings.Contains(body, "Piratée") {
		t.Error("an editor made a campaign")
	}
}

// TestDonationsReportHistory seeds the demo as kiosque serve --demo does,
// with a year of gifts before the campaign: every month of the report has
// gifts, monthly donors come and some go.
func TestDonationsReportHistory(t *testing.T) {
	t.Parallel()
	s := apptest.New(t, apptest.Options{NoDemo: true})
	a := s.App
	res, err := demo.Seed(context.Background(), demo.Services{Content: a.Content, Users: a.Users, Settings: a.Settings,
		Comments: a.Comments, Donations: a.Donations, BaseURL: a.Config.PublicBaseURL(), GiftHistory: true})
	if err != nil {
		t.Fatal(err)
	}
	b := visitor(t, s)
	resp, body := b.post("/admin/login", url.Values{"email": {res.AdminEmail}, "password": {res.AdminPassword}})
	mustStatus(t, "log in", resp, body, http.StatusSeeOther)
	resp, body = b.get("/admin/donations/report")
	mustStatus(t, "report", resp, body, http.StatusOK)
	d := parse(t, body)
	zero := printer(s).Money(0, "EUR")
	d.Find(`tr[id^="month-"]`).Each(func(i int, row *goquery.Selection) {
		if total := row.Find("td").Eq(2).Text(); total == zero && i < 11 {
			t.Errorf("%s: nothing given", row.Find("th").Text())
		}
	})
	var churned, recurring int
	d.Find(`tr[id^="recurring-"]`).Each(func(_ int, row *goquery.Selection) {
		if row.Find("td").Eq(0).Text() != zero {
			recurring++
		}
		if c := row.Find("td").Eq(5).Text(); c != "—" && !strings.HasPrefix(c, "0,00") {
			churned++
		}
	})
	if recurring < 10 || churned == 0 {
		t.Errorf("%d months with recurring revenue, %d with churn", recurring, churned)
	}
	_, body = b.get("/admin/donations?frequency=monthly&status=paid")
	if n := parse(t, body).Find("table.donations tbody tr").Length(); n < 20 {
		t.Errorf("only %d monthly payments", n)
	}
}
