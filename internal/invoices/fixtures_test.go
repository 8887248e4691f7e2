package invoices

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/shop"
)

// paris is the site's time zone; documents are dated in it.
var paris = mustLoadLocation("Europe/Paris")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

var (
	catalogOnce sync.Once
	catalog     *locale.Catalog
	errCatalog  error
)

// testCatalog returns the embedded message catalogue, loaded once for
// the package's tests.
func testCatalog(tb testing.TB) *locale.Catalog {
	tb.Helper()
	catalogOnce.Do(func() { catalog, errCatalog = locale.LoadCatalog() })
	if errCatalog != nil {
		tb.Fatal(errCatalog)
	}
	return catalog
}

func testSeller() Seller {
	return Seller{
		Name:      "Le Veilleur de la Croix-Rousse",
		Address:   []string{"14 rue d'Austerlitz", "69004 Lyon"},
		SIREN:     "812 345 676",
		RNA:       "W691234567",
		VATNumber: "FR 19 812345676",
		LegalForm: "Association loi 1901",
		Email:     "librairie@veilleur.example",
		Website:   "https://veilleur.example",
	}
}

// Books of the fixtures.
var (
	otsuka = shop.OrderLine{
		ID: 1, BookID: 101, ISBN: "9782752906700", Title: "Certaines n'avaient jamais vu la mer",
		Format: shop.FormatPrint, Condition: shop.ConditionNew,
		PublisherCents: 2200, UnitCents: 2200, Quantity: 1, VATRate: 550,
	}
	roseanna = shop.OrderLine{
		ID: 2, BookID: 102, ISBN: "9780007232833", Title: "Roseanna",
		Format: shop.FormatPrint, Condition: shop.ConditionNew,
		PublisherCents: 890, UnitCents: 890, Quantity: 2, VATRate: 550,
	}
	usedCopy = shop.OrderLine{
		ID: 3, BookID: 103, ISBN: "9782070368228", Title: "L'Étranger",
		Format: shop.FormatPrint, Condition: shop.ConditionUsed,
		PublisherCents: 450, UnitCents: 450, Quantity: 1, VATRate: 550,
	}
	toteBag = shop.OrderLine{
		ID: 4, BookID: 104, Title: "Sac « Le Veilleur » en coton bio",
		Format: shop.FormatOther, Condition: shop.ConditionNew,
		PublisherCents: 1500, UnitCents: 1500, Quantity: 1, VATRate: 2000,
	}
	ebook = shop.OrderLine{
		ID: 5, BookID: 105, ISBN: "9782752908643", Title: "Certaines n'avaient jamais vu la mer",
		Format: shop.FormatEbook, Condition: shop.ConditionNew,
		PublisherCents: 1099, UnitCents: 1099, Quantity: 1, VATRate: 550,
	}
)

var testAuthors = map[int64]string{
	101: "Julie Otsuka",
	102: "Maj Sjöwall, Per Wahlöö",
	103: "Albert Camus",
	105: "Julie Otsuka",
}

// testOrder is a paid order of lines delivered to Paris with shipping,
// its totals and VAT breakdown computed as the shop does.
func testOrder(mode shop.VATMode, shipping int64, lines ...shop.OrderLine) *shop.Order {
	o := &shop.Order{
		ID:        42,
		Reference: "ord_7Hq2xK",
		Status:    shop.OrderPaid,
		Email:     "anne@example.org",
		ShipTo: shop.Address{
			Name: "Anne-Sophie Lefèvre-Nguyễn", Line1: "12 rue des Œillets", Line2: "Bâtiment B",
			PostalCode: "75011", City: "Paris", Country: "FR", Phone: "+33 6 12 34 56 78",
		},
		Carrier:       "colissimo",
		CarrierName:   "Colissimo",
		Delivery:      shop.DeliveryHome,
		Lines:         slices.Clone(lines),
		ShippingCents: shipping,
		VATMode:       mode,
		Lang:          "fr",
		CreatedAt:     time.Date(2026, time.November, 2, 21, 14, 0, 0, paris),
		PaidAt:        time.Date(2026, time.November, 3, 9, 5, 0, 0, paris),
	}
	for _, l := range o.Lines {
		o.GoodsCents += l.TotalCents()
	}
	o.TotalCents = o.GoodsCents + shipping
	switch mode {
	case shop.VATLiable:
		o.VAT = breakdown(o.Lines, shipping)
	case shop.VATFranchise:
		o.VATExemption = "TVA non applicable, art. 293 B du CGI"
	case shop.VATExempt:
		o.VATExemption = "TVA non applicable, art. 261-7-1°-b du CGI"
	}
	return o
}

// breakdown is the VAT per rate with shipping split pro rata of the
// goods' value before tax, as package shop computes it.
func breakdown(lines []shop.OrderLine, shipping int64) []shop.VATLine {
	goods := goodsByRate(lines)
	weights := make([]int64, len(goods))
	for i, g := range goods {
		weights[i] = exclusive(g.Cents, g.Rate)
	}
	shares := allocate(shipping, weights)
	out := make([]shop.VATLine, len(goods))
	for i, g := range goods {
		out[i] = split(g.Cents+shares[i], g.Rate)
	}
	return out
}

// invoice is the invoice of o, issued the day after payment.
func invoice(t testing.TB, o *shop.Order) *Document {
	return &Document{
		Kind:     shop.KindInvoice,
		Number:   "F2026-000042",
		IssuedAt: time.Date(2026, time.November, 3, 9, 6, 0, 0, paris),
		Seller:   testSeller(),
		Order:    o,
		Authors:  testAuthors,
		Payment:  Payment{Method: PayCard, PaidAt: o.PaidAt},
		Catalog:  testCatalog(t),
	}
}

// credit is a credit note for refund cents of o's invoice.
func credit(t testing.TB, o *shop.Order, refund int64) *Document {
	d := invoice(t, o)
	d.Kind = shop.KindCredit
	d.Number = "A2026-000003"
	d.IssuedAt = time.Date(2026, time.November, 20, 16, 0, 0, 0, paris)
	d.Corrects = "F2026-000042"
	d.CorrectsDate = time.Date(2026, time.November, 3, 9, 6, 0, 0, paris)
	d.RefundCents = refund
	d.Payment = Payment{Method: PayCard, PaidAt: time.Date(2026, time.November, 20, 16, 0, 0, 0, paris)}
	return d
}

// company makes o's buyer a company.
func company(o *shop.Order) *shop.Order {
	o.BillTo = shop.Address{
		Name: "Paul Martin", Company: "Librairie des Canuts SARL", SIREN: "732 829 320",
		Line1: "3 place Bellecour", PostalCode: "69002", City: "Lyon", Country: "FR",
	}
	return o
}

// longTitle is a title of n characters with spaces to wrap on.
func longTitle(n int) string {
	words := strings.Repeat("Chroniques d'une ville au bord du fleuve ", n/40+1)
	return strings.TrimSpace(string([]rune(words)[:n]))
}
