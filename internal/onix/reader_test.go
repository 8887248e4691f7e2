package onix_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/onix"
)

// result is what reading a whole message gave.
type result struct {
	products []*onix.Product
	skipped  []*onix.ProductError
	fatal    error
	reader   *onix.Reader
}

// read reads every product of the message in src, going on after product
// errors as an importer does.
func read(tb testing.TB, src io.Reader) result {
	tb.Helper()
	var res result
	r, err := onix.NewReader(src)
	if err != nil {
		res.fatal = err
		return res
	}
	res.reader = r
	for {
		p, err := r.Next()
		if err == io.EOF {
			return res
		}
		var pe *onix.ProductError
		switch {
		case errors.As(err, &pe):
			res.skipped = append(res.skipped, pe)
		case err != nil:
			res.fatal = err
			if _, again := r.Next(); again != err {
				tb.Errorf("Next after a fatal error = %v, want the same error", again)
			}
			return res
		default:
			res.products = append(res.products, p)
		}
	}
}

func readFile(tb testing.TB, path string) result {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	return read(tb, f)
}

func refs(ps []*onix.Product) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.RecordReference)
	}
	return out
}

func codes(es []*onix.ProductError) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Code)
	}
	return out
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestFrenchFeed(t *testing.T) {
	res := readFile(t, "testdata/french_feed.xml")
	if res.fatal != nil {
		t.Fatal(res.fatal)
	}
	if got, want := refs(res.products), []string{"fr.exemple.poche", "fr.exemple.prix-douteux", "fr.exemple.supprime", "fr.exemple.a-paraitre"}; !cmp.Equal(got, want) {
		t.Errorf("products = %q, want %q", got, want)
	}
	if got, want := codes(res.skipped), []string{onix.CodeISBN, onix.CodeNoRecordRef, onix.CodeVersion}; !cmp.Equal(got, want) {
		t.Errorf("skipped = %q, want %q", got, want)
	}
	if got := res.skipped[0]; got.RecordRef != "fr.exemple.isbn-faux" || got.Index != 2 || got.Line == 0 || !strings.Contains(got.Error(), "9782070368229") {
		t.Errorf("ISBN error = %+v (%v)", got, got)
	}
	if h := res.reader.Header; h.SenderName != "Diffusion Exemple" || len(res.reader.Warnings) != 0 {
		t.Errorf("header = %+v, warnings %q", h, res.reader.Warnings)
	}

	t.Run("OKPocketBook", func(t *testing.T) {
		p := res.products[0]
		want := &onix.Product{
			Index: 1, Line: p.Line,
			RecordReference: "fr.exemple.poche", NotificationType: "03",
			Blocks: onix.Blocks{Descriptive: true, Collateral: true, Publishing: true, Supply: true},
			ISBN13: "9782070368228", GTIN: "9782070368228",
			ProductComposition: "00", ProductForm: "BC",
			Title: "L'Étranger", Subtitle: "roman", Series: "Folio", SeriesNumber: "2",
			Contributors: []onix.Contributor{
				{Sequence: 1, Role: "A01", Name: "Albert Camus", SortName: "Camus"},
				{Sequence: 2, Role: "A15", Name: "Société des amis d'Albert Camus", SortName: "Société des amis d'Albert Camus", Corporate: true},
			},
			Language: "fre", Pages: 192,
			Subjects: []onix.Subject{
				{SchemeID: "29", Scheme: "clil", Code: "3435", Heading: "Littérature générale", Main: true},
				{SchemeID: "93", Scheme: "thema", Code: "FBA"},
				{SchemeID: "20", Scheme: "keyword", Heading: "absurde"},
				{SchemeID: "20", Scheme: "keyword", Heading: "Alger"},
				{SchemeID: "20", Scheme: "keyword", Heading: "procès"},
				{SchemeID: "28", Code: "E1"},
			},
			Description:      `<p>« Aujourd&#39;hui, maman est morte. »<br>Ou peut-être hier, <em class="x">je ne sais pas</em>.</p><script>alert(1)</script>`,
			CoverURL:         "https://images.exemple.fr/couvertures/9782070368228.jpg",
			Imprint:          "Folio",
			Publisher:        "Gallimard",
			PublishingStatus: "04",
			PublicationDate:  date(1972, 1, 1), DatePrecision: onix.DateDay,
			Availability: "21",
			Prices: []onix.Price{
				{Type: "04", Cents: 850, Currency: "EUR", CountriesIncluded: []string{"FR", "BE"}, Until: date(2027, 1, 1), TaxRateBP: 550, TaxRateCode: "R", Availability: "21"},
				{Type: "04", Cents: 890, Currency: "EUR", CountriesIncluded: []string{"FR", "BE"}, From: date(2027, 1, 1), TaxRateBP: 550, Availability: "21"},
				{Type: "02", Cents: 1200, Currency: "CHF", CountriesIncluded: []string{"CH"}, TaxRateBP: -1, Availability: "21"},
			},
			WeightGrams: 178,
			Notes:       []string{"contributor 3 has no name"},
		}
		if diff := cmp.Diff(want, p); diff != "" {
			t.Errorf("product (-want +got):\n%s", diff)
		}
	})

	t.Run("OKDubiousPrices", func(t *testing.T) {
		p := res.products[1]
		if p.ISBN13 != "9782752906700" || p.Title != "Des prix douteux" {
			t.Errorf("ISBN, title = %q, %q", p.ISBN13, p.Title)
		}
		if want := "<p>Première ligne &amp; suite<br>deuxième ligne &lt;pas une balise&gt;</p><p>Second paragraphe.</p>"; p.Description != want {
			t.Errorf("plain-text description = %q, want %q", p.Description, want)
		}
		var got []string
		for _, pr := range p.Prices {
			got = append(got, pr.Currency+" "+strings.Join(pr.CountriesIncluded, ","))
		}
		if want := []string{"EUR DE,AT", "EUR "}; !cmp.Equal(got, want) {
			t.Errorf("kept prices = %q, want %q", got, want)
		}
		if p.Prices[1].Applies("FR") || !p.Prices[1].Applies("BE") {
			t.Error("WORLD excluding FR must not apply to FR but apply to BE")
		}
		wantNotes := []string{"2012-09", "negative", "decimal comma", `"USDD"`, "20261345"}
		if len(p.Notes) != len(wantNotes) {
			t.Fatalf("notes = %q, want %d", p.Notes, len(wantNotes))
		}
		for i, w := range wantNotes {
			if !strings.Contains(p.Notes[i], w) {
				t.Errorf("note %d = %q, want it to mention %s", i, p.Notes[i], w)
			}
		}
		if !p.PublicationDate.IsZero() {
			t.Errorf("bad publication date read as %v", p.PublicationDate)
		}
	})

	t.Run("OKDeleted", func(t *testing.T) {
		p := res.products[2]
		if p.NotificationType != "05" || p.ISBN13 != "9780007232833" || p.Blocks != (onix.Blocks{}) {
			t.Errorf("deleted record = %+v", p)
		}
	})

	t.Run("OKForthcoming", func(t *testing.T) {
		p := res.products[3]
		if p.ISBN13 != "9791090636071" || p.PublishingStatus != "02" || p.UnpricedItemType != "02" || len(p.Prices) != 0 {
			t.Errorf("forthcoming record = %+v", p)
		}
		if !p.PublicationDate.Equal(date(2027, 3, 1)) || p.DatePrecision != onix.DateMonth {
			t.Errorf("date = %v (%v), want March 2027", p.PublicationDate, p.DatePrecision)
		}
		if want := "<p>Un <strong>livre audio</strong> &eacute;mouvant.</p>"; p.Description != want {
			t.Errorf("escaped HTML description = %q, want %q", p.Description, want)
		}
	})
}

