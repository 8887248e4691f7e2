package onix

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/isbn"
)

// The caps on what one record may carry. A record over a cap is skipped
// with a ProductError (CodeTooLong) rather than cut, so that a shop never
// shows half a description without knowing it.
const (
	// MaxDescriptionBytes caps the description (after decoding).
	MaxDescriptionBytes = 100 << 10
	// MaxShortBytes caps titles, names, codes and the record reference.
	MaxShortBytes = 1 << 10
	// MaxKeywordsBytes caps a subject heading (keyword lists are long).
	MaxKeywordsBytes = 16 << 10
	// MaxURLBytes caps the cover link.
	MaxURLBytes = 2 << 10
	// MaxProductBytes caps the size of one record in the file: beyond it
	// the stream ends with ErrTooLarge, since a single text node must be
	// held in memory whole to be decoded.
	MaxProductBytes = 128 << 20
)

// skip is why a record is not returned.
type skip struct{ code, reason string }

// converter fills a Product from a decoded record, collecting notes.
type converter struct {
	p    *Product
	skip *skip
}

func (c *converter) note(format string, args ...any) {
	c.p.Notes = append(c.p.Notes, fmt.Sprintf(format, args...))
}

// short returns the cleaned s, or "" after marking the record skipped when
// s is over max.
func (c *converter) short(what, s string, max int) string {
	if len(s) > max {
		if c.skip == nil {
			c.skip = &skip{CodeTooLong, fmt.Sprintf("%s is %d bytes, over the %d-byte cap", what, len(s), max)}
		}
		return ""
	}
	return clean(s)
}

// convert checks x and turns it into p; a non-nil skip says why the record
// cannot be imported.
func convert(x *xmlProduct, p *Product) *skip {
	c := &converter{p: p}
	p.RecordReference = c.short("RecordReference", x.RecordReference, MaxShortBytes)
	if p.RecordReference == "" && c.skip == nil {
		return &skip{CodeNoRecordRef, "no RecordReference"}
	}
	p.NotificationType = noSpace(x.NotificationType)
	p.Blocks = Blocks{
		Descriptive: x.Descriptive != nil, Collateral: x.Collateral != nil,
		Content: x.Content, Publishing: x.Publishing != nil,
		Related: x.Related, Supply: len(x.Supply) > 0,
	}
	c.identifiers(x.Identifiers)
	if d := x.Descriptive; d != nil {
		c.descriptive(d)
	}
	if col := x.Collateral; col != nil {
		c.collateral(col)
	}
	if pub := x.Publishing; pub != nil {
		c.publishing(pub)
	}
	for i := range x.Supply {
		c.supply(&x.Supply[i])
	}
	return c.skip
}

func (c *converter) identifiers(ids []xmlProductIdentifier) {
	var isbn15, gtin string
	for _, id := range ids {
		v := noSpace(id.Value)
		switch noSpace(id.Type) {
		case "15":
			if isbn15 == "" {
				isbn15 = v
			}
		case "03":
			if gtin == "" {
				gtin = v
			}
		}
	}
	if len(gtin) > MaxShortBytes {
		gtin = gtin[:MaxShortBytes]
	}
	c.p.GTIN = gtin
	candidate := isbn15
	if candidate == "" && (strings.HasPrefix(gtin, "978") || strings.HasPrefix(gtin, "979")) {
		candidate = gtin
	}
	if candidate == "" {
		return
	}
	n := isbn.Normalize(candidate)
	if len(n) != 13 || !isbn.Valid13(n) {
		candidate = clip(candidate)
		if c.skip == nil {
			c.skip = &skip{CodeISBN, fmt.Sprintf("invalid ISBN-13 %q", candidate)}
		}
		return
	}
	c.p.ISBN13 = n
}

