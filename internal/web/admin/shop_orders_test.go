package admin_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/users"
)

// testShopPagesAccess: every page of the bookshop renders for an admin,
// and is refused to an editor, who changes nothing; the menu shows the
// bookshop to admins only.
func testShopPagesAccess(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	nourrice := demoBook(t, s, "La Nourrice", shop.ConditionNew)
	o := paidOrder(t, s, "colissimo", "Alice Essai", shop.QuoteItem{Book: nourrice, Quantity: 1})
	admin := as(t, s, users.RoleAdmin)
	pages := []string{"/admin/shop/orders/", orderPath(o), "/admin/shop/orders.csv", "/admin/shop/sales/", "/admin/shop/books/",
		"/admin/shop/books/?low=1", "/admin/shop/books/new", fmt.Sprintf("/admin/shop/books/%d/", nourrice.ID),
		"/admin/shop/import/", "/admin/shop/settings/", orderPath(o) + "bon-de-livraison.pdf"}
	for _, path := range pages {
		resp, body := admin.get(path)
		mustStatus(t, "admin GET "+path, resp, body, http.StatusOK)
	}
	_, dash := admin.get("/admin/")
	d := parse(t, dash)
	if d.Find(`header nav a[href="/admin/shop/orders/"]`).Length() != 1 {
		t.Error("no « Librairie » in an admin's menu")
	}
	if d.Find(`ul.tiles a[href="/admin/shop/books/?low=1"]`).Length() != 1 {
		t.Error("no tile of the books to reorder on the dashboard")
	}

	editor := as(t, s, users.RoleEditor)
	for _, path := range pages {
		resp, body := editor.get(path)
		mustStatus(t, "editor GET "+path, resp, body, http.StatusForbidden)
	}
	for _, path := range []string{orderPath(o) + "prepare", orderPath(o) + "cancel", "/admin/shop/books/new",
		fmt.Sprintf("/admin/shop/books/%d/stock", nourrice.ID), "/admin/shop/settings/"} {
		resp, body := editor.post(path, url.Values{"delta": {"5"}, "reason": {"x"}, "title": {"Piraté"}})
		mustStatus(t, "editor POST "+path, resp, body, http.StatusForbidden)
	}
	if got := storedOrder(t, s, o.ID); got.Status != shop.OrderPaid {
		t.Errorf("an editor moved the order to %s", got.Status)
	}
	_, dash = editor.get("/admin/")
	if strings.Contains(dash, `href="/admin/shop/orders/"`) {
		t.Error("an editor's menu shows the bookshop")
	}
}

func testShopOrdersList(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	used := demoBook(t, s, "Petite patrie", shop.ConditionUsed)
	o := paidOrder(t, s, "mondial-relay", "Zoé Marchand", shop.QuoteItem{Book: used, Quantity: 1})
	b := as(t, s, users.RoleAdmin)

	tests := []struct {
		name, query string
		has         bool
	}{
		{"OKAll", "", true},
		{"OKStatus", "?status=paid", true},
		{"OKSearchName", "?q=marchand", true},
		{"OKSearchReference", "?q=" + o.Reference[4:16], true},
		{"OKSearchInvoice", "?q=" + url.QueryEscape(o.InvoiceNumber), true},
		{"OKOtherStatus", "?status=shipped", false},
		{"OKFuture", "?from=2026-11-21", false},
		{"OKBadFiltersIgnored", "?status=lost&from=hier", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := b.get("/admin/shop/orders/" + tt.query)
			mustStatus(t, tt.name, resp, body, http.StatusOK)
			if got := parse(t, body).Find(fmt.Sprintf("tr#order-%d", o.ID)).Length() == 1; got != tt.has {
				t.Errorf("order listed %v, want %v", got, tt.has)
			}
		})
	}
	if o.InvoiceNumber == "" {
		t.Error("the paid order has no invoice")
	}

	resp, body := b.get(orderPath(o))
	mustStatus(t, "detail", resp, body, http.StatusOK)
	d := parse(t, body)
	if !strings.Contains(d.Find("table.lines").Text(), printer(s).T("admin.shop.used_label")) {
		t.Error("the used copy is not labelled « occasion » on the order")
	}
	for _, want := range []string{"Zoé Marchand", "2 rue des Essais", o.InvoiceNumber, "Mondial Relay"} {
		if !strings.Contains(body, want) {
			t.Errorf("the order's page lacks %q", want)
		}
	}
	if d.Find("ul.why li").Length() == 0 {
		t.Error("the order's page does not say why delivery costs what it does")
	}
	href, ok := d.Find(`ul.documents a[href*="/documents/"]`).Attr("href")
	if !ok {
		t.Fatal("no invoice to download")
	}
	resp, pdf := b.get(href)
	mustStatus(t, "invoice", resp, pdf, http.StatusOK)
	if resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf, "%PDF") {
		t.Errorf("invoice %q, %.8q", resp.Header.Get("Content-Type"), pdf)
	}
	resp, body = b.get(orderPath(o) + "bon-de-livraison.pdf")
	mustStatus(t, "packing slip", resp, body, http.StatusOK)
	if !strings.HasPrefix(body, "%PDF") {
		t.Error("the packing slip is not a PDF")
	}
	for _, path := range []string{"/admin/shop/orders/999999/", "/admin/shop/orders/x/", orderPath(o) + "documents/999999"} {
		resp, body := b.get(path)
		mustStatus(t, path, resp, body, http.StatusNotFound)
	}
}