func TestNewReaderRefuses(t *testing.T) {
	tests := []struct {
		name string
		file string
		want error
	}{
		{"ErrDoctypeBillionLaughs", "billion_laughs.xml", onix.ErrDoctype},
		{"ErrDoctypeExternalEntity", "external_entity.xml", onix.ErrDoctype},
		{"ErrVersionInferredFromRecords", "onix21_noheader.xml", onix.ErrVersion},
		{"ErrVersionShortHeader", "onix21_short.xml", onix.ErrVersion},
		{"ErrNamespace", "wrong_namespace.xml", onix.ErrNamespace},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res := readFile(t, filepath.Join("testdata", tt.file))
			if !errors.Is(res.fatal, tt.want) {
				t.Fatalf("error = %v, want %v", res.fatal, tt.want)
			}
			var fe *onix.FatalError
			if !errors.As(res.fatal, &fe) || fe.Line == 0 {
				t.Errorf("error %v has no position", res.fatal)
			}
			if len(res.products) != 0 {
				t.Errorf("read %d products from a refused file", len(res.products))
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %v", d)
			}
		})
	}
}

func TestFatalErrorsKeepEarlierProducts(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		want     []string
		line     int
		contains string
	}{
		{"ErrTruncated", "truncated.xml", []string{"fr.exemple.1", "fr.exemple.2"}, 22, "unexpected EOF"},
		{"ErrMismatchedTag", "mismatched.xml", []string{"fr.exemple.1"}, 14, "closed by </TitleDetai>"},
		{"ErrUndeclaredEntity", "undeclared_entity.xml", []string{"ok-1"}, 15, "xxe"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readFile(t, filepath.Join("testdata", tt.file))
			if got := refs(res.products); !cmp.Equal(got, tt.want) {
				t.Errorf("products before the error = %q, want %q", got, tt.want)
			}
			var fe *onix.FatalError
			if !errors.As(res.fatal, &fe) {
				t.Fatalf("error = %v, want a *FatalError", res.fatal)
			}
			if fe.Line != tt.line || !strings.Contains(fe.Error(), tt.contains) || !strings.Contains(fe.Error(), "line") {
				t.Errorf("error = %q (line %d), want line %d mentioning %q", fe, fe.Line, tt.line, tt.contains)
			}
		})
	}
	t.Run("OKHTMLEntitiesTolerated", func(t *testing.T) {
		res := readFile(t, "testdata/undeclared_entity.xml")
		if got := res.products[0].Title; got != "Légende\u00a0tolérée" {
			t.Errorf("title = %q", got)
		}
	})
}

