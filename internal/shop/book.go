package shop

import "time"

// Format is the physical or digital form of a book, which decides the law
// that prices it.
type Format string

// The formats of a book.
const (
	// FormatPrint is a printed book (ONIX ProductForm B*): loi Lang.
	FormatPrint Format = "print"
	// FormatEbook is a digital book (ONIX E*): loi of 26 May 2011, sold
	// at exactly the publisher's price, never shipped.
	FormatEbook Format = "ebook"
	// FormatAudio is an audiobook (ONIX A*), outside both price laws but
	// taxed as a book.
	FormatAudio Format = "audio"
	// FormatOther is any other product (a tote bag, a poster): free price,
	// standard VAT unless set.
	FormatOther Format = "other"
)

// Condition says whether a copy is new or second-hand (décret 2023-497:
// « occasion » shown at every step).
type Condition string

// The conditions of a copy.
const (
	ConditionNew  Condition = "new"
	ConditionUsed Condition = "used"
)

// Status is whether a title can be found and sold in the shop.
type Status string

// The states of a catalogue entry. A withdrawn book is never erased: the
// orders that sold it keep their lines and its page says it is gone.
const (
	// StatusActive: listed and, when priced and available, sold.
	StatusActive Status = "active"
	// StatusForthcoming: announced, not yet sold (ONIX status 02).
	StatusForthcoming Status = "forthcoming"
	// StatusWithdrawn: deleted by the feed (notification 05), out of
	// print (status 07, availability 51) or withdrawn by an editor.
	StatusWithdrawn Status = "withdrawn"
)

// Book is one catalogue entry: a title in one format and condition, as an
// ONIX record, a CSV line or an editor describes it.
type Book struct {
	ID int64
	// RecordRef is the sender's stable id of the record (ONIX
	// RecordReference); a re-import updates the book holding it. Books
	// entered by hand or from CSV get "isbn:<ISBN>" or "used:<n>".
	RecordRef string
	// ISBN is the ISBN-13 (or GTIN-13) without hyphens; it may be empty
	// for products that are not books.
	ISBN string
	// Slug names the book's page (/librairie/livre/{slug}/).
	Slug      string
	Title     string
	Subtitle  string
	Series    string
	Format    Format
	Condition Condition
	// ConditionNote describes a used copy (« bon état, couverture
	// pliée »).
	ConditionNote string
	Contributors  []Contributor
	Publisher     string
	Imprint       string
	// PublishedOn is the publication date (midnight UTC), zero if unknown.
	PublishedOn time.Time
	Pages       int
	Language    string
	Subjects    []Subject
	// Description is sanitized HTML.
	Description string
	CoverURL    string
	// Availability is the ONIX List 65 code ("20" available, "31" out
	// of stock…), empty when unknown.
	Availability string
	Status       Status
	// Prices are the publisher's prices (for a used copy, the shop's), tax
	// included, each with the date it takes effect; PriceAt picks one.
	Prices []Price
	// VATRate is the rate in basis points (550 = 5.5 %) that applies to
	// the book when the shop is liable to VAT.
	VATRate int
	// Stock is the number of copies on hand that no checkout holds;
	// TrackStock false means the shop orders on demand (no limit).
	Stock      int
	TrackStock bool
	// ReorderAt raises a back-office alert when Stock falls to it.
	ReorderAt   int
	WeightGrams int
	// NotSoldAlone marks a component of a bundle (ONIX UnpricedItemType
	// 03): shown, never added to a cart.
	NotSoldAlone bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Contributor is a person or body who made the book.
type Contributor struct {
	// Role is the ONIX List 17 code: A01 author, B06 translator…
	Role string
	// Name is as shown ("Julie Otsuka"); SortName as sorted ("Otsuka,
	// Julie").
	Name     string
	SortName string
}

// Subject is a classification of the book.
type Subject struct {
	// Scheme is "clil", "thema", "bisac" or "keyword".
	Scheme string
	Code   string
	// Heading is the subject's name, given by the feed or the scheme.
	Heading string
	Main    bool
}

// Price is one publisher's price, tax included, from a date.
type Price struct {
	Cents int64
	// From is when the price takes effect (zero: always); Until, when
	// not zero, is when it stops.
	From, Until time.Time
}

// Authors returns the names of the contributors with an author's role
// (A01, or any when none has it), in order.
func (b *Book) Authors() []string {
	var names, all []string
	for _, c := range b.Contributors {
		all = append(all, c.Name)
		if c.Role == "A01" {
			names = append(names, c.Name)
		}
	}
	if len(names) == 0 {
		return all
	}
	return names
}