func (c *converter) descriptive(d *xmlDescriptive) {
	p := c.p
	p.ProductComposition = noSpace(d.Composition)
	p.ProductForm = noSpace(d.Form)
	for _, f := range d.FormDetails {
		p.ProductFormDetail = append(p.ProductFormDetail, noSpace(f))
	}
	if e := titleElement(d.TitleDetails, "01"); e != nil {
		p.Title = c.short("title", titleOf(e), MaxShortBytes)
		p.Subtitle = c.short("subtitle", e.Subtitle, MaxShortBytes)
	}
	c.series(d)
	c.contributors(d.Contributors)
	for _, l := range d.Languages {
		if role := noSpace(l.Role); p.Language == "" || role == "01" {
			p.Language = c.short("language", noSpace(l.Code), MaxShortBytes)
			if role == "01" {
				break
			}
		}
	}
	c.pages(d.Extents)
	c.subjects(d.Subjects)
	for _, m := range d.Measures {
		if noSpace(m.Type) != "08" {
			continue
		}
		g, err := parseWeight(m.Value, m.Unit)
		if err != nil {
			c.note("weight %q %q ignored: %v", clip(m.Value), clip(m.Unit), err)
			continue
		}
		p.WeightGrams = g
		break
	}
}

// titleElement returns the title element of level (List 149: 01 product,
// 02 collection) in the distinctive title (TitleType 01), else in the
// first title detail that has one.
func titleElement(details []xmlTitleDetail, level string) *xmlTitleElement {
	var fallback *xmlTitleElement
	for i := range details {
		td := &details[i]
		for j := range td.Elements {
			e := &td.Elements[j]
			if l := noSpace(e.Level); l != level && (l != "" || level != "01") {
				continue
			}
			if noSpace(td.Type) == "01" {
				return e
			}
			if fallback == nil {
				fallback = e
			}
		}
	}
	return fallback
}

// titleOf joins a split title: "The" + "Martin Beck series", "L'" +
// "Étranger" (no space after an apostrophe).
func titleOf(e *xmlTitleElement) string {
	if t := clean(e.Text); t != "" {
		return t
	}
	prefix, rest := clean(e.Prefix), clean(e.WithoutPrefix)
	switch {
	case prefix == "":
		return rest
	case strings.HasSuffix(prefix, "'") || strings.HasSuffix(prefix, "’"):
		return prefix + rest
	}
	return prefix + " " + rest
}

func (c *converter) series(d *xmlDescriptive) {
	p := c.p
	var col *xmlCollection
	for i := range d.Collections {
		if col == nil || noSpace(d.Collections[i].Type) == "10" && noSpace(col.Type) != "10" {
			col = &d.Collections[i]
		}
	}
	details := d.TitleDetails // a collection title may sit in the product's title
	if col != nil {
		details = col.TitleDetails
	}
	if e := titleElement(details, "02"); e != nil {
		p.Series = c.short("collection title", titleOf(e), MaxShortBytes)
		p.SeriesNumber = c.short("part number", e.PartNumber, MaxShortBytes)
	}
	if col != nil && p.SeriesNumber == "" {
		for _, td := range col.TitleDetails {
			for _, e := range td.Elements {
				if n := clean(e.PartNumber); n != "" && p.SeriesNumber == "" {
					p.SeriesNumber = c.short("part number", n, MaxShortBytes)
				}
			}
		}
	}
}

func (c *converter) contributors(xs []xmlContributor) {
	for i, x := range xs {
		ct := Contributor{Sequence: i + 1, Role: noSpace(x.Role)}
		if n, err := strconv.Atoi(strings.TrimSpace(x.Sequence)); err == nil && n > 0 {
			ct.Sequence = n
		}
		before, key := clean(x.NamesBeforeKey), clean(x.KeyNames)
		switch {
		case clean(x.PersonName) != "":
			ct.Name = clean(x.PersonName)
		case key != "":
			ct.Name = strings.TrimSpace(before + " " + key)
		case clean(x.CorporateName) != "":
			ct.Name, ct.Corporate = clean(x.CorporateName), true
		}
		switch {
		case ct.Corporate:
			ct.SortName = cmp.Or(clean(x.CorporateNameInverted), ct.Name)
		case clean(x.PersonNameInverted) != "":
			ct.SortName = clean(x.PersonNameInverted)
		case key != "" && before != "":
			ct.SortName = key + ", " + before
		default:
			ct.SortName = cmp.Or(key, ct.Name)
		}
		if ct.Name == "" {
			c.note("contributor %d has no name", ct.Sequence)
			continue
		}
		ct.Name = c.short("contributor name", ct.Name, MaxShortBytes)
		ct.SortName = c.short("contributor name", ct.SortName, MaxShortBytes)
		ct.Role = c.short("contributor role", ct.Role, MaxShortBytes)
		c.p.Contributors = append(c.p.Contributors, ct)
	}
	slices.SortStableFunc(c.p.Contributors, func(a, b Contributor) int { return a.Sequence - b.Sequence })
}