func TestPrefixedNamespace(t *testing.T) {
	res := readFile(t, "testdata/prefixed.xml")
	if res.fatal != nil || len(res.products) != 1 {
		t.Fatalf("got %d products, error %v", len(res.products), res.fatal)
	}
	if p := res.products[0]; p.Title != "L'Étranger" || p.ISBN13 != "9782070368228" {
		t.Errorf("product = %q %q", p.Title, p.ISBN13)
	}
}

func TestEncodings(t *testing.T) {
	latin1 := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ONIXMessage release=\"3.0\"><Header><Sender><SenderName>Ph\xe9bus</SenderName></Sender></Header>" +
		"<Product><RecordReference>r</RecordReference><DescriptiveDetail><TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel>" +
		"<TitleText>L'\xc9t\xe9</TitleText></TitleElement></TitleDetail></DescriptiveDetail></Product></ONIXMessage>")
	res := read(t, bytes.NewReader(latin1))
	if res.fatal != nil || len(res.products) != 1 {
		t.Fatalf("got %d products, error %v", len(res.products), res.fatal)
	}
	if got := res.products[0].Title; got != "L'Été" {
		t.Errorf("title = %q, want L'Été", got)
	}
	res = read(t, strings.NewReader(`<?xml version="1.0" encoding="EBCDIC-XYZ"?><ONIXMessage release="3.0"/>`))
	if res.fatal == nil || !strings.Contains(res.fatal.Error(), "EBCDIC-XYZ") {
		t.Errorf("unknown encoding: error = %v", res.fatal)
	}
}

