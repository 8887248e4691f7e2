package shop_test

import (
	"bytes"
	"errors"
	"io"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/shop"
)

// readRows reads every row of a CSV file: the books and the row errors.
func readRows(t *testing.T, src string) ([]*shop.Book, []*shop.RowError) {
	t.Helper()
	r, err := shop.ReadCSV(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var books []*shop.Book
	var rows []*shop.RowError
	for {
		b, err := r.Next()
		var re *shop.RowError
		switch {
		case err == io.EOF:
			return books, rows
		case errors.As(err, &re):
			rows = append(rows, re)
		case err != nil:
			t.Fatal(err)
		default:
			books = append(books, b)
		}
	}
}

// frenchExcel is a catalogue as French Excel saves it: BOM, semicolons,
// CRLF, decimal commas, a description over two lines.
const frenchExcel = "\uFEFFisbn;title;subtitle;authors;publisher;published_on;pages;format;condition;condition_note;price_eur;vat_rate;stock;weight_g;subjects;description;cover_url;status\r\n" +
	"978-2-07-036822-8;L'Étranger;roman;Camus, Albert;Gallimard;1972-01-01;192;print;new;;8,50;5,5;3;178;\"clil:3435; thema:FBA; keyword:absurde\";\"Meursault, à Alger.\r\nUn été.\";https://images.exemple.fr/camus.jpg;active\r\n" +
	"2752906706;Certaines n'avaient jamais vu la mer;;OTSUKA Julie;Phébus;06/09/2012;144;papier;occasion;bon état, couverture pliée;5,00 €;5,5;1;;;;;\r\n" +
	";;;;;;;;;;;;;;;;;\r\n" +
	"9782070368229;Prix faux;;;;;;print;new;;abc;5,5;;;;;;\r\n" +
	"9782752908643;\"'=HYPERLINK(\"\"http://evil\"\")\";;\"Mbougar Sarr Mohamed; Roth Lois (B06)\";;;;ebook;;;10,99;;;;mot-clé:Dakar;<p>Un <b>roman</b></p><script>x()</script>;;à paraître\r\n"

func TestReadCSVFrenchExcel(t *testing.T) {
	books, rows := readRows(t, frenchExcel)
	if len(books) != 3 || len(rows) != 1 {
		t.Fatalf("%d books, row errors %v", len(books), rows)
	}
	want := &shop.Book{
		RecordRef: "isbn:9782070368228", ISBN: "9782070368228", Slug: "l-etranger-albert-camus-9782070368228",
		Title: "L'Étranger", Subtitle: "roman", Format: shop.FormatPrint, Condition: shop.ConditionNew,
		Contributors: []shop.Contributor{{Role: "A01", Name: "Albert Camus", SortName: "Camus, Albert"}},
		Publisher:    "Gallimard", PublishedOn: time.Date(1972, 1, 1, 0, 0, 0, 0, time.UTC), Pages: 192,
		Subjects:    []shop.Subject{{Scheme: "clil", Code: "3435"}, {Scheme: "thema", Code: "FBA"}, {Scheme: "keyword", Heading: "absurde"}},
		Description: "<p>Meursault, à Alger.</p><p>Un été.</p>", CoverURL: "https://images.exemple.fr/camus.jpg",
		Status: shop.StatusActive, Prices: []shop.Price{{Cents: 850}}, VATRate: 550, Stock: 3, TrackStock: true, WeightGrams: 178,
	}
	if diff := cmp.Diff(want, books[0]); diff != "" {
		t.Errorf("first row (-want +got):\n%s", diff)
	}

	used := books[1]
	if used.ISBN != "9782752906700" || used.Condition != shop.ConditionUsed || used.ConditionNote != "bon état, couverture pliée" ||
		!cmp.Equal(used.Prices, []shop.Price{{Cents: 500}}) || !strings.HasPrefix(used.RecordRef, "used:") ||
		!used.PublishedOn.Equal(time.Date(2012, 9, 6, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("used copy = %+v", used)
	}
	if want := []shop.Contributor{{Role: "A01", Name: "Julie Otsuka", SortName: "Otsuka, Julie"}}; !cmp.Equal(used.Contributors, want) {
		t.Errorf("capitalised surname read as %+v", used.Contributors)
	}

	if got := rows[0]; got.Line != 6 || len(got.Problems) != 2 ||
		!strings.HasPrefix(got.Problems[0], "isbn:") || !strings.HasPrefix(got.Problems[1], "price_eur:") {
		t.Errorf("row error = %+v, want line 6 with isbn and price_eur", got)
	}

	ebook := books[2]
	if ebook.Title != `=HYPERLINK("http://evil")` {
		t.Errorf("the quote guarding a formula was not taken off: %q", ebook.Title)
	}
	wantAuthors := []shop.Contributor{
		{Role: "A01", Name: "Mohamed Mbougar Sarr", SortName: "Mbougar Sarr, Mohamed"},
		{Role: "B06", Name: "Lois Roth", SortName: "Roth, Lois"},
	}
	if !cmp.Equal(ebook.Contributors, wantAuthors) || ebook.Status != shop.StatusForthcoming || ebook.Format != shop.FormatEbook ||
		ebook.Description != "<p>Un roman</p>" ||
		!cmp.Equal(ebook.Subjects, []shop.Subject{{Scheme: "keyword", Heading: "Dakar"}}) || ebook.VATRate != 550 {
		t.Errorf("e-book = %+v", ebook)
	}
}

func TestReadCSVCommaAndWindows1252(t *testing.T) {
	src := "isbn,title,price_eur,vat_rate,weight_g\n" +
		"9782070368228,\"Noces, suivi de L'Été\",7.90,5.5,120 g\n" +
		"9782752906700,\xc9t\xe9 \x96 roman,12,2.1,\n" // Windows-1252: "Été – roman"
	books, rows := readRows(t, src)
	if len(rows) != 0 || len(books) != 2 {
		t.Fatalf("%d books, row errors %v", len(books), rows)
	}
	if b := books[0]; b.Title != "Noces, suivi de L'Été" || b.Prices[0].Cents != 790 || b.WeightGrams != 120 {
		t.Errorf("first = %q %+v %d", b.Title, b.Prices, b.WeightGrams)
	}
	if b := books[1]; b.Title != "Été – roman" || b.Prices[0].Cents != 1200 || b.VATRate != 210 {
		t.Errorf("Windows-1252 row = %q %+v %d", b.Title, b.Prices, b.VATRate)
	}
}

func TestReadCSVHeaderErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"ErrEmpty", "", "empty"},
		{"ErrNoTitle", "isbn;price_eur\n9782070368228;8,50\n", "no title"},
		{"ErrNoISBN", "title;price_eur\nx;8,50\n", "no isbn"},
		{"ErrDuplicate", "isbn;title;titre\n", "twice"},
		{"ErrUTF16", "\xff\xfei\x00s\x00b\x00n\x00", "UTF-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := shop.ReadCSV(strings.NewReader(tt.src))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
	t.Run("OKFrenchNames", func(t *testing.T) {
		books, rows := readRows(t, "ISBN;Titre;Auteurs;Prix;État\n9782070368228;L'Étranger;Camus, Albert;8,50;neuf\n")
		if len(books) != 1 || len(rows) != 0 || books[0].Title != "L'Étranger" || books[0].Prices[0].Cents != 850 {
			t.Errorf("books %+v, rows %v", books, rows)
		}
	})
}

func TestReadCSVRowChecks(t *testing.T) {
	tests := []struct{ name, row, want string }{
		{"ErrNoTitle", "9782070368228;;8,50;print;new", "title:"},
		{"ErrNewWithoutISBN", ";Sans ISBN;8,50;print;new", "ISBN is required"},
		{"ErrUsedEbook", "9782070368228;Liseuse;8,50;ebook;used", "used copy must be a printed book"},
		{"ErrNegativePrice", "9782070368228;Titre;-8,50;print;new", "price_eur:"},
		{"ErrThreeDecimals", "9782070368228;Titre;8,505;print;new", "price_eur:"},
		{"ErrFormat", "9782070368228;Titre;8,50;vinyle;new", "format:"},
		{"ErrCondition", "9782070368228;Titre;8,50;print;abîmé", "condition:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			books, rows := readRows(t, "isbn;title;price_eur;format;condition\n"+tt.row+"\n")
			if len(books) != 0 || len(rows) != 1 || !strings.Contains(rows[0].Error(), tt.want) || rows[0].Line != 2 {
				t.Errorf("books %v, rows %v; want a row error at line 2 mentioning %q", books, rows, tt.want)
			}
		})
	}
	t.Run("OKBadQuoteSkipsTheRowOnly", func(t *testing.T) {
		books, rows := readRows(t, "isbn;title\n9782070368228;Un \"titre\" mal cité\n9782752906700;Suivant\n")
		if len(rows) != 1 || rows[0].Line != 2 || len(books) != 1 || books[0].Title != "Suivant" {
			t.Errorf("books %+v, rows %v", books, rows)
		}
	})
}