// pages reads the main content page count: ExtentType 00, else 11 (content
// page count), in pages (ExtentUnit 03).
func (c *converter) pages(extents []xmlExtent) {
	for _, want := range []string{"00", "11"} {
		for _, e := range extents {
			if noSpace(e.Type) != want || noSpace(e.Unit) != "03" {
				continue
			}
			n, err := strconv.Atoi(strings.TrimSpace(e.Value))
			if err != nil || n < 0 || n > 1_000_000 {
				c.note("page count %q ignored", clip(e.Value))
				continue
			}
			c.p.Pages = n
			return
		}
	}
}

// schemeNames names the subject schemes (List 27) the shop uses.
func schemeName(id string) string {
	switch id {
	case "29":
		return "clil"
	case "93", "94", "95", "96", "97", "98", "99":
		return "thema"
	case "10":
		return "bisac"
	case "20":
		return "keyword"
	}
	return ""
}

func (c *converter) subjects(xs []xmlSubject) {
	for _, x := range xs {
		s := Subject{SchemeID: noSpace(x.Scheme), Main: x.Main}
		s.Scheme = schemeName(s.SchemeID)
		s.Code = c.short("subject code", noSpace(x.Code), MaxShortBytes)
		heading := x.Heading
		if len(heading) > MaxKeywordsBytes {
			c.short("subject heading", heading, MaxKeywordsBytes)
			continue
		}
		if s.Scheme != "keyword" {
			s.Heading = clean(heading)
			if s.Code != "" || s.Heading != "" {
				c.p.Subjects = append(c.p.Subjects, s)
			}
			continue
		}
		// Keywords are one per subject or a list separated by semicolons
		// (EDItEUR), which some French feeds write with commas.
		sep := ";"
		if !strings.Contains(heading, ";") {
			sep = ","
		}
		for kw := range strings.SplitSeq(heading, sep) {
			if kw = clean(kw); kw != "" {
				k := s
				k.Heading = kw
				c.p.Subjects = append(c.p.Subjects, k)
			}
		}
	}
}

func (c *converter) collateral(col *xmlCollateral) {
	if t := description(col.Texts); t != nil {
		if t.tooLong() {
			if c.skip == nil {
				c.skip = &skip{CodeTooLong, fmt.Sprintf("description is over the %d-byte cap (%d bytes)", MaxDescriptionBytes, t.size)}
			}
		} else {
			c.p.Description = t.HTML()
		}
	}
	for _, r := range col.Resources {
		if noSpace(r.ContentType) != "01" || noSpace(r.Mode) != "03" {
			continue
		}
		for _, v := range r.Versions {
			if link := noSpace(v.Link); link != "" {
				if len(link) > MaxURLBytes {
					c.note("cover link over %d bytes ignored", MaxURLBytes)
					continue
				}
				c.p.CoverURL = link
				return
			}
		}
	}
}

// description picks the description (TextType 03), else the short one
// (02), preferring texts for everyone (ContentAudience 00 or none).
func description(texts []xmlTextContent) *xmlText {
	var best *xmlText
	bestRank := 0
	for i := range texts {
		tc := &texts[i]
		if len(tc.Texts) == 0 {
			continue
		}
		rank := 0
		switch noSpace(tc.Type) {
		case "03":
			rank = 4
		case "02":
			rank = 2
		default:
			continue
		}
		if public(tc.Audiences) {
			rank++
		}
		if rank > bestRank {
			best, bestRank = &tc.Texts[0], rank
		}
	}
	return best
}

func public(audiences []string) bool {
	if len(audiences) == 0 {
		return true
	}
	for _, a := range audiences {
		if noSpace(a) == "00" {
			return true
		}
	}
	return false
}

func (c *converter) publishing(pub *xmlPublishing) {
	p := c.p
	for _, name := range pub.Imprints {
		if p.Imprint = c.short("imprint", name, MaxShortBytes); p.Imprint != "" {
			break
		}
	}
	for _, x := range pub.Publishers {
		if role := noSpace(x.Role); p.Publisher == "" || role == "01" {
			p.Publisher = c.short("publisher", x.Name, MaxShortBytes)
			if role == "01" {
				break
			}
		}
	}
	p.PublishingStatus = noSpace(pub.Status)
	for _, role := range []string{"01", "11"} {
		for _, d := range pub.Dates {
			if noSpace(d.Role) != role {
				continue
			}
			t, prec, err := parseDate(d.Date.Value, dateFormat(d.Format, d.Date.Format))
			if err != nil {
				c.note("publication date %q ignored: %v", clip(d.Date.Value), err)
				continue
			}
			p.PublicationDate = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			p.DatePrecision = prec
			return
		}
	}
}

