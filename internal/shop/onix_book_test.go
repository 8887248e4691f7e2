package shop_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/onix"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/testutil"
)

// importDay is when the ONIX tests import.
var importDay = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)

func utcDay(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sellable returns an ONIX product that maps to a sellable book, for the
// tests to change.
func sellable() *onix.Product {
	return &onix.Product{
		RecordReference: "fr.exemple.1", NotificationType: "03",
		Blocks: onix.Blocks{Descriptive: true, Collateral: true, Publishing: true, Supply: true},
		ISBN13: "9782070368228", ProductForm: "BC", Title: "L'Étranger",
		Contributors:     []onix.Contributor{{Sequence: 1, Role: "A01", Name: "Albert Camus", SortName: "Camus, Albert"}},
		PublishingStatus: "04", Availability: "21",
		Prices: []onix.Price{{Type: "04", Cents: 850, Currency: "EUR", CountriesIncluded: []string{"FR"}, TaxRateBP: 550}},
	}
}

func TestBookFromONIXFields(t *testing.T) {
	p := sellable()
	p.Subtitle, p.Series, p.Publisher, p.Imprint = "roman", "Folio", "Gallimard", "Folio"
	p.Language, p.Pages, p.WeightGrams = "fre", 192, 178
	p.PublicationDate = utcDay(1972, 1, 1)
	p.CoverURL = "https://images.exemple.fr/9782070368228.jpg"
	p.Description = `<p onclick="x()">« Aujourd'hui, maman est morte. »</p><script>alert(1)</script>`
	p.Subjects = []onix.Subject{
		{SchemeID: "29", Scheme: "clil", Code: "3435", Heading: "Littérature générale", Main: true},
		{SchemeID: "93", Scheme: "thema", Code: "FBA"},
		{SchemeID: "20", Scheme: "keyword", Heading: "absurde"},
		{SchemeID: "12", Code: "FA"}, // BIC: not a scheme the shop uses
	}
	got, err := shop.BookFromONIX(p, importDay)
	if err != nil {
		t.Fatal(err)
	}
	want := &shop.Book{
		RecordRef: "fr.exemple.1", ISBN: "9782070368228", Slug: "l-etranger-albert-camus-9782070368228",
		Title: "L'Étranger", Subtitle: "roman", Series: "Folio", Format: shop.FormatPrint, Condition: shop.ConditionNew,
		Contributors: []shop.Contributor{{Role: "A01", Name: "Albert Camus", SortName: "Camus, Albert"}},
		Publisher:    "Gallimard", Imprint: "Folio", PublishedOn: utcDay(1972, 1, 1), Pages: 192, Language: "fre",
		Subjects: []shop.Subject{
			{Scheme: "clil", Code: "3435", Heading: "Littérature générale", Main: true},
			{Scheme: "thema", Code: "FBA"},
			{Scheme: "keyword", Heading: "absurde"},
		},
		Description:  "<p>« Aujourd&#39;hui, maman est morte. »</p>",
		CoverURL:     "https://images.exemple.fr/9782070368228.jpg",
		Availability: "21", Status: shop.StatusActive,
		Prices: []shop.Price{{Cents: 850}}, VATRate: 550, WeightGrams: 178,
		CreatedAt: importDay, UpdatedAt: importDay,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("book (-want +got):\n%s", diff)
	}
}

func TestBookFromONIXFormatAndStatus(t *testing.T) {
	tests := []struct {
		name         string
		change       func(p *onix.Product)
		format       shop.Format
		status       shop.Status
		notSoldAlone bool
	}{
		{"OKPaperback", func(p *onix.Product) {}, shop.FormatPrint, shop.StatusActive, false},
		{"OKHardback", func(p *onix.Product) { p.ProductForm = "BB" }, shop.FormatPrint, shop.StatusActive, false},
		{"OKEbookDownload", func(p *onix.Product) { p.ProductForm = "ED" }, shop.FormatEbook, shop.StatusActive, false},
		{"OKEbookDG", func(p *onix.Product) { p.ProductForm = "DG" }, shop.FormatEbook, shop.StatusActive, false},
		{"OKAudio", func(p *onix.Product) { p.ProductForm = "AJ" }, shop.FormatAudio, shop.StatusActive, false},
		{"OKOther", func(p *onix.Product) { p.ProductForm = "PC" }, shop.FormatOther, shop.StatusActive, false},
		{"OKOutOfPrint", func(p *onix.Product) { p.PublishingStatus = "07" }, shop.FormatPrint, shop.StatusWithdrawn, false},
		{"OKAvailabilityOP", func(p *onix.Product) { p.Availability = "51" }, shop.FormatPrint, shop.StatusWithdrawn, false},
		{"OKAvailabilityWithdrawn", func(p *onix.Product) { p.Availability = "46" }, shop.FormatPrint, shop.StatusWithdrawn, false},
		{"OKAvailabilityRecalled", func(p *onix.Product) { p.Availability = "49" }, shop.FormatPrint, shop.StatusWithdrawn, false},
		{"OKForthcoming", func(p *onix.Product) { p.PublishingStatus = "02" }, shop.FormatPrint, shop.StatusForthcoming, false},
		{"OKAdvanceNotice", func(p *onix.Product) { p.PublishingStatus, p.NotificationType = "", "02" }, shop.FormatPrint, shop.StatusForthcoming, false},
		{"OKNotSoldAlone", func(p *onix.Product) { p.UnpricedItemType, p.Prices = "03", nil }, shop.FormatPrint, shop.StatusActive, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sellable()
			tt.change(p)
			b, err := shop.BookFromONIX(p, importDay)
			if err != nil {
				t.Fatal(err)
			}
			if b.Format != tt.format || b.Status != tt.status || b.NotSoldAlone != tt.notSoldAlone {
				t.Errorf("format, status, not sold alone = %s, %s, %v; want %s, %s, %v", b.Format, b.Status, b.NotSoldAlone, tt.format, tt.status, tt.notSoldAlone)
			}
		})
	}
}

