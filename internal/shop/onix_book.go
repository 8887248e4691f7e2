package shop

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/onix"
	"github.com/kiosque/kiosque/internal/textproc"
)

// The VAT rates a book gets when its feed gives none: 5.5 % for books in
// any form (CGI art. 278-0 bis A 3°), the standard 20 % for other goods.
const (
	bookVATRate  = 550
	otherVATRate = 2000
)

// BookFromONIX maps an ONIX product to a catalogue book (new condition).
//
// The book's Prices are the French public price (french-rules §4.3): the
// prices of PriceType 04 (fixed retail price including tax) or, when there
// is none, 02 (RRP including tax), in EUR, for everyone (unqualified or
// consumer price, or a promotional price with its dates: a publisher's
// promotion binds e-book sellers too), whose territory includes FR (a
// country list with FR, or WORLD without FR excluded); each keeps its
// dates (PriceDate 14 and 15), so that an announced change takes effect
// on its date. Prices that
// ended before now are dropped. A product with none of these, or only
// "price to be announced", gets no Prices and cannot be bought
// (checklist 24).
//
// A deletion (NotificationType 05) gives a book with only its record
// reference, ISBN and StatusWithdrawn, which the import reads as "withdraw
// this record". The error says why a product cannot be a book: a test
// record, a block update (only some blocks sent, which would blank the
// others), no title.
func BookFromONIX(p *onix.Product, now time.Time) (*Book, error) {
	b := &Book{
		RecordRef: p.RecordReference,
		ISBN:      p.ISBN13,
		Condition: ConditionNew,
		CreatedAt: now,
		UpdatedAt: now,
	}
	switch p.NotificationType {
	case "05":
		b.Status = StatusWithdrawn
		return b, nil
	case "88", "89":
		return nil, errors.New("test record (notification 88/89)")
	case "04":
		if !p.Blocks.Descriptive || !p.Blocks.Publishing || !p.Blocks.Supply {
			return nil, errors.New("block update without the descriptive, publishing and supply blocks: partial updates are not supported, send the full record")
		}
	}
	if p.Title == "" {
		return nil, errors.New("no title (TitleDetail type 01)")
	}
	b.Title, b.Subtitle, b.Series = p.Title, p.Subtitle, p.Series
	b.Format = formatOf(p.ProductForm)
	b.Status = statusOf(p)
	b.NotSoldAlone = p.UnpricedItemType == "03" || p.Availability == "45"
	for _, c := range p.Contributors {
		b.Contributors = append(b.Contributors, Contributor{Role: c.Role, Name: c.Name, SortName: c.SortName})
	}
	b.Publisher, b.Imprint = p.Publisher, p.Imprint
	b.PublishedOn = p.PublicationDate
	b.Pages, b.Language = p.Pages, p.Language
	b.WeightGrams = p.WeightGrams
	b.Availability = p.Availability
	for _, s := range p.Subjects {
		if s.Scheme == "" || (s.Code == "" && s.Heading == "") {
			continue
		}
		b.Subjects = append(b.Subjects, Subject{Scheme: s.Scheme, Code: s.Code, Heading: s.Heading, Main: s.Main})
	}
	if p.Description != "" {
		b.Description = textproc.SanitizeHTML(p.Description)
	}
	if u, err := url.Parse(p.CoverURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		b.CoverURL = p.CoverURL
	}
	var rate int
	b.Prices, rate = frenchPrices(p, now)
	switch {
	case rate > 0:
		b.VATRate = rate
	case b.Format == FormatOther:
		b.VATRate = otherVATRate
	default:
		b.VATRate = bookVATRate
	}
	b.Slug = feedSlug(b)
	return b, nil
}

// formatOf maps ONIX ProductForm (List 150) to a format: B… printed
// books, E… and DG digital, A… audio.
func formatOf(form string) Format {
	switch {
	case strings.HasPrefix(form, "B"):
		return FormatPrint
	case strings.HasPrefix(form, "E"), form == "DG":
		return FormatEbook
	case strings.HasPrefix(form, "A"):
		return FormatAudio
	}
	return FormatOther
}