// testShopOrderSteps takes an order through the back office's forms:
// prepared, shipped (a tracking number required), delivered, partly
// refunded (never the delivery charge), each step once however often its
// form is sent.
func testShopOrderSteps(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	p := printer(s)
	nourrice := demoBook(t, s, "La Nourrice", shop.ConditionNew)
	o := paidOrder(t, s, "colissimo", "Bruno Suivi", shop.QuoteItem{Book: nourrice, Quantity: 1})
	b := as(t, s, users.RoleAdmin)

	// The prepare form, kept to be sent again as a double click would.
	_, body := b.get(orderPath(o))
	prepare := formValues(t, body, fmt.Sprintf(`form[action="%sprepare"]`, orderPath(o)))
	resp, body := b.post(orderPath(o)+"prepare", prepare)
	mustStatus(t, "prepare", resp, body, http.StatusSeeOther)
	if got := storedOrder(t, s, o.ID).Status; got != shop.OrderPreparing {
		t.Fatalf("status %s after prepare", got)
	}
	resp, body = b.post(orderPath(o)+"prepare", prepare)
	mustStatus(t, "prepare twice", resp, body, http.StatusConflict)
	if got, want := flashText(t, body), p.T("error.shop.order_changed"); got != want {
		t.Errorf("flash %q, want %q", got, want)
	}

	resp, body = act(t, b, o, "ship", "tracking", "")
	mustStatus(t, "ship without tracking", resp, body, http.StatusUnprocessableEntity)
	if parse(t, body).Find("#tracking-error").Length() != 1 {
		t.Error("no message next to the tracking number")
	}
	resp, body = act(t, b, o, "ship", "tracking", "6A12345678901")
	mustStatus(t, "ship", resp, body, http.StatusSeeOther)
	shipped := storedOrder(t, s, o.ID)
	if shipped.Status != shop.OrderShipped || shipped.Tracking != "6A12345678901" || shipped.ShippedAt.IsZero() {
		t.Fatalf("after ship: %s %q %v", shipped.Status, shipped.Tracking, shipped.ShippedAt)
	}
	resp, body = act(t, b, o, "deliver")
	mustStatus(t, "deliver", resp, body, http.StatusSeeOther)

	// A partial refund bounded by the goods: the delivery stays charged.
	resp, body = act(t, b, o, "refund", "full", "", "amount", fmt.Sprintf("%d,%02d", (o.GoodsCents+1)/100, (o.GoodsCents+1)%100))
	mustStatus(t, "refund over the goods", resp, body, http.StatusUnprocessableEntity)
	want := p.T("error.shop.refund_bounds", p.Money(o.GoodsCents, "EUR"))
	if got := flashText(t, body); got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	if parse(t, body).Find("#amount-error").Length() != 1 {
		t.Error("no message next to the amount")
	}
	_, body = b.get(orderPath(o))
	refund := formValues(t, body, fmt.Sprintf(`form[action="%srefund"]`, orderPath(o)))
	refund.Set("full", "")
	refund.Set("amount", "5,00")
	refund.Set("reason", "Couverture abîmée")
	resp, body = b.post(orderPath(o)+"refund", refund)
	mustStatus(t, "partial refund", resp, body, http.StatusSeeOther)
	resp, body = b.post(orderPath(o)+"refund", refund)
	mustStatus(t, "partial refund twice", resp, body, http.StatusConflict)
	done := storedOrder(t, s, o.ID)
	if done.RefundedCents != 500 || done.Status != shop.OrderDelivered {
		t.Errorf("after one partial refund sent twice: %d refunded, %s", done.RefundedCents, done.Status)
	}
	_, body = b.get(orderPath(o))
	d := parse(t, body)
	if n := d.Find("ul.documents li").Length(); n != 2 {
		t.Errorf("%d documents, want the invoice and one credit note", n)
	}
	history := d.Find("ol.history").Text()
	for _, st := range []string{"preparing", "shipped", "delivered"} {
		if !strings.Contains(history, p.T("admin.shop.status."+st)) {
			t.Errorf("history lacks %s: %q", st, history)
		}
	}
}