func TestBookFromONIXPrices(t *testing.T) {
	fr := []string{"FR"}
	eur := func(typ string, cents int64) onix.Price {
		return onix.Price{Type: typ, Cents: cents, Currency: "EUR", CountriesIncluded: fr, TaxRateBP: -1}
	}
	dated := func(p onix.Price, from, until time.Time) onix.Price { p.From, p.Until = from, until; return p }
	tests := []struct {
		name     string
		prices   []onix.Price
		unpriced string
		want     []shop.Price
		vat      int
	}{
		{"OKFixedPrice", []onix.Price{eur("04", 2200)}, "", []shop.Price{{Cents: 2200}}, 550},
		{"OKFixedBeforeRRP", []onix.Price{eur("02", 2500), eur("04", 2200)}, "", []shop.Price{{Cents: 2200}}, 550},
		{"OKRRPWhenNoFixed", []onix.Price{eur("01", 2000), eur("02", 2500)}, "", []shop.Price{{Cents: 2500}}, 550},
		{"OKWorld", []onix.Price{{Type: "04", Cents: 1099, Currency: "EUR", RegionsIncluded: []string{"WORLD"}}}, "", []shop.Price{{Cents: 1099}}, 550},
		{"OKNoTerritory", []onix.Price{{Type: "04", Cents: 1099, Currency: "EUR"}}, "", []shop.Price{{Cents: 1099}}, 550},
		{"OKConsumerQualifier", []onix.Price{func() onix.Price { p := eur("04", 900); p.Qualifier = "05"; return p }()}, "", []shop.Price{{Cents: 900}}, 550},
		{"OKTaxFromFeed", []onix.Price{func() onix.Price { p := eur("04", 900); p.TaxRateBP = 210; return p }()}, "", []shop.Price{{Cents: 900}}, 210},
		{"OKDuplicateSuppliers", []onix.Price{eur("04", 1099), eur("04", 1099)}, "", []shop.Price{{Cents: 1099}}, 550},
		{
			// Checklist 16: a change announced for a date is kept with it;
			// PriceAt applies it from that day.
			"OKFutureChange",
			[]onix.Price{dated(eur("04", 890), utcDay(2026, 3, 1), time.Time{}), dated(eur("04", 850), time.Time{}, utcDay(2026, 3, 1))},
			"", []shop.Price{{Cents: 850, Until: utcDay(2026, 3, 1)}, {Cents: 890, From: utcDay(2026, 3, 1)}}, 550,
		},
		{"OKExpiredDropped", []onix.Price{dated(eur("04", 499), utcDay(2025, 1, 1), utcDay(2025, 2, 1)), eur("04", 999)}, "", []shop.Price{{Cents: 999}}, 550},
		{"OKNotForFrance", []onix.Price{{Type: "04", Cents: 1100, Currency: "EUR", CountriesIncluded: []string{"DE", "AT"}}}, "", nil, 550},
		{"OKWorldExceptFrance", []onix.Price{{Type: "04", Cents: 1100, Currency: "EUR", RegionsIncluded: []string{"WORLD"}, CountriesExcluded: fr}}, "", nil, 550},
		{"OKNotEuro", []onix.Price{{Type: "04", Cents: 1500, Currency: "CHF", CountriesIncluded: fr}}, "", nil, 550},
		{"OKExcludingTax", []onix.Price{eur("03", 1042), eur("01", 1042)}, "", nil, 550},
		{
			"OKDatedPromotion",
			[]onix.Price{eur("04", 999), func() onix.Price {
				p := dated(eur("04", 499), utcDay(2026, 1, 10), utcDay(2026, 1, 20))
				p.Qualifier = "08"
				return p
			}()},
			"", []shop.Price{{Cents: 999}, {Cents: 499, From: utcDay(2026, 1, 10), Until: utcDay(2026, 1, 20)}}, 550,
		},
		{"OKUndatedPromotionIgnored", []onix.Price{func() onix.Price { p := eur("04", 499); p.Qualifier = "08"; return p }()}, "", nil, 550},
		{"OKLibraryPrice", []onix.Price{func() onix.Price { p := eur("04", 900); p.Qualifier = "10"; return p }()}, "", nil, 550},
		{"OKToBeAnnounced", nil, "02", nil, 550},
		{"OKNoPriceAtAll", nil, "", nil, 550},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sellable()
			p.Prices, p.UnpricedItemType = tt.prices, tt.unpriced
			b, err := shop.BookFromONIX(p, importDay)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, b.Prices); diff != "" {
				t.Errorf("prices (-want +got):\n%s", diff)
			}
			if b.VATRate != tt.vat {
				t.Errorf("VAT rate = %d, want %d", b.VATRate, tt.vat)
			}
			// Checklist 24: without a French euro price the book cannot be
			// bought.
			if _, ok := b.PriceAt(importDay); ok != (len(tt.want) > 0) {
				t.Errorf("PriceAt ok = %v with prices %+v", ok, b.Prices)
			}
		})
	}
}

func TestBookFromONIXRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *onix.Product)
		reason string
	}{
		{"ErrNoTitle", func(p *onix.Product) { p.Title = "" }, "no title"},
		{"ErrTestRecord", func(p *onix.Product) { p.NotificationType = "88" }, "test record"},
		{"ErrBlockUpdate", func(p *onix.Product) { p.NotificationType, p.Blocks = "04", onix.Blocks{Supply: true} }, "block update"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := sellable()
			tt.change(p)
			if _, err := shop.BookFromONIX(p, importDay); err == nil || !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error = %v, want it to say %q", err, tt.reason)
			}
		})
	}
	t.Run("OKDeletion", func(t *testing.T) {
		p := &onix.Product{RecordReference: "fr.exemple.1", NotificationType: "05", ISBN13: "9782070368228"}
		b, err := shop.BookFromONIX(p, importDay)
		if err != nil || b.Status != shop.StatusWithdrawn || b.Title != "" || b.RecordRef != "fr.exemple.1" {
			t.Errorf("deletion = %+v, %v", b, err)
		}
	})
	t.Run("OKFullBlockUpdate", func(t *testing.T) {
		p := sellable()
		p.NotificationType = "04"
		if _, err := shop.BookFromONIX(p, importDay); err != nil {
			t.Error(err)
		}
	})
	t.Run("OKUnsafeCoverDropped", func(t *testing.T) {
		p := sellable()
		p.CoverURL = "javascript:alert(1)"
		if b, _ := shop.BookFromONIX(p, importDay); b.CoverURL != "" {
			t.Errorf("cover = %q", b.CoverURL)
		}
	})
}

// importAll reads every book of an ONIX file through ONIXSource.
func importAll(t *testing.T, path string) (books []*shop.Book, skips []*shop.SkipError) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := shop.ONIXSource(f, importDay)
	if err != nil {
		t.Fatal(err)
	}
	for {
		b, err := src.Next()
		var skip *shop.SkipError
		switch {
		case err == io.EOF:
			return books, skips
		case errors.As(err, &skip):
			skips = append(skips, skip)
		case err != nil:
			t.Fatal(err)
		default:
			books = append(books, b)
		}
	}
}

