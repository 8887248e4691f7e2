package onix_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/onix"
	"github.com/kiosque/kiosque/internal/testutil"
)

func onixDir(t *testing.T) string {
	t.Helper()
	return filepath.Join(testutil.SharedDir(t), "onix")
}

// TestSharedFiles reads every file of the team's ONIX samples and checks
// what each gives; a sample added without an entry here fails the test.
func TestSharedFiles(t *testing.T) {
	dir := onixDir(t)
	tests := map[string]struct {
		err      error    // NewReader's or the stream's fatal error
		products []string // RecordReferences read
		skipped  []string // ProductError codes
		warnings int
	}{
		"2.1/Google_Sample_ONIX_2.1.xml": {err: onix.ErrVersion},
		"2.1/onix2.xml":                  {err: onix.ErrVersion},
		"2.1/onix2_product.xml":          {err: onix.ErrRoot}, // a bare 2.1 Product
		"2.1/test_wiley_data.xml":        {err: onix.ErrVersion},
		"2.1/valid_onix2_ref.xml":        {err: onix.ErrVersion},
		// Fragments are bare records: read on their own they are refused;
		// TestFragments reads them inside a message.
		"3.0-product-fragments/shared_promotional.xml":                {err: onix.ErrRoot},
		"3.0-product-fragments/test_collection.xml":                   {err: onix.ErrRoot},
		"3.0-product-fragments/test_prices1.xml":                      {err: onix.ErrRoot},
		"3.0-product-fragments/test_prices_with_multiple_periods.xml": {err: onix.ErrRoot},
		// The check digit of 9782707154298 is wrong (…4293 would be right).
		"3.0-reference/9782707154298.xml": {skipped: []string{onix.CodeISBN}},
		"3.0-reference/9782752906700.xml": {products: []string{"immateriel.fr-RP64120", "immateriel.fr-RP64127", "immateriel.fr-RP64128", "immateriel.fr-O192530"}},
		// Anonymised samples whose ISBN became 9780000000000 (invalid).
		"3.0-reference/audio1.xml":                  {skipped: []string{onix.CodeISBN}},
		"3.0-reference/embargo-date.xml":            {skipped: []string{onix.CodeISBN}},
		"3.0-reference/streaming.xml":               {skipped: []string{onix.CodeISBN}},
		"3.0-reference/unqualified-prices.xml":      {skipped: []string{onix.CodeISBN}},
		"3.0-reference/bad_content_date_format.xml": {products: []string{"EDEN31175-pdf"}},
		"3.0-reference/fixed_layout.xml":            {products: []string{"immateriel.fr-RP64127"}},
		"3.0-reference/full_sample.xml":             {products: []string{"com.globalbookinfo.onix.01734529"}},
		"3.0-reference/invalid_textformat.xml":      {products: []string{"immateriel.fr-O192530"}, warnings: 1},
		"3.0-reference/price_to_be_announced.xml":   {products: []string{"EDEN31175-pdf"}},
		"3.0-reference/valid_google_onix_3.xml":     {products: []string{"myid.9789999999991"}},
		"3.0-reference/valid_onix3_ref.xml":         {products: []string{"org.john-doe.some-id"}},
		"3.0-reference/valid_onix3_ref_ns.xml":      {products: []string{"org.john-doe.some-id"}},
		"3.0-short/short.xml":                       {products: []string{"com.globalbookinfo.onix.01734529"}},
		"3.0-short/valid_onix3_short.xml":           {products: []string{"org.john-doe.some-id"}},
		// Schema-invalid samples: the reader is not a validator; it warns
		// about the header and notes the bad price, or refuses the root.
		"schema-invalid/invalid_google_onix_3.xml": {products: []string{"myid.9789999999991"}, warnings: 1},
		"schema-invalid/invalid_onix3_ref.xml":     {products: []string{"org.john-doe.some-id"}, warnings: 1},
		"schema-invalid/invalid_onix_root.xml":     {err: onix.ErrRoot},
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.xml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in %s: %v", dir, err)
	}
	for _, f := range files {
		name, _ := filepath.Rel(dir, f)
		name = filepath.ToSlash(name)
		t.Run(name, func(t *testing.T) {
			want, ok := tests[name]
			if !ok {
				t.Fatalf("no expectation for %s: add one", name)
			}
			res := readFile(t, f)
			if !errors.Is(res.fatal, want.err) || (res.fatal == nil) != (want.err == nil) {
				t.Fatalf("error = %v, want %v", res.fatal, want.err)
			}
			if got := refs(res.products); !cmp.Equal(got, want.products) {
				t.Errorf("products = %q, want %q", got, want.products)
			}
			if got := codes(res.skipped); !cmp.Equal(got, want.skipped) {
				t.Errorf("skipped = %q, want %q", got, want.skipped)
			}
			if res.reader != nil && len(res.reader.Warnings) != want.warnings {
				t.Errorf("warnings = %q, want %d", res.reader.Warnings, want.warnings)
			}
		})
	}
}

