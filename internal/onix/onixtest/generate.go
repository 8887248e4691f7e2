// Package onixtest writes synthetic ONIX 3.0 messages for benchmarks and
// load tests: many products with varied French titles, contributors,
// subjects, descriptions and prices, the same for the same seed.
package onixtest

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math/rand/v2"
	"strings"
)

// Options says what message Generate writes.
type Options struct {
	// Products is the number of Product records.
	Products int
	// Seed makes the message reproducible.
	Seed uint64
	// ShortTags writes <ONIXmessage> with short tags instead of
	// reference names.
	ShortTags bool
}

// Generate writes an ONIX 3.0 message to w. Most records are sellable
// print books or e-books priced in euros for France; a few are
// forthcoming, out of print, deleted, priced "to be announced", or carry
// a future price change, as real feeds do.
func Generate(w io.Writer, o Options) error {
	g := &gen{
		w:     bufio.NewWriterSize(w, 64<<10),
		rnd:   rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), //nolint:gosec // G404: reproducible test data, not secrets
		short: o.ShortTags,
	}
	g.header()
	for i := range o.Products {
		g.product(i)
	}
	fmt.Fprintf(g.w, "</%s>\n", rootName(o.ShortTags))
	return g.w.Flush()
}

func rootName(short bool) string {
	if short {
		return "ONIXmessage"
	}
	return "ONIXMessage"
}

type gen struct {
	w     *bufio.Writer
	rnd   *rand.Rand
	short bool
	depth int
}

// name returns the element's name in the chosen tag set.
func (g *gen) name(ref string) string {
	if !g.short {
		return ref
	}
	if s, ok := shortTags[ref]; ok {
		return s
	}
	return strings.ToLower(ref) // composites
}

func (g *gen) indent() {
	for range g.depth {
		_, _ = g.w.WriteString("  ")
	}
}

func (g *gen) start(ref string) {
	g.indent()
	fmt.Fprintf(g.w, "<%s>\n", g.name(ref))
	g.depth++
}

func (g *gen) end(ref string) {
	g.depth--
	g.indent()
	fmt.Fprintf(g.w, "</%s>\n", g.name(ref))
}

// el writes a data element with escaped text.
func (g *gen) el(ref, text string) {
	g.indent()
	n := g.name(ref)
	fmt.Fprintf(g.w, "<%s>%s</%s>\n", n, html.EscapeString(text), n)
}

// elAttr writes a data element with one attribute and raw (already
// escaped or XHTML) content.
func (g *gen) elAttr(ref, attr, value, raw string) {
	g.indent()
	n := g.name(ref)
	fmt.Fprintf(g.w, "<%s %s=\"%s\">%s</%s>\n", n, attr, value, raw, n)
}

func (g *gen) header() {
	_, _ = g.w.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	ns := "http://ns.editeur.org/onix/3.0/reference"
	if g.short {
		ns = "http://ns.editeur.org/onix/3.0/short"
	}
	fmt.Fprintf(g.w, "<%s release=\"3.0\" xmlns=\"%s\">\n", rootName(g.short), ns)
	g.depth++
	g.start("Header")
	g.start("Sender")
	g.el("SenderName", "Diffusion Exemple")
	g.end("Sender")
	g.el("SentDateTime", "20260105T0600Z")
	g.el("DefaultLanguageOfText", "fre")
	g.end("Header")
}

func (g *gen) pick(xs []string) string { return xs[g.rnd.IntN(len(xs))] }

