package invoices

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/shop"
)

func TestRenderPackingSlip(t *testing.T) {
	bin := pdftotext(t)
	tests := []struct {
		name                string
		doc                 func(t *testing.T) *Document
		want, rows, notWant []string
	}{
		{
			name: "home",
			doc: func(t *testing.T) *Document {
				o := company(testOrder(shop.VATLiable, 490, otsuka, toteBag, usedCopy, ebook))
				o.Tracking = "6A12345678901"
				o.InvoiceNumber = "F2026-000042"
				return invoice(t, o)
			},
			want: []string{
				"Bon de livraison",
				"Commande : ord_7Hq2xK du 2 novembre 2026",
				"Date d’émission : 3 novembre 2026",
				"Facture : F2026-000042",
				"Anne-Sophie Lefèvre-Nguyen 12 rue des Œillets Bâtiment B 75011 Paris +33 6 12 34 56 78",
				"Transporteur : Colissimo", "Mode de livraison : à domicile", "N° de suivi : 6A12345678901",
				"Nombre d’exemplaires : 3",
				"Préparé par :", "Vérifié par :",
				"Page 1/1",
			},
			rows: []string{
				"LIVRÉ À MODE DE LIVRAISON",
				"Qté Désignation ISBN",
				"1 Certaines n'avaient jamais vu la mer 9782752906700",
				"1 Sac « Le Veilleur » en coton bio",
				"1 L'Étranger – occasion 9782070368228",
				"Albert Camus · livre imprimé",
			},
			// No price, no e-book, no billing address, no VAT.
			notWant: []string{"€", "9782752908643", "livre numérique", "Librairie des Canuts", "Total", "Facturé"},
		},
		{
			name: "pickup",
			doc: func(t *testing.T) *Document {
				o := testOrder(shop.VATFranchise, 0, roseanna)
				o.Delivery, o.CarrierName = shop.DeliveryPickup, "Librairie du Tramway"
				o.ShipTo = shop.Address{Name: "Zoé Martin"}
				return invoice(t, o)
			},
			want:    []string{"À RETIRER PAR MODE DE LIVRAISON Zoé Martin", "Mode de livraison : retrait sur place", "Transporteur : Librairie du Tramway", "Nombre d’exemplaires : 2"},
			rows:    []string{"2 Roseanna 9780007232833"},
			notWant: []string{"TVA non applicable"},
		},
		{
			name: "english",
			doc: func(t *testing.T) *Document {
				o := testOrder(shop.VATLiable, 300, otsuka, usedCopy)
				o.Lang = "en"
				o.ShipTo.Country = "GB"
				return invoice(t, o)
			},
			want: []string{"Packing slip", "Order: ord_7Hq2xK of November 2, 2026", "SHIP TO", "United Kingdom", "Carrier: Colissimo", "Copies: 2", "Packed by:"},
			rows: []string{"Qty Description ISBN", "1 L'Étranger – used copy (« occasion ») 9782070368228"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pdf, err := RenderPackingSlip(tt.doc(t))
			if err != nil {
				t.Fatalf("RenderPackingSlip() = %v", err)
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
				if strings.Contains(text, s) {
					t.Errorf("unexpected %q", s)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s\nrows:\n%s", text, strings.Join(rows, "\n"))
			}
		})
	}
}

// TestRenderPackingSlipPages checks a slip of many long titles: several
// pages, each numbered, each with the boxes' heading.
func TestRenderPackingSlipPages(t *testing.T) {
	bin := pdftotext(t)
	var lines []shop.OrderLine
	for i := range 60 {
		l := roseanna
		l.ID, l.BookID, l.Quantity = int64(i+1), int64(1000+i), 1
		l.Title = fmt.Sprintf("Tome %02d. %s", i+1, longTitle(300))
		lines = append(lines, l)
	}
	pdf, err := RenderPackingSlip(invoice(t, testOrder(shop.VATLiable, 1, lines...)))
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(extract(t, bin, pdf), "\f"), "\f")
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	for i, page := range pages {
		text := flatten(page)
		if want := fmt.Sprintf("Page %d/%d", i+1, len(pages)); !strings.Contains(text, want) {
			t.Errorf("page %d: missing %q", i+1, want)
		}
		if i > 0 && !strings.Contains(text, "Bon de livraison n° ord_7Hq2xK (suite)") {
			t.Errorf("page %d: missing the continuation heading", i+1)
		}
	}
	if text := flatten(pages[len(pages)-1]); !strings.Contains(text, "Nombre d’exemplaires : 60") {
		t.Errorf("last page: missing the count of copies:\n%s", text)
	}
}