// TestVersionErrorSaysWhy checks that refusing ONIX 2.1 says only 3.0 is
// read, and why this file was taken for 2.1.
func TestVersionErrorSaysWhy(t *testing.T) {
	dir := onixDir(t)
	for file, why := range map[string]string{
		"2.1/Google_Sample_ONIX_2.1.xml": "namespace",
		"2.1/onix2.xml":                  "header",
		"2.1/test_wiley_data.xml":        "DTD",
		"2.1/valid_onix2_ref.xml":        `release "2.1"`,
	} {
		res := readFile(t, filepath.Join(dir, file))
		if msg := res.fatal.Error(); !strings.Contains(msg, "only ONIX for Books 3.0") || !strings.Contains(msg, why) {
			t.Errorf("%s: error %q should say only 3.0 is read and mention %s", file, msg, why)
		}
	}
}

// TestRefnamesAndShortTags is checklist item 22: EDItEUR's Roseanna sample
// in reference names and in short tags gives the same product. The two
// files are not the same text: the short one wraps its lines, classifies
// with BIC (12–15) instead of Thema (93–96), spells "recognized" and lists
// fewer keywords; those fields are compared after setting them aside.
func TestRefnamesAndShortTags(t *testing.T) {
	dir := onixDir(t)
	ref := readFile(t, filepath.Join(dir, "3.0-reference/full_sample.xml"))
	short := readFile(t, filepath.Join(dir, "3.0-short/short.xml"))
	if len(ref.products) != 1 || len(short.products) != 1 {
		t.Fatalf("products: %d and %d, errors %v, %v", len(ref.products), len(short.products), ref.fatal, short.fatal)
	}
	r, s := ref.products[0], short.products[0]
	if !short.reader.ShortTags || ref.reader.ShortTags {
		t.Error("ShortTags misdetected")
	}

	if r.ISBN13 != "9780007232833" || r.Title != "Roseanna" || r.Pages != 245 ||
		r.CoverURL != "http://www.harpercollins.co.uk/covers/9780007232833.jpg" {
		t.Errorf("reference sample = %q %q %d %q", r.ISBN13, r.Title, r.Pages, r.CoverURL)
	}
	var authors []string
	for _, c := range r.Contributors {
		if c.Role == "A01" {
			authors = append(authors, c.Name)
		}
	}
	if want := []string{"Maj Sjöwall", "Per Wahlöö"}; !cmp.Equal(authors, want) {
		t.Errorf("authors = %q, want %q", authors, want)
	}

	differs := cmpopts.IgnoreFields(onix.Product{}, "Line", "Subjects", "Description")
	if diff := cmp.Diff(r, s, differs); diff != "" {
		t.Errorf("reference names vs short tags (-ref +short):\n%s", diff)
	}
	bisac := func(p *onix.Product) []onix.Subject {
		var out []onix.Subject
		for _, sub := range p.Subjects {
			if sub.Scheme == "bisac" {
				out = append(out, sub)
			}
		}
		return out
	}
	if diff := cmp.Diff(bisac(r), bisac(s)); diff != "" {
		t.Errorf("BISAC subjects (-ref +short):\n%s", diff)
	}
	// The descriptions differ in wording and wrapping: compare their
	// shape (paragraphs and emphasis, XHTML kept as markup).
	for _, tag := range []string{"<p>", "</p>", "<em>", "<strong>"} {
		if strings.Count(r.Description, tag) != strings.Count(s.Description, tag) {
			t.Errorf("%s: %d in the reference description, %d in the short one", tag, strings.Count(r.Description, tag), strings.Count(s.Description, tag))
		}
	}
	if !strings.HasPrefix(r.Description, "<p>Widely recognised") || !strings.HasPrefix(s.Description, "<p>Widely recognized") {
		t.Errorf("descriptions = %.40q…, %.40q…", r.Description, s.Description)
	}
}