// dateFormat returns the composite's DateFormat, else the Date's dateformat
// attribute.
func dateFormat(element, attr string) string {
	return cmp.Or(noSpace(element), noSpace(attr))
}

func (c *converter) supply(s *xmlProductSupply) {
	p := c.p
	var market *xmlTerritory
	if len(s.Market) > 0 {
		market = &s.Market[0]
	}
	for i := range s.Details {
		sd := &s.Details[i]
		avail := noSpace(sd.Availability)
		if p.Availability == "" {
			p.Availability = avail
		}
		if u := noSpace(sd.Unpriced); u != "" && p.UnpricedItemType == "" {
			p.UnpricedItemType = u
		}
		for j := range sd.Prices {
			if pr, ok := c.price(&sd.Prices[j], market); ok {
				pr.Availability = avail
				p.Prices = append(p.Prices, pr)
			}
		}
	}
}

// price checks one Price; false leaves it out, with a note.
func (c *converter) price(x *xmlPrice, market *xmlTerritory) (Price, bool) {
	pr := Price{
		Type: noSpace(x.Type), Qualifier: noSpace(x.Qualifier),
		Currency: noSpace(x.Currency), TaxRateBP: -1,
	}
	if x.Amount == nil {
		if u := noSpace(x.Unpriced); u != "" && c.p.UnpricedItemType == "" {
			c.p.UnpricedItemType = u
		}
		return pr, false
	}
	cents, err := parseDecimal(*x.Amount, 2)
	if err != nil {
		c.note("price %q %s (type %s) ignored: %v", clip(*x.Amount), clip(pr.Currency), clip(pr.Type), err)
		return pr, false
	}
	pr.Cents = cents
	if len(pr.Currency) != 3 || strings.ToUpper(pr.Currency) != pr.Currency || !isLetters(pr.Currency) {
		c.note("price %s with currency %q ignored", clip(*x.Amount), clip(pr.Currency))
		return pr, false
	}
	terr := x.Territory
	if terr == nil {
		terr = market
	}
	if terr != nil {
		pr.CountriesIncluded = fields(terr.CountriesIncluded)
		pr.RegionsIncluded = fields(terr.RegionsIncluded)
		pr.CountriesExcluded = fields(terr.CountriesExcluded)
		pr.RegionsExcluded = fields(terr.RegionsExcluded)
	}
	for _, d := range x.Dates {
		role := noSpace(d.Role)
		if role != "14" && role != "15" {
			continue
		}
		t, _, err := parseDate(d.Date.Value, dateFormat(d.Format, d.Date.Format))
		if err != nil {
			// A price whose dates are unreadable could apply at the
			// wrong time: leave it out.
			c.note("price %s %s ignored: date %q unreadable: %v", clip(*x.Amount), pr.Currency, clip(d.Date.Value), err)
			return pr, false
		}
		if role == "14" {
			pr.From = t
		} else {
			if !strings.ContainsRune(d.Date.Value, 'T') {
				t = t.AddDate(0, 0, 1) // the until date is the last day
			}
			pr.Until = t
		}
	}
	for _, tx := range x.Taxes {
		if typ := noSpace(tx.Type); typ != "" && typ != "01" {
			continue
		}
		pr.TaxRateCode = noSpace(tx.Code)
		if tx.Percent != "" {
			bp, err := parseDecimal(tx.Percent, 2)
			if err != nil || bp > 10000 {
				c.note("tax rate %q ignored", clip(tx.Percent))
			} else {
				pr.TaxRateBP = int(bp)
			}
		}
		break
	}
	return pr, true
}

func isLetters(s string) bool {
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// clip shortens a value quoted in a note.
func clip(s string) string {
	if len(s) > 200 {
		s = s[:200]
	}
	s = clean(s)
	n := 0
	for i := range s {
		if n == 40 {
			return strings.ToValidUTF8(s[:i], "") + "…"
		}
		n++
	}
	return strings.ToValidUTF8(s, "")
}