// testShopOrderCancel: cancelling a paid order refunds it in full at the
// provider first, then puts its copies back.
func testShopOrderCancel(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	nourrice := demoBook(t, s, "La Nourrice", shop.ConditionNew)
	o := paidOrder(t, s, "colissimo", "Chloé Annule", shop.QuoteItem{Book: nourrice, Quantity: 2})
	before := demoBook(t, s, "La Nourrice", shop.ConditionNew).Stock
	b := as(t, s, users.RoleAdmin)
	resp, body := act(t, b, o, "cancel", "reason", "Rupture chez le distributeur")
	mustStatus(t, "cancel", resp, body, http.StatusSeeOther)
	got := storedOrder(t, s, o.ID)
	if got.Status != shop.OrderCancelled || got.RefundedCents != got.TotalCents {
		t.Errorf("after cancel: %s, %d of %d refunded", got.Status, got.RefundedCents, got.TotalCents)
	}
	if after := demoBook(t, s, "La Nourrice", shop.ConditionNew).Stock; after != before+2 {
		t.Errorf("stock %d after cancel, want %d", after, before+2)
	}
	_, body = b.get(orderPath(o))
	if parse(t, body).Find(`form[action$="/cancel"], form[action$="/refund"]`).Length() != 0 {
		t.Error("a cancelled order still offers to cancel or refund")
	}
}

func testShopOrdersCSV(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	nourrice := demoBook(t, s, "La Nourrice", shop.ConditionNew)
	o := paidOrder(t, s, "colissimo", "=HYPERLINK(\"http://evil.example\")", shop.QuoteItem{Book: nourrice, Quantity: 1})
	b := as(t, s, users.RoleAdmin)
	p := printer(s)

	resp, body := b.get("/admin/shop/orders.csv?q=hyperlink")
	rows := readCSV(t, resp, body, "commandes-2026-11-20")
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
	money := func(c int64) string { return fmt.Sprintf("%d,%02d", c/100, c%100) }
	cases := map[string]string{
		p.T("admin.shop.orders.reference"): o.Reference,
		p.T("admin.shop.orders.buyer"):     "'=HYPERLINK(\"http://evil.example\")",
		p.T("admin.shop.orders.total"):     money(o.TotalCents),
		p.T("admin.shop.orders.shipping"):  money(o.ShippingCents),
		p.T("admin.shop.orders.invoice"):   o.InvoiceNumber,
		p.T("admin.filter.status"):         p.T("admin.shop.status.paid"),
	}
	for name, want := range cases {
		if got := cell(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	_, list := b.get("/admin/shop/orders/?status=paid&q=x")
	if href, _ := parse(t, list).Find(`a[href^="/admin/shop/orders.csv"]`).Attr("href"); href != "/admin/shop/orders.csv?q=x&status=paid" {
		t.Errorf("export link %q", href)
	}
}

func testShopSales(t *testing.T, s *apptest.Site, clk *clock.Fixed) {
	b := as(t, s, users.RoleAdmin)
	resp, body := b.get("/admin/shop/sales/")
	mustStatus(t, "sales", resp, body, http.StatusOK)
	d := parse(t, body)
	svg := d.Find(`svg[role="img"]`)
	if svg.Length() != 1 || svg.Find("title").First().Text() == "" || svg.Find("desc").Text() == "" || svg.Find("rect").Length() != 12 {
		t.Fatalf("no accessible chart of twelve bars: %d svg", svg.Length())
	}
	if got := d.Find(`tr[id^="month-"]`).Length(); got != 12 {
		t.Errorf("%d months in the table", got)
	}
	if d.Find("tr#month-2026-11").Length() != 1 || d.Find("tr#sales-total").Length() != 1 {
		t.Error("the table does not end with this month and its totals")
	}
	months, err := s.App.Shop.SalesByMonth(t.Context(), 12, s.App.Settings.Get().Location())
	if err != nil {
		t.Fatal(err)
	}
	var orders int
	for _, m := range months {
		orders += m.Orders
	}
	if orders == 0 {
		t.Fatal("the demo sold nothing")
	}
	if got := d.Find("tr#sales-total td").First().Text(); got != fmt.Sprint(orders) {
		t.Errorf("total orders %q, want %d", got, orders)
	}
}