// TestPhebus is checklist item 23: immatériel·fr's multi-format e-book
// offer.
func TestPhebus(t *testing.T) {
	res := readFile(t, filepath.Join(onixDir(t), "3.0-reference/9782752906700.xml"))
	if len(res.products) != 4 {
		t.Fatalf("%d products, error %v", len(res.products), res.fatal)
	}
	for _, part := range res.products[:3] {
		if part.UnpricedItemType != "03" || part.Availability != "45" || len(part.Prices) != 0 || part.ISBN13 != "" {
			t.Errorf("component %s: unpriced %q, availability %q, %d prices, ISBN %q; want a component not sold alone",
				part.RecordReference, part.UnpricedItemType, part.Availability, len(part.Prices), part.ISBN13)
		}
	}
	p := res.products[3]
	if p.ISBN13 != "9782752908643" || p.Title != "Certaines n'avaient jamais vu la mer" || p.Publisher != "Phébus" ||
		!p.PublicationDate.Equal(date(2012, 9, 6)) || p.ProductForm != "EA" || p.Language != "fre" {
		t.Errorf("offer = %q %q %q %v %q %q", p.ISBN13, p.Title, p.Publisher, p.PublicationDate, p.ProductForm, p.Language)
	}
	if want := []onix.Contributor{{Sequence: 1, Role: "A01", Name: "Julie Otsuka", SortName: "Otsuka, Julie"}}; !cmp.Equal(p.Contributors, want) {
		t.Errorf("contributors = %+v", p.Contributors)
	}
	var clil []string
	for _, s := range p.Subjects {
		if s.SchemeID == "29" {
			clil = append(clil, s.Scheme+":"+s.Code)
		}
	}
	if !cmp.Equal(clil, []string{"clil:2312"}) {
		t.Errorf("CLIL = %q", clil)
	}
	var eur []onix.Price
	for _, pr := range p.Prices {
		if pr.Currency == "EUR" {
			eur = append(eur, pr)
		}
		if pr.Currency == "BRL" {
			t.Errorf("the BRL price 30,80 (decimal comma) was kept: %+v", pr)
		}
	}
	// One ProductSupply per retailer (immatériel·fr, Kobo, Apple…), each
	// with the same publisher's price.
	if len(eur) == 0 {
		t.Error("no EUR price")
	}
	for _, pr := range eur {
		if pr.Type != "04" || pr.Cents != 1099 || !pr.Applies("FR") {
			t.Errorf("EUR price = %+v, want 10.99 type 04 for FR", pr)
		}
	}
	if !strings.Contains(strings.Join(p.Notes, "\n"), `"30,80" BRL`) {
		t.Errorf("notes = %q, want the BRL decimal comma noted", p.Notes)
	}
	if !strings.HasPrefix(p.Description, "<p>Japon, 1919.") || !strings.Contains(p.Description, "<strong>Prix Femina étranger 2012</strong>") {
		t.Errorf("description = %q", p.Description)
	}
}

// wrap makes a message of a bare record (or of a Collection, put in a
// record).
func wrap(t *testing.T, path string) io.Reader {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The fragments' GTIN, 978123456789, has 12 digits: give them a real
	// ISBN so that the rest of the record is read.
	body := strings.ReplaceAll(string(b), ">978123456789<", ">9782752906700<")
	if strings.HasPrefix(strings.TrimSpace(body), "<Collection>") {
		body = "<Product><RecordReference>collection</RecordReference><DescriptiveDetail>" + body + "</DescriptiveDetail></Product>"
	}
	return strings.NewReader(`<ONIXMessage release="3.0"><Header><Sender><SenderName>test</SenderName></Sender></Header>` + body + `</ONIXMessage>`)
}

func TestFragments(t *testing.T) {
	dir := filepath.Join(onixDir(t), "3.0-product-fragments")
	read1 := func(t *testing.T, file string) *onix.Product {
		t.Helper()
		res := read(t, wrap(t, filepath.Join(dir, file)))
		if res.fatal != nil || len(res.products) != 1 {
			t.Fatalf("%d products, skipped %v, error %v", len(res.products), res.skipped, res.fatal)
		}
		return res.products[0]
	}
	t.Run("OKPrices1", func(t *testing.T) {
		// 49 prices for many EU countries: for France a promotion of 4.99
		// from 27 March 2013 13:44 +01:00 until 27 April 00:00 +02:00,
		// then 14.99.
		p := read1(t, "test_prices1.xml")
		var fr []onix.Price
		for _, pr := range p.Prices {
			if pr.Currency == "EUR" && pr.Applies("FR") {
				fr = append(fr, pr)
			}
		}
		if len(fr) != 2 {
			t.Fatalf("FR prices = %+v", fr)
		}
		if fr[0].Cents != 499 || fr[0].From.UTC().Format("2006-01-02T15:04") != "2013-03-27T12:44" || fr[0].Until.UTC().Format("2006-01-02T15:04") != "2013-04-26T22:00" {
			t.Errorf("promotion = %d from %v until %v", fr[0].Cents, fr[0].From, fr[0].Until)
		}
		if fr[1].Cents != 1499 || !fr[1].From.Equal(fr[0].Until) || !fr[1].Until.IsZero() {
			t.Errorf("regular price = %d from %v until %v", fr[1].Cents, fr[1].From, fr[1].Until)
		}
	})
	t.Run("OKMultiplePeriods", func(t *testing.T) {
		p := read1(t, "test_prices_with_multiple_periods.xml")
		var got []string
		for _, pr := range p.Prices {
			got = append(got, pr.Qualifier+" "+pr.From.Format("0102")+"-"+pr.Until.Format("0102"))
		}
		// A date-only until date is the last day: the price stops the
		// midnight after.
		if want := []string{"00 0101-0101", "08 0708-0709", "08 0801-0816"}; !cmp.Equal(got, want) {
			t.Errorf("periods = %q, want %q", got, want)
		}
	})
	t.Run("OKSharedPromotional", func(t *testing.T) {
		p := read1(t, "shared_promotional.xml")
		if p.RecordReference != "xxx" || p.ProductForm != "EA" {
			t.Errorf("record = %q %q", p.RecordReference, p.ProductForm)
		}
	})
	t.Run("OKCollection", func(t *testing.T) {
		p := read1(t, "test_collection.xml")
		if p.Series == "" {
			t.Errorf("no series read from the collection fragment: %+v", p)
		}
	})
}
