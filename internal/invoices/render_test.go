package invoices

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sellerMentions are what every document of the association shows.
var sellerMentions = []string{
	"Le Veilleur de la Croix-Rousse",
	"Association loi 1901 – RNA W691234567",
	"14 rue d'Austerlitz 69004 Lyon",
	"SIREN 812 345 676",
	"librairie@veilleur.example",
	"https://veilleur.example",
}

// buyerMentions are the consumer buyer's name and address.
var buyerMentions = []string{
	"Anne-Sophie Lefèvre-Nguyen 12 rue des Œillets Bâtiment B 75011 Paris",
}

// invoiceMentions are shown on every French invoice of the fixtures.
var invoiceMentions = []string{
	"Facture",
	"N° F2026-000042",
	"Date d’émission : 3 novembre 2026",
	"Commande : ord_7Hq2xK du 2 novembre 2026",
	"Paiement : carte bancaire, payée le 3 novembre 2026",
	"Page 1/1",
}

// b2bMentions are the code de commerce's payment terms.
var b2bMentions = []string{
	"Conditions de règlement : pas d’escompte pour paiement anticipé.",
	"pénalités sont exigibles au taux de trois fois le taux d’intérêt légal",
	"indemnité forfaitaire pour frais de recouvrement de 40 € (art. L441-10 et D441-5 du code de commerce)",
}

type renderCase struct {
	name string
	doc  func(t *testing.T) *Document
	// want is looked for in the text in reading order, rows line by line
	// in the page's layout; both have their spaces collapsed.
	want, rows, notWant []string
}

