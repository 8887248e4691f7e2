package site_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/shop"
)

// cartCookieOf returns the cart cookie a response sets, as a Cookie
// header ("kiosque_cart=…"), failing when there is none.
func cartCookieOf(t testing.TB, resp *http.Response) (string, *http.Cookie) {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == shop.CartCookie {
			return c.Name + "=" + c.Value, c
		}
	}
	t.Fatalf("no %s cookie in %v", shop.CartCookie, resp.Header.Values("Set-Cookie"))
	return "", nil
}

// addBook posts the book page's form: quantity copies of b into the cart
// of cookie ("" for a new cart).
func addBook(t testing.TB, s *apptest.Site, path string, b *shop.Book, quantity, cookie string) (*http.Response, string) {
	t.Helper()
	return post(t, s, path, url.Values{"book_id": {strconv.FormatInt(b.ID, 10)}, "quantity": {quantity}}, cookie)
}

func TestShopCart(t *testing.T) {
	s := donateSite(t, "")
	alep := demoBook(t, s, "Alep, la ville assiégée", "chronique d’une guerre", shop.ConditionNew, shop.FormatPrint)
	used := demoBook(t, s, "L’Orient de demain", "tome 1", shop.ConditionUsed, shop.FormatPrint)
	qtyAlep := "qty_" + strconv.FormatInt(alep.ID, 10)

	resp, body := addBook(t, s, "/librairie/panier/ajouter", alep, "1", "")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/librairie/panier/" {
		t.Fatalf("add: %d to %q\n%.300s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	cookie, ck := cartCookieOf(t, resp)
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.MaxAge < 30*24*3600 {
		t.Errorf("cookie %+v", ck)
	}
	if resp, _ := addBook(t, s, "/librairie/panier/ajouter", used, "1", cookie); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add the used copy: %d", resp.StatusCode)
	}

	t.Run("OKShows", func(t *testing.T) {
		resp, body := s.Get(t, "/librairie/panier/", "Cookie", cookie)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Robots-Tag") != "noindex" {
			t.Fatalf("status %d, headers %v", resp.StatusCode, resp.Header)
		}
		d := doc(t, body)
		rows := d.Find("table.cart-lines tbody tr")
		if rows.Length() != 2 || !strings.Contains(text(rows.Eq(0).Find("th")), "Alep, la ville assiégée") {
			t.Fatalf("lines: %q", text(rows))
		}
		if got := text(rows.Eq(1).Find("td.num").First()); got != "11,00\u00a0€ occasion" {
			t.Errorf("used line's price %q", got)
		}
		if d.Find(`label[for="`+qtyAlep+`"]`).Length() != 1 || d.Find(`input[name="`+qtyAlep+`"]`).AttrOr("value", "") != "1" {
			t.Error("no labelled quantity field")
		}
		if got := text(d.Find(".shop-totals .goods dd")); got != "33,00\u00a0€" {
			t.Errorf("goods %q", got)
		}
		why := text(d.Find(".shipping-why"))
		if !strings.Contains(why, "Colissimo à domicile") {
			t.Errorf("delivery charge without its reason: %q", why)
		}
		if !strings.Contains(text(d.Find(".vat-exemption")), "261-7-1°-b") {
			t.Error("no VAT exemption mention")
		}
		if d.Find(`input[name="carrier"][value="colissimo"][checked]`).Length() != 1 ||
			d.Find(`select[name="country"] option[value="FR"][selected]`).Length() != 1 {
			t.Error("the default delivery is not ticked")
		}
		if d.Find(`meta[name="robots"][content^="noindex"]`).Length() != 1 {
			t.Error("the cart is indexed")
		}
	})

	t.Run("OKCarrier", func(t *testing.T) {
		d := doc(t, mustGetCookie(t, s, "/librairie/panier/?carrier=mondial-relay&country=FR", cookie))
		if d.Find(`input[name="carrier"][value="mondial-relay"][checked]`).Length() != 1 ||
			!strings.Contains(text(d.Find(".shipping-why")), "Mondial Relay") {
			t.Errorf("relay delivery: %q", text(d.Find(".shop-totals")))
		}
	})

	t.Run("OKOffer", func(t *testing.T) {
		resp, _ := post(t, s, "/librairie/panier/", url.Values{qtyAlep: {"3"}, "carrier": {"colissimo"}, "country": {"FR"}, "update": {"1"}}, cookie)
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/librairie/panier/?") {
			t.Fatalf("update: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		d := doc(t, mustGetCookie(t, s, resp.Header.Get("Location"), cookie))
		if got := text(d.Find(".shop-totals .shipping > dd").First()); got != "0,01\u00a0€" {
			t.Errorf("77 € of books, 66 € of them new: delivery %q", got)
		}
		if why := text(d.Find(".shipping-why")); !strings.Contains(why, "Offre de la librairie\u00a0: 0,01\u00a0€ dès 64\u00a0€ d’achat") {
			t.Errorf("why %q", why)
		}
	})

	for _, bad := range []string{"-1", "1000000000", "abc", ""} {
		t.Run("ErrQuantity"+bad, func(t *testing.T) {
			resp, body := post(t, s, "/librairie/panier/", url.Values{qtyAlep: {bad}, "update": {"1"}}, cookie)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			d := doc(t, body)
			in := d.Find(`input[name="` + qtyAlep + `"]`)
			if got := text(d.Find(`[id="` + qtyAlep + `-error"]`)); !strings.Contains(got, "entre 1 et 99") ||
				in.AttrOr("aria-describedby", "") != qtyAlep+"-error" || in.AttrOr("value", "x") != bad {
				t.Errorf("error %q, field %v", got, in.Nodes)
			}
			d = doc(t, mustGetCookie(t, s, "/librairie/panier/", cookie))
			if got := d.Find(`input[name="`+qtyAlep+`"]`).AttrOr("value", ""); got != "3" {
				t.Errorf("quantity after a refusal: %q", got)
			}
		})
	}

	t.Run("ErrAddZero", func(t *testing.T) {
		resp, body := addBook(t, s, "/librairie/panier/ajouter", alep, "0", cookie)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(text(doc(t, body).Find(".form-errors")), "entre 1 et 99") {
			t.Errorf("status %d", resp.StatusCode)
		}
	})

	t.Run("ErrOutOfStock", func(t *testing.T) {
		resp, body := addBook(t, s, "/librairie/panier/ajouter", alep, "50", cookie)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(text(doc(t, body).Find(".form-errors")), "il n’en reste que") {
			t.Errorf("status %d: %q", resp.StatusCode, text(doc(t, body).Find(".form-errors")))
		}
	})

	t.Run("OKRemove", func(t *testing.T) {
		resp, _ := post(t, s, "/librairie/panier/", url.Values{qtyAlep: {"3"}, "remove": {strconv.FormatInt(used.ID, 10)}}, cookie)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		if n := doc(t, mustGetCookie(t, s, "/librairie/panier/", cookie)).Find("table.cart-lines tbody tr").Length(); n != 1 {
			t.Errorf("%d lines after removing one of two", n)
		}
	})

	t.Run("OKTamperedCookie", func(t *testing.T) {
		forged := cookie[:len(cookie)-2] + "xx"
		resp, body := s.Get(t, "/librairie/panier/", "Cookie", forged)
		if resp.StatusCode != http.StatusOK || !strings.Contains(text(doc(t, body).Find(".shop-cart")), "Votre panier est vide.") {
			t.Errorf("forged cookie: %d", resp.StatusCode)
		}
	})

	t.Run("OKHomeCount", func(t *testing.T) {
		if got := text(doc(t, mustGetCookie(t, s, "/librairie/", cookie)).Find(".shop-cart-link")); got != "Panier (3 livres)" {
			t.Errorf("cart link %q", got)
		}
	})

	t.Run("OKEnglish", func(t *testing.T) {
		d := doc(t, mustGetCookie(t, s, "/bookshop/cart/", cookie))
		if got := text(d.Find("h1")); got != "Your cart" {
			t.Errorf("English cart %q", got)
		}
		if href, _ := d.Find("table.cart-lines tbody th a").Attr("href"); href != "/bookshop/book/"+alep.Slug+"/" {
			t.Errorf("English line links to %q", href)
		}
		ours := demoBook(t, s, "Indépendants", "pourquoi la presse a besoin de ses lecteurs", shop.ConditionNew, shop.FormatPrint)
		resp, _ := addBook(t, s, "/bookshop/cart/add", ours, "1", cookie)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/bookshop/cart/" {
			t.Errorf("English add: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("ErrOtherSite", func(t *testing.T) {
		resp, _ := post(t, s, "/librairie/panier/ajouter", url.Values{"book_id": {strconv.FormatInt(alep.ID, 10)}}, cookie,
			"Sec-Fetch-Site", "cross-site")
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", resp.StatusCode)
		}
	})
}

// mustGetCookie fetches path with the cookie and fails unless it is 200.
func mustGetCookie(t testing.TB, s *apptest.Site, path, cookie string) string {
	t.Helper()
	resp, body := s.Get(t, path, "Cookie", cookie)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%.500s", path, resp.StatusCode, body)
	}
	return body
}
