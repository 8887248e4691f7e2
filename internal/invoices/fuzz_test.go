package invoices

import (
	"bytes"
	"testing"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// FuzzRender renders invoices of arbitrary titles, authors, quantities
// and prices: Render must either refuse the document as invalid or give
// a PDF, never panic nor fail otherwise. go test -fuzz FuzzRender
// explores beyond the seeds.
func FuzzRender(f *testing.F) {
	f.Add("Roseanna", "Maj Sjöwall", 1, int64(890), int64(300), uint8(0))
	f.Add(longTitle(300), "", 3, int64(123456), int64(1), uint8(1))
	f.Add("« L’œuvre » — 漢字 \u202f ąę", "Nguyễn", 40, int64(0), int64(0), uint8(2))
	f.Add("", "x", 0, int64(-1), int64(-5), uint8(3))
	f.Fuzz(func(t *testing.T, title, authors string, qty int, unit, shipping int64, mode uint8) {
		modes := []shop.VATMode{shop.VATLiable, shop.VATExempt, shop.VATFranchise}
		l := roseanna
		l.Title, l.Quantity, l.UnitCents, l.PublisherCents = title, qty, unit, unit
		lines := []shop.OrderLine{l}
		if qty > 0 && qty <= 60 {
			// Many copies of one title become many lines: several pages.
			lines = nil
			for i := range qty {
				c := l
				c.ID, c.BookID, c.Quantity = int64(i), int64(i), 1
				lines = append(lines, c)
			}
		}
		d := invoice(t, testOrder(modes[int(mode)%len(modes)], shipping, lines...))
		d.Authors = map[int64]string{0: authors, l.BookID: authors}
		pdf, err := Render(d)
		if err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("Render() = %v, want nil or an invalid error", err)
			}
			return
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("Render() gave %d bytes that are not a PDF", len(pdf))
		}
	})
}