// TestONIXPhebus is checklist item 23 end to end: the e-book offer is
// sold at 10.99 EUR, its three component records are shown but not sold
// alone.
func TestONIXPhebus(t *testing.T) {
	books, skips := importAll(t, filepath.Join(testutil.SharedDir(t), "onix/3.0-reference/9782752906700.xml"))
	if len(books) != 4 || len(skips) != 0 {
		t.Fatalf("%d books, skipped %v", len(books), skips)
	}
	for _, part := range books[:3] {
		if !part.NotSoldAlone || part.Format != shop.FormatEbook || part.Sellable(importDay) == nil {
			t.Errorf("component %s: not sold alone %v, format %s, sellable %v", part.RecordRef, part.NotSoldAlone, part.Format, part.Sellable(importDay))
		}
	}
	b := books[3]
	if b.ISBN != "9782752908643" || b.Title != "Certaines n'avaient jamais vu la mer" || b.Publisher != "Phébus" ||
		!b.PublishedOn.Equal(utcDay(2012, 9, 6)) || b.Format != shop.FormatEbook || b.Status != shop.StatusActive {
		t.Errorf("offer = %q %q %q %v %s %s", b.ISBN, b.Title, b.Publisher, b.PublishedOn, b.Format, b.Status)
	}
	if got := b.Authors(); !cmp.Equal(got, []string{"Julie Otsuka"}) || b.Contributors[0].Role != "A01" {
		t.Errorf("authors = %q", got)
	}
	if !cmp.Equal(b.Prices, []shop.Price{{Cents: 1099}}) || b.VATRate != 550 {
		t.Errorf("prices = %+v, VAT %d; want 10.99 EUR at 5.5 %%", b.Prices, b.VATRate)
	}
	if err := b.Sellable(importDay); err != nil {
		t.Errorf("offer not sellable: %v", err)
	}
	var clil bool
	for _, s := range b.Subjects {
		clil = clil || s.Scheme == "clil" && s.Code == "2312"
	}
	if !clil {
		t.Errorf("subjects %+v lack CLIL 2312", b.Subjects)
	}
	if !strings.HasPrefix(b.Description, "<p>Japon, 1919.") || strings.Contains(b.Description, "&lt;") {
		t.Errorf("description = %.80q", b.Description)
	}
	if b.Slug != "certaines-n-avaient-jamais-vu-la-mer-julie-otsuka-9782752908643" {
		t.Errorf("slug = %q", b.Slug)
	}
}

// TestONIXNoFrenchPrice is checklist item 24 on the shared samples: price
// to be announced, and EDItEUR's Roseanna (EUR only as RRP excluding tax).
func TestONIXNoFrenchPrice(t *testing.T) {
	dir := filepath.Join(testutil.SharedDir(t), "onix/3.0-reference")
	for _, file := range []string{"price_to_be_announced.xml", "full_sample.xml"} {
		books, skips := importAll(t, filepath.Join(dir, file))
		if len(books) != 1 || len(skips) != 0 {
			t.Fatalf("%s: %d books, skipped %v", file, len(books), skips)
		}
		if b := books[0]; len(b.Prices) != 0 || b.Sellable(importDay) == nil {
			t.Errorf("%s: prices %+v, sellable %v; want none, not purchasable", file, b.Prices, b.Sellable(importDay))
		}
	}
}

// TestONIXFrenchFeed imports the reader's hand-written feed: the skipped
// records carry their reference and reason, the deletion is a bare
// withdrawal, and the pocket book's price change waits for its date.
func TestONIXFrenchFeed(t *testing.T) {
	books, skips := importAll(t, "../onix/testdata/french_feed.xml")
	var refs []string
	for _, b := range books {
		refs = append(refs, b.RecordRef+" "+string(b.Status))
	}
	want := []string{"fr.exemple.poche active", "fr.exemple.prix-douteux active", "fr.exemple.supprime withdrawn", "fr.exemple.a-paraitre forthcoming"}
	if !cmp.Equal(refs, want) {
		t.Errorf("books = %q, want %q", refs, want)
	}
	var skipped []string
	for _, s := range skips {
		skipped = append(skipped, s.Ref)
	}
	if want := []string{"fr.exemple.isbn-faux", "product 4 (line 150)", "fr.exemple.onix21"}; !cmp.Equal(skipped, want) {
		t.Errorf("skipped = %q, want %q", skipped, want)
	}
	poche := books[0]
	if got, _ := poche.PriceAt(utcDay(2026, 12, 31)); got != 850 {
		t.Errorf("price on 31 December 2026 = %d, want 850", got)
	}
	if got, _ := poche.PriceAt(utcDay(2027, 1, 1)); got != 890 {
		t.Errorf("price on 1 January 2027 = %d, want 890", got)
	}
	if poche.WeightGrams != 178 || poche.Pages != 192 || poche.Description != "<p>« Aujourd&#39;hui, maman est morte. »<br>Ou peut-être hier, <em>je ne sais pas</em>.</p>" {
		t.Errorf("pocket book = %d g, %d pages, %q", poche.WeightGrams, poche.Pages, poche.Description)
	}
	if douteux := books[1]; len(douteux.Prices) != 0 || douteux.Sellable(importDay) == nil {
		t.Errorf("no valid French price should leave the book unsellable: %+v", douteux.Prices)
	}
	if audio := books[3]; audio.Format != shop.FormatAudio || audio.Description != "<p>Un <strong>livre audio</strong> émouvant.</p>" {
		t.Errorf("audio book = %s %q", audio.Format, audio.Description)
	}
}

func TestONIXSourceRefusesONIX21(t *testing.T) {
	_, err := shop.ONIXSource(strings.NewReader(`<ONIXMessage release="2.1"/>`), importDay)
	if !errors.Is(err, onix.ErrVersion) {
		t.Errorf("error = %v, want ErrVersion", err)
	}
}
