package shop_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/shop"
)

// usedCopy returns a second-hand copy as the back office's form makes it.
func usedCopy() *shop.Book {
	return &shop.Book{Title: "Roseanna", ISBN: "978-0-00-723283-3", Format: shop.FormatPrint, Condition: shop.ConditionUsed,
		ConditionNote: " bon état ", Status: shop.StatusActive, Prices: []shop.Price{{Cents: 450}}, Stock: 1, TrackStock: true,
		Contributors: []shop.Contributor{{Name: " Maj Sjöwall "}, {Name: " "}}}
}

// fields returns the fields of the Invalid errors err joins.
func fields(t *testing.T, err error) []string {
	t.Helper()
	var out []string
	for _, e := range apperr.Split(err) {
		var ae *apperr.Error
		if !errors.As(e, &ae) || ae.Kind != apperr.Invalid {
			t.Fatalf("not an Invalid apperr: %v", e)
		}
		out = append(out, ae.Field)
	}
	return out
}

func TestNormalizeBook(t *testing.T) {
	b := usedCopy()
	shop.NormalizeBook(b)
	if b.ISBN != "9780007232833" {
		t.Errorf("ISBN %q, want the bare ISBN-13", b.ISBN)
	}
	if b.ConditionNote != "bon état" {
		t.Errorf("note %q", b.ConditionNote)
	}
	if len(b.Contributors) != 1 || b.Contributors[0].Name != "Maj Sjöwall" || b.Contributors[0].Role != "A01" {
		t.Errorf("contributors %+v, want one author", b.Contributors)
	}
	n := &shop.Book{Title: "x", ISBN: "0007232837", Format: shop.FormatPrint, ConditionNote: "kept?"}
	shop.NormalizeBook(n)
	if n.ISBN != "9780007232833" || n.Condition != shop.ConditionNew || n.ConditionNote != "" {
		t.Errorf("new book normalized to %q %q %q", n.ISBN, n.Condition, n.ConditionNote)
	}
}

func TestCheckBook(t *testing.T) {
	tests := []struct {
		name   string
		change func(*shop.Book)
		want   []string
	}{
		{"OKUsedCopy", func(*shop.Book) {}, nil},
		{"OKOtherProductNoISBN", func(b *shop.Book) {
			b.Format, b.Condition, b.ISBN, b.VATRate = shop.FormatOther, shop.ConditionNew, "", 2000
		}, nil},
		{"OKUsedWithoutISBN", func(b *shop.Book) { b.ISBN = "" }, nil},
		{"ErrTitle", func(b *shop.Book) { b.Title = "" }, []string{"title"}},
		{"ErrISBN", func(b *shop.Book) { b.ISBN = "9780007232834" }, []string{"isbn"}},
		{"ErrNewWithoutISBN", func(b *shop.Book) { b.Condition, b.ISBN = shop.ConditionNew, "" }, []string{"isbn"}},
		{"ErrUsedEbook", func(b *shop.Book) { b.Format = shop.FormatEbook }, []string{"condition"}},
		{"ErrFormat", func(b *shop.Book) { b.Format = "scroll" }, []string{"format", "condition"}},
		{"ErrPrice", func(b *shop.Book) { b.Prices = []shop.Price{{Cents: 0}} }, []string{"prices"}},
		{"ErrPriceDates", func(b *shop.Book) {
			d := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
			b.Prices = []shop.Price{{Cents: 500, From: d, Until: d}}
		}, []string{"prices"}},
		{"ErrBookAtStandardVAT", func(b *shop.Book) { b.VATRate = 2000 }, []string{"vat_rate"}},
		{"ErrStock", func(b *shop.Book) { b.Stock, b.ReorderAt = -1, -2 }, []string{"stock", "reorder_at"}},
		{"ErrStatus", func(b *shop.Book) { b.Status = "lost" }, []string{"status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := usedCopy()
			tt.change(b)
			shop.NormalizeBook(b)
			err := shop.CheckBook(b)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if got := fields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("fields %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFromFeed(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{{"", false}, {"isbn:9780007232833", false}, {"used:0a1b2c", false}, {"item:99", false}, {"FR-PHEBUS-0042", true}}
	for _, tt := range tests {
		if got := (&shop.Book{RecordRef: tt.ref}).FromFeed(); got != tt.want {
			t.Errorf("FromFeed(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

func TestBookSlug(t *testing.T) {
	b := usedCopy()
	shop.NormalizeBook(b)
	if got, want := shop.BookSlug(b), "roseanna-maj-sjowall-occasion"; got != want {
		t.Errorf("slug %q, want %q", got, want)
	}
	if got := shop.BookSlug(&shop.Book{Title: "日本"}); got != "livre" {
		t.Errorf("slug of a title without Latin letters %q", got)
	}
}