func renderCases() []renderCase {
	var cases []renderCase
	fr := func(c renderCase, extra ...[]string) renderCase {
		for _, e := range append(extra, sellerMentions) {
			c.want = append(c.want, e...)
		}
		return c
	}
	cases = append(cases,
		fr(renderCase{
			name: "liable",
			doc:  func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATLiable, 300, otsuka, roseanna)) },
			want: []string{
				"N° de TVA intracommunautaire : FR19812345676",
				"Julie Otsuka · ISBN 9782752906700 · livre imprimé",
				"Maj Sjöwall, Per Wahlöö · ISBN 9780007232833 · livre imprimé",
				"Transporteur : Colissimo",
			},
			rows: []string{
				"Qté Désignation PU HT TVA PU TTC Montant TTC",
				"1 Certaines n'avaient jamais vu la mer 20,85 € 5,5 % 22,00 € 22,00 €",
				"2 Roseanna 8,44 € 5,5 % 8,90 € 17,80 €",
				"1 Frais de livraison – Colissimo 2,84 € 5,5 % 3,00 € 3,00 €",
				"TVA 5,5 % 40,57 € 2,23 € 42,80 €",
				"Total HT 40,57 €",
				"Total TVA 2,23 €",
				"Total TTC 42,80 €",
			},
			notWant: []string{"TVA non applicable", "Conditions de règlement", "occasion", "prorata", "Page 2", "Remise", "remise"},
		}, invoiceMentions, buyerMentions),
		fr(renderCase{
			// Checklist 17: 22,00 € at 5.5 % is 20,85 € + 1,15 €; collected in
			// a bookshop, with the lawful 5 % rebate shown.
			name: "pickup with rebate",
			doc: func(t *testing.T) *Document {
				l := otsuka
				l.UnitCents = 2090
				o := testOrder(shop.VATLiable, 0, l)
				o.Delivery, o.CarrierName = shop.DeliveryPickup, "Librairie du Tramway"
				return invoice(t, o)
			},
			want: []string{"prix public 22,00 €, remise 1,10 €", "75011 Paris Anne-Sophie Lefèvre-Nguyen Librairie du Tramway"},
			rows: []string{
				"FACTURÉ À RETRAIT",
				"1 Certaines n'avaient jamais vu la mer 19,81 € 5,5 % 20,90 € 20,90 €",
				"1 Retrait – Librairie du Tramway 0,00 € 5,5 % 0,00 € 0,00 €",
				"TVA 5,5 % 19,81 € 1,09 € 20,90 €",
			},
			notWant: []string{"LIVRÉ À", "Frais de livraison"},
		}, invoiceMentions),
		fr(renderCase{
			name: "checklist 17",
			doc: func(t *testing.T) *Document {
				o := testOrder(shop.VATLiable, 0, otsuka)
				o.Delivery = shop.DeliveryDigital
				return invoice(t, o)
			},
			rows:    []string{"TVA 5,5 % 20,85 € 1,15 € 22,00 €", "Total HT 20,85 €", "Total TVA 1,15 €", "Total TTC 22,00 €"},
			notWant: []string{"Frais de livraison", "Retrait"},
		}, invoiceMentions),
		fr(renderCase{
			name: "exempt",
			doc:  func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATExempt, 300, otsuka, roseanna)) },
			want: []string{"TVA non applicable, art. 261-7-1°-b du CGI"},
			rows: []string{
				"Qté Désignation Prix unitaire Montant",
				"1 Certaines n'avaient jamais vu la mer 22,00 € 22,00 €",
				"2 Roseanna 8,90 € 17,80 €",
				"1 Frais de livraison – Colissimo 3,00 € 3,00 €",
				"Total 42,80 €",
			},
			notWant: []string{"PU HT", "Total HT", "TVA 5,5", "5,5 %", "intracommunautaire", "FR19812345676", "Total TTC"},
		}, invoiceMentions, buyerMentions),
		fr(renderCase{
			name: "franchise",
			doc: func(t *testing.T) *Document {
				d := invoice(t, testOrder(shop.VATFranchise, 300, otsuka))
				d.Exemption = "TVA non applicable, article 293 B du code général des impôts"
				return d
			},
			want:    []string{"TVA non applicable, article 293 B du code général des impôts"},
			rows:    []string{"Total 25,00 €"},
			notWant: []string{"PU HT", "Total HT", "intracommunautaire", "art. 293 B du CGI"},
		}, invoiceMentions, buyerMentions),
		fr(renderCase{
			// Checklist 18: delivery split pro rata of the goods' value
			// before tax (20,85 € and 12,50 €): 3,06 € at 5.5 %, 1,84 € at 20 %.
			name: "mixed",
			doc:  func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATLiable, 490, otsuka, toteBag)) },
			want: []string{"TVA répartie au prorata de la valeur HT des marchandises : 3,06 € à 5,5 %, 1,84 € à 20 %"},
			rows: []string{
				"1 Certaines n'avaient jamais vu la mer 20,85 € 5,5 % 22,00 € 22,00 €",
				"1 Sac « Le Veilleur » en coton bio 12,50 € 20 % 15,00 € 15,00 €",
				"1 Frais de livraison – Colissimo 4,43 € prorata 4,90 € 4,90 €",
				"TVA 5,5 % 23,75 € 1,31 € 25,06 €",
				"TVA 20 % 14,03 € 2,81 € 16,84 €",
				"Total HT 37,78 €",
				"Total TVA 4,12 €",
				"Total TTC 41,90 €",
			},
		}, invoiceMentions, buyerMentions),
		fr(renderCase{
			// Checklist 13: « occasion » next to the used copy's price.
			name: "used copy",
			doc:  func(t *testing.T) *Document { return invoice(t, testOrder(shop.VATLiable, 300, otsuka, usedCopy)) },
			want: []string{"L'Étranger – occasion Albert Camus · ISBN 9782070368228 · livre imprimé"},
			rows: []string{"1 L'Étranger – occasion 4,27 € 5,5 % 4,50 € 4,50 €"},
		}, invoiceMentions, buyerMentions),
		fr(renderCase{
			name: "company",
			doc: func(t *testing.T) *Document {
				return invoice(t, company(testOrder(shop.VATLiable, 300, otsuka, roseanna)))
			},
			want: []string{"Librairie des Canuts SARL SIREN 732 829 320 Paul Martin 3 place Bellecour 69002 Lyon Anne-Sophie Lefèvre-Nguyen"},
			rows: []string{"FACTURÉ À LIVRÉ À", "Librairie des Canuts SARL Anne-Sophie Lefèvre-Nguyen", "Total TTC 42,80 €"},
		}, invoiceMentions, b2bMentions),
		fr(renderCase{
			name: "thousands",
			doc: func(t *testing.T) *Document {
				l := roseanna
				l.Quantity, l.UnitCents, l.PublisherCents = 50, 2469, 2469
				return invoice(t, testOrder(shop.VATFranchise, 1, l))
			},
			rows: []string{"50 Roseanna 24,69 € 1 234,50 €", "1 Frais de livraison – Colissimo 0,01 € 0,01 €", "Total 1 234,51 €"},
		}, invoiceMentions),
		fr(renderCase{
			name: "abroad",
			doc: func(t *testing.T) *Document {
				o := testOrder(shop.VATLiable, 300, otsuka)
				o.ShipTo.PostalCode, o.ShipTo.City, o.ShipTo.Country = "1000", "Bruxelles", "BE"
				return invoice(t, o)
			},
			want: []string{"1000 Bruxelles Belgique"},
		}, invoiceMentions),
		fr(renderCase{
			name: "delivered later",
			doc: func(t *testing.T) *Document {
				d := invoice(t, testOrder(shop.VATLiable, 300, otsuka))
				d.DeliveredAt = time.Date(2026, time.November, 6, 11, 0, 0, 0, paris)
				return d
			},
			want: []string{"Date de livraison : 6 novembre 2026"},
		}),
		fr(renderCase{
			name: "unpaid",
			doc: func(t *testing.T) *Document {
				d := invoice(t, company(testOrder(shop.VATLiable, 300, otsuka)))
				d.Payment = Payment{Method: PayTransfer, DueAt: time.Date(2026, time.December, 1, 0, 0, 0, 0, paris)}
				return d
			},
			want:    []string{"Paiement : virement, à régler au plus tard le 1er décembre 2026"},
			notWant: []string{"payée"},
		}, b2bMentions),
		fr(renderCase{
			name: "credit full",
			doc:  func(t *testing.T) *Document { return credit(t, testOrder(shop.VATLiable, 300, otsuka, roseanna), 4280) },
			want: []string{
				"Avoir", "N° A2026-000003", "Date d’émission : 20 novembre 2026",
				"Avoir sur la facture n° F2026-000042 du 3 novembre 2026",
				"Paiement : carte bancaire, remboursé le 20 novembre 2026",
			},
			rows: []string{
				"1 Certaines n'avaient jamais vu la mer 20,85 € 5,5 % 22,00 € 22,00 €",
				"2 Roseanna 8,44 € 5,5 % 8,90 € 17,80 €",
				"TVA 5,5 % 40,57 € 2,23 € 42,80 €",
				"Total de l’avoir TTC 42,80 €",
			},
			notWant: []string{"Facture\n", "N° F2026", "Conditions de règlement", "payée"},
		}, buyerMentions),
		fr(renderCase{
			// 10,00 € of an order of 25,06 € at 5.5 % and 16,84 € at 20 %:
			// 5,98 € and 4,02 € by largest remainder.
			name: "credit partial",
			doc: func(t *testing.T) *Document {
				d := credit(t, company(testOrder(shop.VATLiable, 490, otsuka, toteBag)), 1000)
				d.Reason = "sac arrivé taché"
				return d
			},
			want: []string{
				"Avoir sur la facture n° F2026-000042 du 3 novembre 2026",
				"Motif : sac arrivé taché",
				"Remboursement réparti au prorata des montants facturés par taux : 5,98 € à 5,5 %, 4,02 € à 20 %",
			},
			rows: []string{
				"1 Remboursement partiel de la commande ord_7Hq2xK 9,02 € prorata 10,00 € 10,00 €",
				"TVA 5,5 % 5,67 € 0,31 € 5,98 €",
				"TVA 20 % 3,35 € 0,67 € 4,02 €",
				"Total HT 9,02 €",
				"Total TVA 0,98 €",
				"Total de l’avoir TTC 10,00 €",
			},
			notWant: []string{"Roseanna", "Sac « Le Veilleur »", "Conditions de règlement"},
		}),
		fr(renderCase{
			name: "credit exempt",
			doc:  func(t *testing.T) *Document { return credit(t, testOrder(shop.VATFranchise, 300, otsuka), 800) },
			want: []string{"TVA non applicable, art. 293 B du CGI", "Avoir sur la facture n° F2026-000042"},
			rows: []string{
				"1 Remboursement partiel de la commande ord_7Hq2xK 8,00 € 8,00 €",
				"Total de l’avoir 8,00 €",
			},
			notWant: []string{"Total HT", "prorata"},
		}),
		renderCase{
			name: "english",
			doc: func(t *testing.T) *Document {
				o := testOrder(shop.VATLiable, 490, otsuka, toteBag, usedCopy)
				o.Lang = "en"
				return invoice(t, company(o))
			},
			want: []string{
				"Invoice", "No. F2026-000042", "Date of issue: November 3, 2026",
				"Order: ord_7Hq2xK of November 2, 2026",
				"Association loi 1901 – RNA W691234567", "SIREN 812 345 676", "VAT number: FR19812345676",
				"BILL TO SHIP TO Librairie des Canuts SARL SIREN 732 829 320",
				"Julie Otsuka · ISBN 9782752906700 · print book",
				"VAT split pro rata of the goods' value excl. VAT:",
				"Payment: card, paid on November 3, 2026",
				"Payment terms: no discount for early payment.",
				"fixed recovery fee of €40 (French commercial code, art. L441-10 and D441-5)",
				"Page 1/1",
			},
			rows: []string{
				"Qty Description Unit excl. VAT VAT Unit incl. VAT Amount incl. VAT",
				"1 Certaines n'avaient jamais vu la mer €20.85 5.5% €22.00 €22.00",
				"1 L'Étranger – used copy (« occasion ») €4.27 5.5% €4.50 €4.50",
				"Total incl. VAT €46.40",
			},
			notWant: []string{"Facture", "Date d’émission", "payée", "1 234,"},
		},
	)
	return cases
}

