package admin_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/users"
)

// comparableShop is the shop's settings with its dates as instants, so
// that two loads of the same settings compare equal.
func comparableShop(s settings.Shop) settings.Shop {
	utc := func(t time.Time) time.Time {
		if t.IsZero() {
			return time.Time{}
		}
		return t.UTC()
	}
	s.ShippingFloor.From, s.ShippingFloor.Until = utc(s.ShippingFloor.From), utc(s.ShippingFloor.Until)
	return s
}

// testShopSettings: the page sends back what it shows (a round trip
// changes nothing), saves a change, and refuses an unlawful floor or an
// unreadable rate next to its part of the form.
func testShopSettings(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	b := as(t, s, users.RoleAdmin)
	form := func() url.Values {
		resp, body := b.get("/admin/shop/settings/")
		mustStatus(t, "settings", resp, body, http.StatusOK)
		return formValues(t, body, "form.shop-settings")
	}
	before := comparableShop(s.App.Settings.Get().Shop)

	t.Run("OKRoundTrip", func(t *testing.T) {
		resp, body := b.post("/admin/shop/settings/", form())
		mustStatus(t, "round trip", resp, body, http.StatusSeeOther)
		after := comparableShop(s.App.Settings.Get().Shop)
		if fmt.Sprintf("%+v", after) != fmt.Sprintf("%+v", before) {
			t.Errorf("a round trip changed the settings:\n%+v\n%+v", before, after)
		}
	})

	t.Run("OKChange", func(t *testing.T) {
		v := form()
		v.Set("offer.threshold", "70")
		v.Del("floor.enabled")
		v.Set("floor.until", "2027-06-30")
		v.Set("carrier.2.id", "librairie")
		v.Set("carrier.2.name", "Retrait à la librairie")
		v.Set("carrier.2.kind", "pickup")
		v.Set("carrier.2.bookshop", "1")
		v.Set("carrier.2.rates", "500 ; 0")
		v.Set("carrier.2.address.name", "Librairie du Veilleur")
		v.Set("carrier.2.address.line1", "12 rue Mercière")
		v.Set("carrier.2.address.postal_code", "69002")
		v.Set("carrier.2.address.city", "Lyon")
		v.Set("carrier.2.address.country", "FR")
		resp, body := b.post("/admin/shop/settings/", v)
		mustStatus(t, "change", resp, body, http.StatusSeeOther)
		got := s.App.Settings.Get().Shop
		if got.Offer.ThresholdCents != 7000 || got.ShippingFloor.Enabled || got.ShippingFloor.Until.IsZero() {
			t.Errorf("offer %+v, floor %+v", got.Offer, got.ShippingFloor)
		}
		policy := got.Policy()
		c, ok := policy.Carrier("librairie")
		if !ok || !c.BookshopPickup() || c.Address.City != "Lyon" {
			t.Errorf("pickup point %+v", c)
		}
	})

	tests := []struct {
		name, field, value, errorID string
	}{
		{"ErrFloorFree", "floor.above", "0", "#shop-shipping_floor-error"},
		{"ErrRate", "carrier.0.rates", "FR ; cinq cents ; 7,59", "#shop-carriers-error"},
		{"ErrVATMode", "shop.vat_mode", "aucun", "#shop-vat_mode-error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := form()
			v.Set(tt.field, tt.value)
			resp, body := b.post("/admin/shop/settings/", v)
			mustStatus(t, tt.name, resp, body, http.StatusUnprocessableEntity)
			d := parse(t, body)
			if d.Find(tt.errorID).Length() != 1 {
				t.Errorf("no %s", tt.errorID)
			}
			if got := formValues(t, body, "form.shop-settings").Get(tt.field); got != tt.value && tt.field != "shop.vat_mode" {
				t.Errorf("%s shown back as %q", tt.field, got)
			}
		})
	}
}