// isbn returns a valid 978-2 ISBN-13 for record i.
func isbn(i int) string {
	body := fmt.Sprintf("9782%08d", 10000000+i%90000000)
	sum := 0
	for j := range 12 {
		d := int(body[j] - '0')
		if j%2 == 1 {
			d *= 3
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}

func (g *gen) product(i int) {
	r := g.rnd
	code := isbn(i)
	kind := r.IntN(100) // the record's situation, as shares of a real feed
	g.start("Product")
	g.el("RecordReference", "fr.exemple.onix."+code)
	notification := "03"
	if kind == 0 {
		notification = "05"
	} else if kind < 4 {
		notification = "02"
	}
	g.el("NotificationType", notification)
	g.start("ProductIdentifier")
	g.el("ProductIDType", "03")
	g.el("IDValue", code)
	g.end("ProductIdentifier")
	g.start("ProductIdentifier")
	g.el("ProductIDType", "15")
	g.el("IDValue", code)
	g.end("ProductIdentifier")

	ebook := r.IntN(4) == 0
	g.start("DescriptiveDetail")
	g.el("ProductComposition", "00")
	if ebook {
		g.el("ProductForm", "ED")
		g.el("ProductFormDetail", "E101")
	} else {
		g.el("ProductForm", g.pick([]string{"BC", "BC", "BC", "BB"}))
		for _, m := range [][3]string{{"01", fmt.Sprint(180 + r.IntN(60)), "mm"}, {"02", fmt.Sprint(110 + r.IntN(50)), "mm"}, {"08", fmt.Sprint(120 + r.IntN(600)), "gr"}} {
			g.start("Measure")
			g.el("MeasureType", m[0])
			g.el("Measurement", m[1])
			g.el("MeasureUnitCode", m[2])
			g.end("Measure")
		}
	}
	if r.IntN(3) == 0 {
		g.start("Collection")
		g.el("CollectionType", "10")
		g.start("TitleDetail")
		g.el("TitleType", "01")
		g.start("TitleElement")
		g.el("TitleElementLevel", "02")
		g.el("TitleText", g.pick(series))
		g.end("TitleElement")
		g.start("TitleElement")
		g.el("TitleElementLevel", "01")
		g.el("PartNumber", fmt.Sprint(1+r.IntN(300)))
		g.end("TitleElement")
		g.end("TitleDetail")
		g.end("Collection")
	}
	g.start("TitleDetail")
	g.el("TitleType", "01")
	g.start("TitleElement")
	g.el("TitleElementLevel", "01")
	title := g.title()
	if prefix, rest, ok := splitArticle(title); ok && r.IntN(2) == 0 {
		g.el("TitlePrefix", prefix)
		g.el("TitleWithoutPrefix", rest)
	} else {
		g.el("TitleText", title)
	}
	if r.IntN(4) == 0 {
		g.el("Subtitle", g.pick(subtitles))
	}
	g.end("TitleElement")
	g.end("TitleDetail")
	for n := range 1 + r.IntN(3) {
		role := "A01"
		if n > 0 {
			role = g.pick([]string{"A01", "B06", "A12", "A15"})
		}
		first, last := g.pick(firstNames), g.pick(lastNames)
		g.start("Contributor")
		g.el("SequenceNumber", fmt.Sprint(n+1))
		g.el("ContributorRole", role)
		if r.IntN(2) == 0 {
			g.el("PersonName", first+" "+last)
			g.el("PersonNameInverted", last+", "+first)
		} else {
			g.el("NamesBeforeKey", first)
			g.el("KeyNames", last)
		}
		if r.IntN(3) == 0 {
			g.el("BiographicalNote", fmt.Sprintf("%s %s est né·e en %d. %s", first, last, 1940+r.IntN(60), g.sentence()))
		}
		g.end("Contributor")
	}
	g.start("Language")
	g.el("LanguageRole", "01")
	g.el("LanguageCode", "fre")
	g.end("Language")
	g.start("Extent")
	g.el("ExtentType", "00")
	g.el("ExtentValue", fmt.Sprint(48+r.IntN(700)))
	g.el("ExtentUnit", "03")
	g.end("Extent")
	clil := clils[r.IntN(len(clils))]
	g.start("Subject")
	g.el("MainSubject", "")
	g.el("SubjectSchemeIdentifier", "29")
	g.el("SubjectCode", clil[0])
	g.el("SubjectHeadingText", clil[1])
	g.end("Subject")
	g.start("Subject")
	g.el("SubjectSchemeIdentifier", "93")
	g.el("SubjectSchemeVersion", "1.5")
	g.el("SubjectCode", g.pick(themas))
	g.end("Subject")
	g.start("Subject")
	g.el("SubjectSchemeIdentifier", "20")
	g.el("SubjectHeadingText", g.pick(keywords)+"; "+g.pick(keywords)+"; "+g.pick(keywords))
	g.end("Subject")
	g.end("DescriptiveDetail")

	g.start("CollateralDetail")
	g.start("TextContent")
	g.el("TextType", "02")
	g.el("ContentAudience", "00")
	g.el("Text", g.sentence())
	g.end("TextContent")
	g.start("TextContent")
	g.el("TextType", "03")
	g.el("ContentAudience", "00")
	paras := make([]string, 2+r.IntN(3))
	for k := range paras {
		paras[k] = g.sentence() + " " + g.sentence() + " " + g.sentence()
	}
	if r.IntN(2) == 0 { // XHTML markup
		var b strings.Builder
		for _, p := range paras {
			b.WriteString("<p>" + html.EscapeString(p) + "</p>")
		}
		g.elAttr("Text", "textformat", "05", b.String())
	} else { // HTML escaped in the text, as many French feeds send it
		g.el("Text", "<p>"+strings.Join(paras, "</p>\n<p>")+"</p>")
	}
	g.end("TextContent")
	g.start("SupportingResource")
	g.el("ResourceContentType", "01")
	g.el("ContentAudience", "00")
	g.el("ResourceMode", "03")
	g.start("ResourceVersion")
	g.el("ResourceForm", "02")
	g.el("ResourceLink", "https://images.exemple.fr/couvertures/"+code+".jpg")
	g.end("ResourceVersion")
	g.end("SupportingResource")
	g.end("CollateralDetail")

	publisher := publishers[r.IntN(len(publishers))]
	g.start("PublishingDetail")
	g.start("Imprint")
	g.el("ImprintName", publisher[1])
	g.end("Imprint")
	g.start("Publisher")
	g.el("PublishingRole", "01")
	g.el("PublisherName", publisher[0])
	g.end("Publisher")
	status, avail := "04", g.pick([]string{"20", "21", "21", "22", "31"})
	switch {
	case notification == "02":
		status, avail = "02", "10"
	case kind == 4:
		status, avail = "07", "51"
	}
	g.el("PublishingStatus", status)
	year := 1990 + r.IntN(36)
	if status == "02" {
		year = 2026
	}
	g.start("PublishingDate")
	g.el("PublishingDateRole", "01")
	g.el("DateFormat", "00")
	g.el("Date", fmt.Sprintf("%04d%02d%02d", year, 1+r.IntN(12), 1+r.IntN(28)))
	g.end("PublishingDate")
	g.end("PublishingDetail")

	g.start("ProductSupply")
	g.start("Market")
	g.start("Territory")
	g.el("CountriesIncluded", "FR BE LU CH")
	g.end("Territory")
	g.end("Market")
	g.start("SupplyDetail")
	g.start("Supplier")
	g.el("SupplierRole", "01")
	g.el("SupplierName", g.pick([]string{"Sodis", "Hachette Livre Distribution", "Interforum", "Union Distribution", "Volumen"}))
	g.end("Supplier")
	g.el("ProductAvailability", avail)
	if kind == 5 {
		g.el("UnpricedItemType", "02") // price to be announced
	} else {
		cents := 590 + 10*r.IntN(250)
		if ebook {
			cents = 299 + 100*r.IntN(15)
		}
		g.price("04", cents, "EUR", "FR LU", "", "")
		if kind == 6 { // a price change announced for next month
			g.price("04", cents+100, "EUR", "FR LU", "20260201", "")
		}
		g.price("04", cents*11/10, "CHF", "CH", "", "")
		g.price("02", cents*15/10, "CAD", "CA", "", "")
	}
	g.end("SupplyDetail")
	g.end("ProductSupply")
	g.end("Product")
}

func (g *gen) price(typ string, cents int, currency, countries, from, until string) {
	g.start("Price")
	g.el("PriceType", typ)
	g.el("PriceQualifier", "05")
	g.el("PriceAmount", fmt.Sprintf("%d.%02d", cents/100, cents%100))
	if currency == "EUR" {
		g.start("Tax")
		g.el("TaxType", "01")
		g.el("TaxRateCode", "R")
		g.el("TaxRatePercent", "5.5")
		g.end("Tax")
	}
	g.el("CurrencyCode", currency)
	g.start("Territory")
	g.el("CountriesIncluded", countries)
	g.end("Territory")
	for _, d := range [][2]string{{"14", from}, {"15", until}} {
		if d[1] == "" {
			continue
		}
		g.start("PriceDate")
		g.el("PriceDateRole", d[0])
		g.el("Date", d[1])
		g.end("PriceDate")
	}
	g.end("Price")
}

func (g *gen) title() string {
	switch g.rnd.IntN(4) {
	case 0:
		return g.pick(articles) + g.pick(nouns) + " " + g.pick(ofs) + g.pick(nouns2)
	case 1:
		return g.pick(articles) + g.pick(nouns) + " " + g.pick(adjectives)
	case 2:
		return g.pick(nouns2Cap) + " " + g.pick(ofs) + g.pick(nouns2)
	}
	return g.pick(articles) + g.pick(nouns)
}

// splitArticle splits a leading article off a title, as TitlePrefix.
func splitArticle(t string) (string, string, bool) {
	for _, a := range articles {
		if a != "" && strings.HasPrefix(t, a) && len(t) > len(a) {
			return strings.TrimSpace(a), t[len(a):], true
		}
	}
	return "", "", false
}

func (g *gen) sentence() string {
	return g.pick(openings) + " " + g.pick(middles) + " " + g.pick(endings)
}
