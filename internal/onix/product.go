package onix

import "time"

// Product is one ONIX record as a bookshop uses it. Codes are kept as ONIX
// writes them ("03", "BC", "A01") and documented with their code list; text
// is trimmed with its inner runs of white space collapsed.
type Product struct {
	// Index is the record's position in the message (from 1) and Line the
	// line where it starts.
	Index int
	Line  int

	// RecordReference is the sender's stable id of the record.
	RecordReference string
	// NotificationType (List 1): 03 confirmed, 02 advance, 04 block
	// update (only the blocks in Blocks were sent), 05 delete.
	NotificationType string
	// Blocks says which blocks the record carries, for block updates.
	Blocks Blocks

	// ISBN13 is the validated ISBN-13 (ProductIDType 15, else a GTIN-13
	// in 978/979), empty when the product has none. GTIN is the GTIN-13
	// (ProductIDType 03) as sent, which may be another barcode.
	ISBN13 string
	GTIN   string

	// ProductComposition (List 2): 00 single item, 10 multiple-item
	// retail product (an e-book offer grouping formats)…
	ProductComposition string
	// ProductForm (List 150): BB hardback, BC paperback, ED download,
	// EA digital, AJ audio download…; ProductFormDetail (List 175).
	ProductForm       string
	ProductFormDetail []string

	// Title and Subtitle come from TitleDetail type 01, element level 01
	// (TitlePrefix + TitleWithoutPrefix when the title is split).
	Title    string
	Subtitle string
	// Series is the collection's title and SeriesNumber the product's
	// number in it (PartNumber).
	Series       string
	SeriesNumber string

	// Contributors in SequenceNumber order.
	Contributors []Contributor
	// Language is the ISO 639-2/B code of the text ("fre").
	Language string
	// Pages is the main content page count (Extent 00, else 11), 0 when
	// unknown.
	Pages    int
	Subjects []Subject

	// Description is an HTML fragment from the description (TextType 03,
	// else the short description 02): XHTML sent as markup (textformat
	// 05), HTML sent escaped, or plain text turned into paragraphs. It is
	// NOT sanitized: the caller must pass it through its HTML sanitizer.
	Description string
	// CoverURL is the front cover image's link (SupportingResource
	// content type 01, mode 03).
	CoverURL string

	Imprint   string
	Publisher string
	// PublishingStatus (List 64): 02 forthcoming, 04 active, 07 out of
	// print…
	PublishingStatus string
	// PublicationDate is the publication date (role 01, else 11) at
	// midnight UTC, zero when absent or unreadable; DatePrecision says
	// how much of it was sent.
	PublicationDate time.Time
	DatePrecision   DatePrecision

	// Availability (List 65) of the first supply detail that gives one:
	// 20 available, 21 in stock, 31 out of stock, 40 not available, 45 not
	// sold separately, 46 withdrawn, 51 out of print…
	Availability string
	// UnpricedItemType (List 57) when a supply detail has no price: 01
	// free of charge, 02 price to be announced, 03 not sold separately,
	// 04 contact supplier.
	UnpricedItemType string
	// Prices are all the valid prices of all supply details, in order.
	Prices []Price

	// WeightGrams is the unit weight (Measure type 08), 0 when unknown.
	WeightGrams int

	// Notes lists what was sent but left out (a price with a decimal
	// comma, an unreadable date…), for the import report.
	Notes []string
}

// Blocks says which of a record's blocks were present.
type Blocks struct {
	Descriptive, Collateral, Content, Publishing, Related, Supply bool
}

// Contributor is a person or body credited on the product.
type Contributor struct {
	Sequence int
	// Role (List 17): A01 author, A12 illustrator, B01 editor, B06
	// translator…
	Role string
	// Name is as shown ("Julie Otsuka"), SortName as sorted ("Otsuka,
	// Julie").
	Name     string
	SortName string
	// Corporate is true for a body (CorporateName) rather than a person.
	Corporate bool
}

// Subject is a classification code or keyword.
type Subject struct {
	// SchemeID is the ONIX SubjectSchemeIdentifier (List 27); Scheme its
	// name for the schemes the shop knows: "clil" (29), "thema" (93–99),
	// "bisac" (10), "keyword" (20), else "".
	SchemeID string
	Scheme   string
	Code     string
	Heading  string
	Main     bool
}

// Price is one Price of a supply detail, with its territory and dates.
type Price struct {
	// Type (List 58): 02 RRP incl. tax, 04 fixed retail price incl. tax
	// (France's prix unique)…; Qualifier (List 59): 00 unqualified, 05
	// consumer, 08 promotional…
	Type      string
	Qualifier string
	// Cents is the amount in hundredths of the currency unit.
	Cents int64
	// Currency is the ISO 4217 code ("EUR").
	Currency string
	// The price's territory (or, when it has none, its ProductSupply's
	// market): ISO 3166-1 countries and ONIX regions ("WORLD"). All empty
	// means no limit.
	CountriesIncluded []string
	RegionsIncluded   []string
	CountriesExcluded []string
	RegionsExcluded   []string
	// From (PriceDate 14) is when the price takes effect and Until
	// (PriceDate 15) when it stops: a date without a time means the end
	// of that day, so Until is the midnight after it. Zero: unbounded.
	From, Until time.Time
	// TaxRateBP is the VAT rate in basis points (550 = 5.5 %), -1 when
	// not sent; TaxRateCode (List 62) S, R, Z…
	TaxRateBP   int
	TaxRateCode string
	// Availability is the ProductAvailability of the price's supply
	// detail.
	Availability string
}

// DatePrecision says which part of a date was sent.
type DatePrecision int

// The precisions of a date.
const (
	DateNone DatePrecision = iota
	DateYear
	DateMonth
	DateDay
)

// Applies reports whether the price's territory includes the country
// (ISO 3166-1 alpha-2, "FR"): listed in CountriesIncluded, or under
// WORLD (in RegionsIncluded, or in CountriesIncluded as some feeds write
// it), or with no inclusion at all; and not in CountriesExcluded.
func (p *Price) Applies(country string) bool {
	for _, c := range p.CountriesExcluded {
		if c == country {
			return false
		}
	}
	if len(p.CountriesIncluded) == 0 && len(p.RegionsIncluded) == 0 {
		return true
	}
	for _, c := range p.CountriesIncluded {
		if c == country || c == "WORLD" {
			return true
		}
	}
	for _, r := range p.RegionsIncluded {
		if r == "WORLD" {
			return true
		}
	}
	return false
}