func TestEmptyAndOddMessages(t *testing.T) {
	tests := []struct {
		name, src string
		products  int
		fatal     bool
	}{
		{"OKNoProducts", `<ONIXMessage release="3.0"><Header><Sender><SenderName>x</SenderName></Sender></Header></ONIXMessage>`, 0, false},
		{"OKSelfClosingRoot", `<ONIXMessage release="3.0"/>`, 0, false},
		{"OKRelease31", `<ONIXMessage release="3.1"><Header/><Product><RecordReference>a</RecordReference></Product></ONIXMessage>`, 1, false},
		{"OKUnknownElementsSkipped", `<ONIXMessage release="3.0"><Header/><Other><Product/></Other><Product><RecordReference>a</RecordReference><Foo><Bar/></Foo></Product></ONIXMessage>`, 1, false},
		{"ErrEmpty", ``, 0, true},
		{"ErrNotXML", `%PDF-1.4`, 0, true},
		{"ErrRelease4", `<ONIXMessage release="4.0"/>`, 0, true},
		{"ErrShortNamespaceWithReferenceRoot", `<ONIXMessage release="3.0" xmlns="http://ns.editeur.org/onix/3.0/short"/>`, 0, true},
		{"ErrDirectiveInBody", `<ONIXMessage release="3.0"><Header/><!DOCTYPE x><Product/></ONIXMessage>`, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, strings.NewReader(tt.src))
			if len(res.products) != tt.products || (res.fatal != nil) != tt.fatal {
				t.Errorf("got %d products, error %v; want %d, fatal %v", len(res.products), res.fatal, tt.products, tt.fatal)
			}
		})
	}
}

// TestHugeDescription sends a record whose description is 50 MB: it is
// skipped with a reason (not truncated), and the next record is read.
func TestHugeDescription(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB of XML")
	}
	head := `<ONIXMessage release="3.0"><Header><Sender><SenderName>x</SenderName></Sender></Header>` +
		`<Product><RecordReference>enorme</RecordReference><CollateralDetail><TextContent><TextType>03</TextType><Text>`
	tail := `</Text></TextContent></CollateralDetail></Product>` +
		`<Product><RecordReference>suivant</RecordReference></Product></ONIXMessage>`
	body := io.LimitReader(repeat("Un texte sans fin. "), 50<<20)
	res := read(t, io.MultiReader(strings.NewReader(head), body, strings.NewReader(tail)))
	if res.fatal != nil {
		t.Fatal(res.fatal)
	}
	if got := codes(res.skipped); !cmp.Equal(got, []string{onix.CodeTooLong}) || res.skipped[0].RecordRef != "enorme" {
		t.Errorf("skipped = %v", res.skipped)
	}
	if got := refs(res.products); !cmp.Equal(got, []string{"suivant"}) {
		t.Errorf("products = %q", got)
	}
}

func TestLongTitle(t *testing.T) {
	src := `<ONIXMessage release="3.0"><Header/><Product><RecordReference>long</RecordReference><DescriptiveDetail><TitleDetail><TitleType>01</TitleType><TitleElement><TitleElementLevel>01</TitleElementLevel><TitleText>` +
		strings.Repeat("é", 600) + `</TitleText></TitleElement></TitleDetail></DescriptiveDetail></Product></ONIXMessage>`
	res := read(t, strings.NewReader(src))
	if got := codes(res.skipped); !cmp.Equal(got, []string{onix.CodeTooLong}) || !strings.Contains(res.skipped[0].Reason, "title") {
		t.Errorf("skipped = %v", res.skipped)
	}
}

type repeater struct {
	s   string
	off int
}

func repeat(s string) io.Reader { return &repeater{s: s} }

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.s[r.off:])
		n += c
		r.off = (r.off + c) % len(r.s)
	}
	return n, nil
}