func TestRender(t *testing.T) {
	bin := pdftotext(t)
	for _, tt := range renderCases() {
		t.Run(tt.name, func(t *testing.T) {
			pdf, err := Render(tt.doc(t))
			if err != nil {
				t.Fatalf("Render() = %v", err)
			}
			text := flatten(extract(t, bin, pdf))
			rows := layoutLines(t, bin, pdf)
			for _, s := range tt.want {
				if !strings.Contains(text, s) {
					t.Errorf("missing %q", s)
				}
			}
			for _, s := range tt.rows {
				if !hasLine(rows, s) {
					t.Errorf("missing row %q", s)
				}
			}
			for _, s := range tt.notWant {
				if strings.Contains(text, s) || strings.Contains(strings.Join(rows, "\n"), s) {
					t.Errorf("unexpected %q", s)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s\nrows:\n%s", text, strings.Join(rows, "\n"))
			}
		})
	}
}

// layoutLines returns the lines of pdf as pdftotext lays them out, each
// with its spaces collapsed: a table row is one line.
func layoutLines(t *testing.T, bin string, pdf []byte) []string {
	t.Helper()
	var out []string
	for _, l := range strings.Split(extractLayout(t, bin, pdf), "\n") {
		if l = flatten(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// hasLine reports whether some line contains s.
func hasLine(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestRenderSpaces checks that amounts keep French spacing in the PDF: the
// narrow no-break space U+202F between digit groups and the no-break space
// before € both become the PDF's no-break space (0xA0 in Windows-1252), so
// an amount never wraps; pdftotext reads them as plain spaces, so the test
// reads the page's content stream.
func TestRenderSpaces(t *testing.T) {
	l := roseanna
	l.Quantity, l.UnitCents, l.PublisherCents = 50, 2469, 2469
	pdf, err := Render(invoice(t, testOrder(shop.VATLiable, 1, l, toteBag)))
	if err != nil {
		t.Fatal(err)
	}
	content := contentStreams(t, pdf)
	for _, want := range []string{
		"(1\xa0234,50\xa0\x80)",
		"(5,5\xa0%)",
		"(Date d\x92\xe9mission\xa0: 3 novembre 2026)",
		"(Sac \xab Le Veilleur \xbb en coton bio)",
		"(Page 1/1)",
	} {
		if !bytes.Contains(content, []byte(want)) {
			t.Errorf("content stream lacks %q", want)
		}
	}
}

// TestRenderPages renders invoices of many lines with 300-character
// titles: they wrap, run over several pages, each numbered « Page n/N »,
// repeating the table's heading and, in the exempt modes, the exemption.
func TestRenderPages(t *testing.T) {
	bin := pdftotext(t)
	for _, mode := range []shop.VATMode{shop.VATLiable, shop.VATExempt, shop.VATFranchise} {
		t.Run(string(mode), func(t *testing.T) {
			var lines []shop.OrderLine
			for i := range 40 {
				l := roseanna
				l.ID, l.BookID = int64(i+1), int64(1000+i)
				l.Title = fmt.Sprintf("Tome %02d. %s", i+1, longTitle(300))
				l.Quantity = 1 + i%3
				lines = append(lines, l)
			}
			d := invoice(t, testOrder(mode, 1, lines...))
			pdf, err := Render(d)
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(strings.TrimRight(extract(t, bin, pdf), "\f"), "\f")
			n := len(pages)
			if n < 3 {
				t.Fatalf("%d pages, want at least 3", n)
			}
			heading := "Désignation"
			for i, page := range pages {
				text := flatten(page)
				if want := fmt.Sprintf("Page %d/%d", i+1, n); !strings.Contains(text, want) {
					t.Errorf("page %d: missing %q", i+1, want)
				}
				if ex := d.exemption(); ex != "" && !strings.Contains(text, ex) {
					t.Errorf("page %d: missing the exemption %q", i+1, ex)
				}
				if !strings.Contains(text, "SIREN 812 345 676") {
					t.Errorf("page %d: missing the seller's SIREN", i+1)
				}
				if i > 0 && !strings.Contains(text, "Facture n° F2026-000042 (suite)") {
					t.Errorf("page %d: missing the continuation heading", i+1)
				}
				if i > 0 && i < n-1 && !strings.Contains(text, heading) {
					t.Errorf("page %d: missing the table's heading", i+1)
				}
			}
			text := flatten(strings.Join(pages, " "))
			for i := range lines {
				if want := fmt.Sprintf("Tome %02d. Chroniques", i+1); strings.Count(text, want) != 1 {
					t.Errorf("line %d: %q appears %d times, want once", i+1, want, strings.Count(text, want))
				}
			}
			total := money(d.Catalog.Printer("fr"), d.Order.TotalCents)
			if !strings.Contains(flatten(pages[n-1]), flatten(total)) {
				t.Errorf("last page: missing the total %s", total)
			}
		})
	}
}

// TestRenderGolden compares the text of reference documents with
// testdata/<name>.golden; go test -update rewrites them.
func TestRenderGolden(t *testing.T) {
	bin := pdftotext(t)
	docs := map[string]func(*testing.T) ([]byte, error){
		"invoice-mixed": func(t *testing.T) ([]byte, error) {
			return Render(invoice(t, company(testOrder(shop.VATLiable, 490, otsuka, toteBag, usedCopy))))
		},
		"invoice-franchise": func(t *testing.T) ([]byte, error) {
			return Render(invoice(t, testOrder(shop.VATFranchise, 300, otsuka, roseanna)))
		},
		"credit-partial": func(t *testing.T) ([]byte, error) {
			return Render(credit(t, testOrder(shop.VATLiable, 490, otsuka, toteBag), 1000))
		},
		"slip": func(t *testing.T) ([]byte, error) {
			return RenderPackingSlip(invoice(t, testOrder(shop.VATLiable, 490, otsuka, toteBag, usedCopy, ebook)))
		},
	}
	for name, render := range docs {
		t.Run(name, func(t *testing.T) {
			pdf, err := render(t)
			if err != nil {
				t.Fatal(err)
			}
			got := extractLayout(t, bin, pdf)
			path := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("text of %s differs from %s (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, path, got, want)
			}
		})
	}
}

func TestRenderDeterministic(t *testing.T) {
	for _, d := range []*Document{
		invoice(t, testOrder(shop.VATLiable, 490, otsuka, toteBag)),
		credit(t, testOrder(shop.VATFranchise, 300, otsuka), 500),
	} {
		a, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Render(d)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renders differ (%d and %d bytes)", d.Number, len(a), len(b))
		}
		if !bytes.HasPrefix(a, []byte("%PDF-")) {
			t.Errorf("%s: output does not start with %%PDF-", d.Number)
		}
		if !bytes.Contains(a, []byte("/CreationDate (D:"+d.IssuedAt.Format("20060102150405"))) {
			t.Errorf("%s: creation date is not the issue date", d.Number)
		}
	}
}

func TestRenderErrInvalid(t *testing.T) {
	d := invoice(t, testOrder(shop.VATLiable, 300, otsuka))
	d.Seller.SIREN = ""
	pdf, err := Render(d)
	if !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("Render() = %v, want an invalid error", err)
	}
	if pdf != nil {
		t.Errorf("Render returned %d bytes for an invalid invoice, want none", len(pdf))
	}
}

func BenchmarkRender(b *testing.B) {
	d := invoice(b, company(testOrder(shop.VATLiable, 490, otsuka, toteBag, usedCopy, roseanna)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderPackingSlip(b *testing.B) {
	d := invoice(b, testOrder(shop.VATLiable, 490, otsuka, toteBag, usedCopy, roseanna))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderPackingSlip(d); err != nil {
			b.Fatal(err)
		}
	}
}