func seq(books ...*shop.Book) iter.Seq2[*shop.Book, error] {
	return func(yield func(*shop.Book, error) bool) {
		for _, b := range books {
			if !yield(b, nil) {
				return
			}
		}
	}
}

func TestWriteCSVRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	books, rows := readRows(t, frenchExcel)
	if len(rows) != 1 {
		t.Fatalf("row errors %v", rows)
	}
	books[2].Prices = append(books[2].Prices, shop.Price{Cents: 1299, From: at.AddDate(0, 1, 0)})
	var buf bytes.Buffer
	if err := shop.WriteCSV(&buf, at, seq(books...)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFFisbn;title;") || !strings.Contains(out, "\r\n") || !strings.Contains(out, ";8,50;5,5;3;178;") {
		t.Errorf("not French Excel's CSV:\n%s", out)
	}
	if !strings.Contains(out, `;"'=HYPERLINK(""http://evil"")";`) {
		t.Errorf("formula not defused:\n%s", out)
	}
	again, rows := readRows(t, out)
	if len(rows) != 0 {
		t.Fatalf("re-reading the export: %v", rows)
	}
	// Only the price in effect is exported: the e-book's announced price
	// is not in the file.
	books[2].Prices = books[2].Prices[:1]
	if diff := cmp.Diff(books, again, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip (-before +after):\n%s", diff)
	}
}