func testShopArticlePicks(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	ctx := context.Background()
	a, err := s.App.Content.ArticleBySlug(ctx, "rentree-litteraire-560-romans")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/admin/articles/%d/livres/", a.ID)
	b := as(t, s, users.RoleEditor)
	_, editor := b.get(fmt.Sprintf("/admin/articles/%d", a.ID))
	if parse(t, editor).Find(`a[href="`+path+`"]`).Length() != 1 {
		t.Error("the article editor does not link to its books")
	}
	resp, body := b.get(path + "?q=syrie")
	mustStatus(t, "picks", resp, body, http.StatusOK)
	v := formValues(t, body, "form.picks")
	if len(v["book"]) != 2 {
		t.Fatalf("%d books picked, want the demo's 2", len(v["book"]))
	}
	mossoul := demoBook(t, s, "Mossoul", shop.ConditionNew)

	resp, body = b.post(path, map[string][]string{"book": v["book"], "isbn": {"9780007232834"}})
	mustStatus(t, "bad ISBN", resp, body, http.StatusUnprocessableEntity)
	if parse(t, body).Find("#isbn-error").Length() != 1 {
		t.Error("no message next to the ISBN")
	}
	resp, body = b.post(path, map[string][]string{"book": v["book"], "isbn": {mossoul.ISBN}})
	mustStatus(t, "pick by ISBN", resp, body, http.StatusSeeOther)
	picked, err := s.App.Shop.ArticleBooks(ctx, a.ID)
	if err != nil || len(picked) != 3 || picked[2].ID != mossoul.ID {
		t.Fatalf("picked %d books (%v), want Mossoul third", len(picked), err)
	}
	_, body = b.get(path + "?q=syrie")
	found := parse(t, body).Find(`form.picks input[name="book"]:not([checked])`)
	if found.Length() < 2 {
		t.Fatalf("the search found %d books", found.Length())
	}
	all := slices.Concat(formValues(t, body, "form.picks")["book"], []string{found.Eq(0).AttrOr("value", ""), found.Eq(1).AttrOr("value", "")})
	resp, body = b.post(path, map[string][]string{"book": all})
	mustStatus(t, "five books", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, printer(s).T("error.shop.too_many_picks", shop.PromoBooks)) {
		t.Error("no message about the number of books")
	}

	contributor := as(t, s, users.RoleContributor)
	resp, body = contributor.get(path)
	mustStatus(t, "another's article", resp, body, http.StatusForbidden)
}

func testShopImport(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	b := as(t, s, users.RoleAdmin)
	upload := func(format, name string, data []byte, dryRun bool) (*http.Response, string) {
		t.Helper()
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("format", format)
		if dryRun {
			_ = mw.WriteField("dry_run", "1")
		}
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data)
		_ = mw.Close()
		req, err := http.NewRequest(http.MethodPost, s.URL+"/admin/shop/import/", &body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return b.do(req)
	}
	onix := func(file string, dryRun bool) (*http.Response, string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join("..", "..", "onix", "testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		return upload("onix", file, data, dryRun)
	}
	count := func(body, id string) string { return parse(t, body).Find("#count-" + id).Text() }
	before, err := s.App.Shop.AdminBooks(context.Background(), shop.BookQuery{})
	if err != nil {
		t.Fatal(err)
	}

	resp, body := onix("french_feed.xml", true)
	mustStatus(t, "simulation", resp, body, http.StatusOK)
	if count(body, "read") == "0" || count(body, "valid") == "" {
		t.Errorf("simulation report: read %q, valid %q", count(body, "read"), count(body, "valid"))
	}
	if after, _ := s.App.Shop.AdminBooks(context.Background(), shop.BookQuery{}); after.Total != before.Total {
		t.Errorf("a simulation stored books: %d → %d", before.Total, after.Total)
	}
	skipped := parse(t, body).Find("table.skipped tbody tr").Length()
	if fmt.Sprint(skipped) != count(body, "skipped") {
		t.Errorf("%d skipped listed, %s counted", skipped, count(body, "skipped"))
	}

	resp, body = onix("french_feed.xml", false)
	mustStatus(t, "import", resp, body, http.StatusOK)
	if count(body, "inserted") == "0" || count(body, "inserted") == "" {
		t.Errorf("nothing inserted: %q", count(body, "inserted"))
	}
	if after, _ := s.App.Shop.AdminBooks(context.Background(), shop.BookQuery{}); after.Total <= before.Total {
		t.Errorf("the import stored nothing: %d → %d", before.Total, after.Total)
	}

	resp, body = onix("onix21_short.xml", true)
	mustStatus(t, "ONIX 2.1", resp, body, http.StatusUnprocessableEntity)
	if !strings.Contains(body, printer(s).T("error.shop.import_onix_version")) {
		t.Error("an ONIX 2.1 file is not refused by name")
	}

	// The catalogue's export reads back as it is.
	resp, body = b.get("/admin/shop/books.csv")
	rows := readCSV(t, resp, body, "catalogue-2026-11-20")
	if len(rows) < 2 || strings.Join(rows[0], ";") != strings.Join(shop.CSVColumns, ";") {
		t.Fatalf("export: %d rows, header %q", len(rows), rows[0])
	}
	resp, body = upload("csv", "catalogue.csv", []byte(body), true)
	mustStatus(t, "CSV simulation", resp, body, http.StatusOK)
	if got := count(body, "read"); got != fmt.Sprint(len(rows)-1) {
		t.Errorf("the export's %d books read back as %s", len(rows)-1, got)
	}
}