// statusOf reads whether the book is listed: withdrawn when the publisher
// cancelled, withdrew or recalled it or it is out of print (List 64 01,
// 07, 11, 12, 17) or no longer supplied (List 65 46 withdrawn, 49
// recalled, 51 out of print); forthcoming when announced (status 02,
// availability 10, or an advance notification without status).
func statusOf(p *onix.Product) Status {
	switch p.PublishingStatus {
	case "01", "07", "11", "12", "17":
		return StatusWithdrawn
	}
	switch p.Availability {
	case "46", "49", "51":
		return StatusWithdrawn
	}
	if p.PublishingStatus == "02" || p.Availability == "10" || (p.PublishingStatus == "" && p.NotificationType == "02") {
		return StatusForthcoming
	}
	return StatusActive
}

// frenchPrices returns the French public prices of p (see BookFromONIX),
// sorted by start date, and the VAT rate the first of them carries (0 when
// none does).
func frenchPrices(p *onix.Product, now time.Time) ([]Price, int) {
	var out []Price
	rate := 0
	for _, typ := range []string{"04", "02"} {
		for i := range p.Prices {
			pr := &p.Prices[i]
			if pr.Type != typ || pr.Currency != "EUR" || !pr.Applies("FR") || pr.Cents <= 0 || !forConsumers(pr) {
				continue
			}
			if !pr.Until.IsZero() && !pr.Until.After(now) {
				continue // over
			}
			if !pr.Until.IsZero() && !pr.Until.After(pr.From) {
				continue // an empty period
			}
			np := Price{Cents: pr.Cents, From: pr.From, Until: pr.Until}
			if slices.ContainsFunc(out, func(q Price) bool {
				return q.Cents == np.Cents && q.From.Equal(np.From) && q.Until.Equal(np.Until)
			}) {
				continue // the same price from another supplier
			}
			out = append(out, np)
			if rate == 0 && pr.TaxRateBP > 0 && pr.TaxRateBP <= 10000 {
				rate = pr.TaxRateBP
			}
		}
		if len(out) > 0 {
			break
		}
	}
	slices.SortStableFunc(out, func(a, b Price) int { return a.From.Compare(b.From) })
	return out, rate
}

// forConsumers reports whether a price is the one every buyer pays
// (PriceQualifier, List 59: none, 00 unqualified, 05 consumer), or a
// promotion (08) limited in time. Member, library, education, export or
// set prices are not.
func forConsumers(pr *onix.Price) bool {
	switch pr.Qualifier {
	case "", "00", "05":
		return true
	case "08":
		return !pr.From.IsZero() || !pr.Until.IsZero()
	}
	return false
}

// feedSlug names an imported book's page: its title and first author (as
// BookSlug), then its ISBN (or record reference), so that two editions of
// a title get distinct slugs without asking the store.
func feedSlug(b *Book) string {
	suffix := b.ISBN
	if suffix == "" {
		suffix = textproc.Slugify(b.RecordRef)
	}
	return strings.Trim(BookSlug(b)+"-"+suffix, "-")
}

// onixSource reads the books of an ONIX message.
type onixSource struct {
	r   *onix.Reader
	now time.Time
}

// ONIXSource returns the books of the ONIX 3.0 message read from r, for
// Service.Import. The error says why the message is refused (not ONIX
// 3.0, malformed); a product that cannot be a book is a *SkipError naming
// its record reference (or its position) and the reason.
func ONIXSource(r io.Reader, now time.Time) (BookSource, error) {
	or, err := onix.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("read ONIX message: %w", err)
	}
	return &onixSource{r: or, now: now}, nil
}

// Next returns the next book, a *SkipError, io.EOF at the end, or the
// error that broke the file off.
func (s *onixSource) Next() (*Book, error) {
	p, err := s.r.Next()
	var pe *onix.ProductError
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case errors.As(err, &pe):
		return nil, &SkipError{Ref: cmp.Or(pe.RecordRef, fmt.Sprintf("product %d (line %d)", pe.Index, pe.Line)), Reason: pe.Reason}
	case err != nil:
		return nil, fmt.Errorf("read ONIX message: %w", err)
	}
	b, err := BookFromONIX(p, s.now)
	if err != nil {
		return nil, &SkipError{Ref: p.RecordReference, Reason: err.Error()}
	}
	return b, nil
}