func TestWriteCSVDefusesFormulas(t *testing.T) {
	for _, title := range []string{"=1+1", "+33 1 23 45 67 89", "-10 %", "@SUM(A1)", "\tcaché"} {
		var buf bytes.Buffer
		b := &shop.Book{ISBN: "9782070368228", Title: title, Format: shop.FormatPrint, Condition: shop.ConditionNew, Status: shop.StatusActive, VATRate: 550}
		if err := shop.WriteCSV(&buf, time.Now(), seq(b)); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), ";'"+title) && !strings.Contains(buf.String(), `;"'`+title) {
			t.Errorf("%q written unguarded:\n%s", title, buf.String())
		}
		books, rows := readRows(t, buf.String())
		if len(rows) != 0 || len(books) != 1 || books[0].Title != strings.TrimSpace(title) {
			t.Errorf("%q read back as %+v %v", title, books, rows)
		}
	}
}

func TestWriteCSVStopsOnError(t *testing.T) {
	boom := errors.New("cursor closed")
	books := func(yield func(*shop.Book, error) bool) { yield(nil, boom) }
	if err := shop.WriteCSV(io.Discard, time.Now(), books); !errors.Is(err, boom) {
		t.Errorf("error = %v, want %v", err, boom)
	}
}

func TestCSVSource(t *testing.T) {
	src, err := shop.CSVSource(strings.NewReader(frenchExcel), importDay)
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for {
		b, err := src.Next()
		if err == io.EOF {
			break
		}
		var skip *shop.SkipError
		if errors.As(err, &skip) {
			refs = append(refs, skip.Ref)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !b.CreatedAt.Equal(importDay) {
			t.Errorf("CreatedAt = %v", b.CreatedAt)
		}
		refs = append(refs, b.RecordRef[:5])
	}
	if want := []string{"isbn:", "used:", "line 6", "isbn:"}; !cmp.Equal(refs, want) {
		t.Errorf("records = %q, want %q", refs, want)
	}
}

// FuzzReadCSV reads arbitrary files: no panic, no endless loop, and every
// book returned passes the back office's checks.
func FuzzReadCSV(f *testing.F) {
	f.Add(frenchExcel)
	f.Add("isbn,title\n9782070368228,\"a\"\"b\"\n")
	f.Add("isbn;title;price_eur\n\xe9;\xff;1,2,3\n")
	f.Fuzz(func(t *testing.T, src string) {
		r, err := shop.ReadCSV(strings.NewReader(src))
		if err != nil {
			return
		}
		for range 100_000 {
			b, err := r.Next()
			var re *shop.RowError
			switch {
			case err == io.EOF:
				return
			case errors.As(err, &re):
				continue
			case err != nil:
				return
			}
			if err := shop.CheckBook(b); err != nil {
				t.Fatalf("book %+v fails CheckBook: %v", b, err)
			}
		}
		t.Fatal("Next did not end")
	})
}
