package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/users"
)

// bookForm opens a book's form (or the new book form) and returns what
// it would send.
func bookForm(t *testing.T, b *browser, path string) url.Values {
	t.Helper()
	resp, body := b.get(path)
	mustStatus(t, path, resp, body, http.StatusOK)
	return formValues(t, body, "form.book")
}

func testShopBookCreateUsed(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	b := as(t, s, users.RoleAdmin)
	form := func() url.Values {
		v := bookForm(t, b, "/admin/shop/books/new")
		v.Set("title", "Roseanna")
		v.Set("authors", "Maj Sjöwall\r\nPer Wahlöö")
		v.Set("isbn", "978-0-00-723283-3")
		v.Set("condition_note", "Bon état, tampon de bibliothèque")
		v["price"] = []string{"6,50", ""}
		return v
	}
	if v := form(); v.Get("condition") != "used" || v.Get("stock") != "1" || v.Get("track_stock") == "" {
		t.Errorf("the new book form is not a used copy by default: %v", v)
	}

	t.Run("ErrISBN", func(t *testing.T) {
		v := form()
		v.Set("isbn", "9780007232834")
		resp, body := b.post("/admin/shop/books/new", v)
		mustStatus(t, "bad ISBN", resp, body, http.StatusUnprocessableEntity)
		d := parse(t, body)
		if d.Find("#isbn-error").Length() != 1 || d.Find("#title-error").Length() != 0 {
			t.Error("want a message next to the ISBN only")
		}
		if v, _ := d.Find("#title").Attr("value"); v != "Roseanna" {
			t.Errorf("title not kept: %q", v)
		}
	})

	t.Run("OK", func(t *testing.T) {
		resp, body := b.post("/admin/shop/books/new", form())
		mustStatus(t, "create", resp, body, http.StatusSeeOther)
		m := regexp.MustCompile(`^/admin/shop/books/(\d+)/\?done=created$`).FindStringSubmatch(resp.Header.Get("Location"))
		if m == nil {
			t.Fatalf("sent to %q", resp.Header.Get("Location"))
		}
		var id int64
		_, _ = fmt.Sscan(m[1], &id)
		got, err := s.App.Shop.BookByID(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		price, _ := got.PriceAt(shopNow)
		if got.ISBN != "9780007232833" || got.Condition != shop.ConditionUsed || got.Stock != 1 || !got.TrackStock ||
			price != 650 || !strings.HasPrefix(got.RecordRef, "used:") || len(got.Authors()) != 2 {
			t.Errorf("stored %+v", got)
		}
		_, body = b.get(resp.Header.Get("Location"))
		if !strings.Contains(parse(t, body).Find("div.heading").Text(), printer(s).T("admin.shop.used_label")) {
			t.Error("the book's page does not say « occasion »")
		}
	})
}

// testShopBookLawfulPrice: a new book is sold at its publisher's price;
// the back office cannot set another, and says which law forbids it.
func testShopBookLawfulPrice(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	p := printer(s)
	nourrice := demoBook(t, s, "La Nourrice", shop.ConditionNew)
	b := as(t, s, users.RoleAdmin)
	path := fmt.Sprintf("/admin/shop/books/%d/", nourrice.ID)

	t.Run("ErrFeedPriceChanged", func(t *testing.T) {
		v := bookForm(t, b, path)
		v["price"][0] = "15,00"
		resp, body := b.post(path, v)
		mustStatus(t, "price changed", resp, body, http.StatusUnprocessableEntity)
		if got := parse(t, body).Find("#prices-error").Text(); got != p.T("error.shop.publisher_price") {
			t.Errorf("message %q", got)
		}
		if price, _ := demoBook(t, s, "La Nourrice", shop.ConditionNew).PriceAt(shopNow); price != 1800 {
			t.Errorf("price %d after a refused change", price)
		}
	})

	t.Run("ErrNewCopyOtherPrice", func(t *testing.T) {
		v := bookForm(t, b, "/admin/shop/books/new")
		v.Set("title", "La Nourrice")
		v.Set("isbn", nourrice.ISBN)
		v.Set("condition", "new")
		v["price"] = []string{"15,00"}
		resp, body := b.post("/admin/shop/books/new", v)
		mustStatus(t, "new copy", resp, body, http.StatusUnprocessableEntity)
		if !strings.Contains(parse(t, body).Find("#prices-error").Text(), "loi Lang") {
			t.Error("the message does not cite the loi Lang")
		}
	})

	t.Run("OKOtherFields", func(t *testing.T) {
		v := bookForm(t, b, path)
		v.Set("reorder_at", "4")
		resp, body := b.post(path, v)
		mustStatus(t, "edit", resp, body, http.StatusSeeOther)
		if got := demoBook(t, s, "La Nourrice", shop.ConditionNew); got.ReorderAt != 4 || len(got.Contributors) != len(nourrice.Contributors) {
			t.Errorf("after edit: reorder %d, contributors %+v", got.ReorderAt, got.Contributors)
		}
	})
}

// testShopBookEditConflict: two admins edit the same book; the second to
// save gets the form back as typed, with the other's version, and may
// then overwrite it knowingly.
func testShopBookEditConflict(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	book := demoBook(t, s, "Mossoul", shop.ConditionNew)
	path := fmt.Sprintf("/admin/shop/books/%d/", book.ID)
	first, second := as(t, s, users.RoleAdmin), as(t, s, users.RoleAdmin)
	a, c := bookForm(t, first, path), bookForm(t, second, path)
	a.Set("subtitle", "histoire d’une ville carrefour")
	clk.Advance(time.Minute)
	resp, body := first.post(path, a)
	mustStatus(t, "first save", resp, body, http.StatusSeeOther)

	c.Set("subtitle", "une ville, trois mille ans")
	resp, body = second.post(path, c)
	mustStatus(t, "late save", resp, body, http.StatusConflict)
	d := parse(t, body)
	if d.Find(".notice.conflict").Length() != 1 {
		t.Error("no notice of the other's version")
	}
	if v, _ := d.Find("#subtitle").Attr("value"); v != "une ville, trois mille ans" {
		t.Errorf("typed subtitle not kept: %q", v)
	}
	if got := demoBook(t, s, "Mossoul", shop.ConditionNew).Subtitle; got != "histoire d’une ville carrefour" {
		t.Errorf("the late save overwrote the book: %q", got)
	}
	clk.Advance(time.Minute)
	resp, body = second.post(path, formValues(t, body, "form.book"))
	mustStatus(t, "save again", resp, body, http.StatusSeeOther)
	if got := demoBook(t, s, "Mossoul", shop.ConditionNew).Subtitle; got != "une ville, trois mille ans" {
		t.Errorf("the knowing overwrite did not save: %q", got)
	}
}

func testShopBookStock(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	book := demoBook(t, s, "Frontières", shop.ConditionNew)
	path := fmt.Sprintf("/admin/shop/books/%d/", book.ID)
	b := as(t, s, users.RoleAdmin)

	tests := []struct {
		name, delta, reason string
		status              int
		field               string
	}{
		{"ErrNoReason", "-1", "", http.StatusUnprocessableEntity, "#reason-error"},
		{"ErrNotANumber", "deux", "inventaire", http.StatusUnprocessableEntity, "#delta-error"},
		{"ErrBelowZero", "-100", "inventaire", http.StatusUnprocessableEntity, "#delta-error"},
		{"OKRemove", "-1", "Exemplaire abîmé", http.StatusSeeOther, ""},
		{"OKAdd", "+3", "Livraison du distributeur", http.StatusSeeOther, ""},
	}
	for _, tt := range tests {
		resp, body := b.post(path+"stock", url.Values{"delta": {tt.delta}, "reason": {tt.reason}})
		mustStatus(t, tt.name, resp, body, tt.status)
		if tt.field != "" && parse(t, body).Find(tt.field).Length() != 1 {
			t.Errorf("%s: no %s", tt.name, tt.field)
		}
	}
	if got := demoBook(t, s, "Frontières", shop.ConditionNew).Stock; got != book.Stock+2 {
		t.Errorf("stock %d, want %d", got, book.Stock+2)
	}
	_, body := b.get(path)
	moves := parse(t, body).Find("table.moves tbody tr")
	if moves.Length() < 2 || !strings.Contains(moves.Eq(0).Text(), "Livraison du distributeur") ||
		!strings.Contains(moves.Eq(1).Text(), "Exemplaire abîmé") {
		t.Errorf("stock moves, newest first: %q", moves.Text())
	}

	// Withdrawn, then back on sale.
	resp, body := b.post(path+"status", formValues(t, body, `form[action$="/status"]`))
	mustStatus(t, "withdraw", resp, body, http.StatusSeeOther)
	if got := demoBook(t, s, "Frontières", shop.ConditionNew).Status; got != shop.StatusWithdrawn {
		t.Fatalf("status %s after withdrawal", got)
	}
	_, list := b.get("/admin/shop/books/?withdrawn=1")
	if parse(t, list).Find(fmt.Sprintf("tr#book-%d", book.ID)).Length() != 1 {
		t.Error("the withdrawn book is not in the withdrawn list")
	}
	_, body = b.get(path)
	resp, body = b.post(path+"status", formValues(t, body, `form[action$="/status"]`))
	mustStatus(t, "reinstate", resp, body, http.StatusSeeOther)
	if got := demoBook(t, s, "Frontières", shop.ConditionNew).Status; got != shop.StatusActive {
		t.Errorf("status %s after reinstatement", got)
	}
}

func testShopBooksList(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	b := as(t, s, users.RoleAdmin)
	lows, err := s.App.Shop.LowStock(context.Background())
	if err != nil || len(lows) == 0 {
		t.Fatalf("no book to reorder in the demo: %v", err)
	}
	low := lows[0]
	resp, body := b.get("/admin/shop/books/")
	mustStatus(t, "books", resp, body, http.StatusOK)
	if parse(t, body).Find(fmt.Sprintf(`section.low-stock a[href="/admin/shop/books/%d/"]`, low.ID)).Length() != 1 {
		t.Error("the book to reorder is not in the alert")
	}
	tests := []struct {
		name, query string
		min         int
		all         func(*shop.Book) bool
	}{
		{"OKUsed", "?used=1", 2, func(b *shop.Book) bool { return b.Condition == shop.ConditionUsed }},
		{"OKWithdrawn", "?withdrawn=1", 1, func(b *shop.Book) bool { return b.Status == shop.StatusWithdrawn }},
		{"OKLow", "?low=1", 1, func(b *shop.Book) bool { return b.TrackStock && b.Stock <= b.ReorderAt }},
		{"OKISBN", "?q=" + low.ISBN, 1, func(b *shop.Book) bool { return b.ISBN == low.ISBN }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, body := b.get("/admin/shop/books/" + tt.query)
			rows := parse(t, body).Find(`table.books tbody tr`)
			if rows.Length() < tt.min {
				t.Fatalf("%d rows", rows.Length())
			}
			rows.Each(func(_ int, r *goquery.Selection) {
				var id int64
				_, _ = fmt.Sscanf(r.AttrOr("id", ""), "book-%d", &id)
				got, err := s.App.Shop.BookByID(context.Background(), id)
				if err != nil || !tt.all(got) {
					t.Errorf("row %d does not match the filter: %+v %v", id, got, err)
				}
			})
		})
	}
}
