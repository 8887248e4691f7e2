package onix

import (
	"encoding/xml"
	"fmt"
	"io"
)

// tokens reads a message's tokens with encoding/xml's RawToken, which
// neither translates namespaces nor keeps an element stack: this reader
// keeps its own, to check that every end tag closes the element it should
// (so a malformed file still fails) and to rename short tags. It is about a
// third faster than Token with DecodeElement, which matters for feeds of
// hundreds of thousands of records.
type tokens struct {
	d     *xml.Decoder
	short bool
	// stack holds the names (as written: prefix and local name) of the
	// open elements, the root first.
	stack []xml.Name
	// buf gathers the character data of one element.
	buf []byte
}

// syntaxError is an *xml.SyntaxError at the decoder's line.
func (t *tokens) syntaxError(format string, args ...any) error {
	line, _ := t.d.InputPos()
	return &xml.SyntaxError{Msg: fmt.Sprintf(format, args...), Line: line}
}

// next returns the next token, with short tags renamed to reference names.
// Start elements are pushed and end elements checked and popped.
func (t *tokens) next() (xml.Token, error) {
	tok, err := t.d.RawToken()
	if err != nil {
		if err == io.EOF && len(t.stack) > 0 {
			return nil, t.syntaxError("unexpected EOF: <%s> is not closed", t.stack[len(t.stack)-1].Local)
		}
		return nil, err
	}
	// Tokens are returned as RawToken boxed them unless renamed: boxing a
	// StartElement again costs an allocation per element.
	switch x := tok.(type) {
	case xml.StartElement:
		t.stack = append(t.stack, x.Name)
		if t.short {
			x.Name.Local = reference(x.Name.Local)
			return x, nil
		}
	case xml.EndElement:
		if len(t.stack) == 0 {
			return nil, t.syntaxError("unexpected end element </%s>", x.Name.Local)
		}
		if top := t.stack[len(t.stack)-1]; top != x.Name {
			return nil, t.syntaxError("element <%s> closed by </%s>", top.Local, x.Name.Local)
		}
		t.stack = t.stack[:len(t.stack)-1]
		if t.short {
			x.Name.Local = reference(x.Name.Local)
			return x, nil
		}
	}
	return tok, nil
}

// reference returns the reference name of a short tag (or the tag itself
// when this package does not read it).
func reference(short string) string {
	if n, ok := shortNames[short]; ok {
		return n
	}
	return short
}

// skip consumes the rest of the element whose start tag was just read.
func (t *tokens) skip() error {
	depth := len(t.stack)
	for len(t.stack) >= depth {
		if _, err := t.next(); err != nil {
			return err
		}
	}
	return nil
}

// text returns the character data of the element whose start tag was just
// read, up to its end tag; the text of any child element is left out.
func (t *tokens) text() (string, error) {
	depth := len(t.stack)
	t.buf = t.buf[:0]
	for {
		tok, err := t.next()
		if err != nil {
			return "", err
		}
		switch x := tok.(type) {
		case xml.CharData:
			if len(t.stack) == depth {
				t.buf = append(t.buf, x...)
			}
		case xml.EndElement:
			if len(t.stack) < depth {
				return string(t.buf), nil
			}
		}
	}
}

// each calls fn for every child element of the element whose start tag was
// just read, until its end tag. fn must consume the child whole (with text,
// skip, each or richText); character data between children is ignored.
func (t *tokens) each(fn func(name string, start xml.StartElement) error) error {
	depth := len(t.stack)
	for {
		tok, err := t.next()
		if err != nil {
			return err
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if err := fn(x.Name.Local, x); err != nil {
				return err
			}
		case xml.EndElement:
			if len(t.stack) < depth {
				return nil
			}
		case xml.Directive:
			return ErrDoctype
		}
	}
}

// field reads a data element's text into *dst.
func (t *tokens) field(dst *string) error {
	s, err := t.text()
	*dst = s
	return err
}

// appendField reads a data element's text and appends it to *dst.
func (t *tokens) appendField(dst *[]string) error {
	s, err := t.text()
	*dst = append(*dst, s)
	return err
}

// present marks *dst and skips the element (for flags such as
// MainSubject).
func (t *tokens) present(dst *bool) error {
	*dst = true
	return t.skip()
}

// attr returns the value of the named attribute.
func attr(start xml.StartElement, name string) string {
	for _, a := range start.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (t *tokens) header(h *xmlHeader) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "Sender":
			return t.each(func(name string, _ xml.StartElement) error {
				if name == "SenderName" {
					return t.field(&h.SenderName)
				}
				return t.skip()
			})
		case "SentDateTime":
			return t.field(&h.SentDateTime)
		case "FromCompany":
			return t.present(&h.FromCompany)
		case "FromPerson":
			return t.present(&h.FromPerson)
		case "FromSAN":
			return t.present(&h.FromSAN)
		case "FromEANNumber":
			return t.present(&h.FromEANNumber)
		case "SentDate":
			return t.present(&h.SentDate)
		}
		return t.skip()
	})
}

func (t *tokens) product(x *xmlProduct) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "RecordReference":
			return t.field(&x.RecordReference)
		case "NotificationType":
			return t.field(&x.NotificationType)
		case "ProductIdentifier":
			var id xmlProductIdentifier
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "ProductIDType":
					return t.field(&id.Type)
				case "IDValue":
					return t.field(&id.Value)
				}
				return t.skip()
			})
			x.Identifiers = append(x.Identifiers, id)
			return err
		case "DescriptiveDetail":
			x.Descriptive = new(xmlDescriptive)
			return t.descriptive(x.Descriptive)
		case "CollateralDetail":
			x.Collateral = new(xmlCollateral)
			return t.collateral(x.Collateral)
		case "ContentDetail":
			return t.present(&x.Content)
		case "PublishingDetail":
			x.Publishing = new(xmlPublishing)
			return t.publishing(x.Publishing)
		case "RelatedMaterial":
			return t.present(&x.Related)
		case "ProductSupply":
			x.Supply = append(x.Supply, xmlProductSupply{})
			return t.supply(&x.Supply[len(x.Supply)-1])
		case "Title":
			return t.present(&x.Title21)
		case "ProductForm":
			return t.present(&x.ProductForm21)
		case "SupplyDetail":
			return t.present(&x.Supply21)
		}
		return t.skip()
	})
}

func (t *tokens) descriptive(d *xmlDescriptive) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "ProductComposition":
			return t.field(&d.Composition)
		case "ProductForm":
			return t.field(&d.Form)
		case "ProductFormDetail":
			return t.appendField(&d.FormDetails)
		case "Measure":
			var m xmlMeasure
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "MeasureType":
					return t.field(&m.Type)
				case "Measurement":
					return t.field(&m.Value)
				case "MeasureUnitCode":
					return t.field(&m.Unit)
				}
				return t.skip()
			})
			d.Measures = append(d.Measures, m)
			return err
		case "Collection":
			var c xmlCollection
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "CollectionType":
					return t.field(&c.Type)
				case "TitleDetail":
					return t.titleDetail(&c.TitleDetails)
				}
				return t.skip()
			})
			d.Collections = append(d.Collections, c)
			return err
		case "TitleDetail":
			return t.titleDetail(&d.TitleDetails)
		case "Contributor":
			d.Contributors = append(d.Contributors, xmlContributor{})
			return t.contributor(&d.Contributors[len(d.Contributors)-1])
		case "Language":
			var l xmlLanguage
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "LanguageRole":
					return t.field(&l.Role)
				case "LanguageCode":
					return t.field(&l.Code)
				}
				return t.skip()
			})
			d.Languages = append(d.Languages, l)
			return err
		case "Extent":
			var e xmlExtent
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "ExtentType":
					return t.field(&e.Type)
				case "ExtentValue":
					return t.field(&e.Value)
				case "ExtentUnit":
					return t.field(&e.Unit)
				}
				return t.skip()
			})
			d.Extents = append(d.Extents, e)
			return err
		case "Subject":
			var s xmlSubject
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "MainSubject":
					return t.present(&s.Main)
				case "SubjectSchemeIdentifier":
					return t.field(&s.Scheme)
				case "SubjectCode":
					return t.field(&s.Code)
				case "SubjectHeadingText":
					return t.field(&s.Heading)
				}
				return t.skip()
			})
			d.Subjects = append(d.Subjects, s)
			return err
		}
		return t.skip()
	})
}

func (t *tokens) titleDetail(dst *[]xmlTitleDetail) error {
	var td xmlTitleDetail
	err := t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "TitleType":
			return t.field(&td.Type)
		case "TitleElement":
			var e xmlTitleElement
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "TitleElementLevel":
					return t.field(&e.Level)
				case "PartNumber":
					return t.field(&e.PartNumber)
				case "TitleText":
					return t.field(&e.Text)
				case "TitlePrefix":
					return t.field(&e.Prefix)
				case "TitleWithoutPrefix":
					return t.field(&e.WithoutPrefix)
				case "Subtitle":
					return t.field(&e.Subtitle)
				}
				return t.skip()
			})
			td.Elements = append(td.Elements, e)
			return err
		}
		return t.skip()
	})
	*dst = append(*dst, td)
	return err
}

func (t *tokens) contributor(c *xmlContributor) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "SequenceNumber":
			return t.field(&c.Sequence)
		case "ContributorRole":
			return t.field(&c.Role)
		case "PersonName":
			return t.field(&c.PersonName)
		case "PersonNameInverted":
			return t.field(&c.PersonNameInverted)
		case "NamesBeforeKey":
			return t.field(&c.NamesBeforeKey)
		case "KeyNames":
			return t.field(&c.KeyNames)
		case "CorporateName":
			return t.field(&c.CorporateName)
		case "CorporateNameInverted":
			return t.field(&c.CorporateNameInverted)
		}
		return t.skip()
	})
}

func (t *tokens) collateral(c *xmlCollateral) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "TextContent":
			var tc xmlTextContent
			err := t.each(func(name string, start xml.StartElement) error {
				switch name {
				case "TextType":
					return t.field(&tc.Type)
				case "ContentAudience":
					return t.appendField(&tc.Audiences)
				case "Text":
					if len(tc.Texts) > 0 { // other languages: the first is kept
						return t.skip()
					}
					tc.Texts = append(tc.Texts, xmlText{})
					return t.richText(&tc.Texts[0], start)
				}
				return t.skip()
			})
			c.Texts = append(c.Texts, tc)
			return err
		case "SupportingResource":
			var r xmlSupportingResource
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "ResourceContentType":
					return t.field(&r.ContentType)
				case "ResourceMode":
					return t.field(&r.Mode)
				case "ResourceVersion":
					var v xmlResourceVersion
					err := t.each(func(name string, _ xml.StartElement) error {
						switch name {
						case "ResourceForm":
							return t.field(&v.Form)
						case "ResourceLink":
							return t.field(&v.Link)
						}
						return t.skip()
					})
					r.Versions = append(r.Versions, v)
					return err
				}
				return t.skip()
			})
			c.Resources = append(c.Resources, r)
			return err
		}
		return t.skip()
	})
}

func (t *tokens) publishing(p *xmlPublishing) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "Imprint":
			return t.each(func(name string, _ xml.StartElement) error {
				if name == "ImprintName" {
					return t.appendField(&p.Imprints)
				}
				return t.skip()
			})
		case "Publisher":
			var pub xmlPublisher
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "PublishingRole":
					return t.field(&pub.Role)
				case "PublisherName":
					return t.field(&pub.Name)
				}
				return t.skip()
			})
			p.Publishers = append(p.Publishers, pub)
			return err
		case "PublishingStatus":
			return t.field(&p.Status)
		case "PublishingDate":
			var d xmlPublishingDate
			err := t.dated(&d.Role, "PublishingDateRole", &d.Format, &d.Date)
			p.Dates = append(p.Dates, d)
			return err
		}
		return t.skip()
	})
}

// dated reads a date composite (PublishingDate, PriceDate): its role
// element, DateFormat and Date with its dateformat attribute.
func (t *tokens) dated(role *string, roleName string, format *string, date *xmlDate) error {
	return t.each(func(name string, start xml.StartElement) error {
		switch name {
		case roleName:
			return t.field(role)
		case "DateFormat":
			return t.field(format)
		case "Date":
			date.Format = attr(start, "dateformat")
			return t.field(&date.Value)
		}
		return t.skip()
	})
}

func (t *tokens) supply(s *xmlProductSupply) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "Market":
			return t.each(func(name string, _ xml.StartElement) error {
				if name == "Territory" {
					s.Market = append(s.Market, xmlTerritory{})
					return t.territory(&s.Market[len(s.Market)-1])
				}
				return t.skip()
			})
		case "SupplyDetail":
			var sd xmlSupplyDetail
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "ProductAvailability":
					return t.field(&sd.Availability)
				case "UnpricedItemType":
					return t.field(&sd.Unpriced)
				case "Price":
					sd.Prices = append(sd.Prices, xmlPrice{})
					return t.price(&sd.Prices[len(sd.Prices)-1])
				}
				return t.skip()
			})
			s.Details = append(s.Details, sd)
			return err
		}
		return t.skip()
	})
}

func (t *tokens) territory(x *xmlTerritory) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "CountriesIncluded":
			return t.field(&x.CountriesIncluded)
		case "RegionsIncluded":
			return t.field(&x.RegionsIncluded)
		case "CountriesExcluded":
			return t.field(&x.CountriesExcluded)
		case "RegionsExcluded":
			return t.field(&x.RegionsExcluded)
		}
		return t.skip()
	})
}

func (t *tokens) price(p *xmlPrice) error {
	return t.each(func(name string, _ xml.StartElement) error {
		switch name {
		case "PriceType":
			return t.field(&p.Type)
		case "PriceQualifier":
			return t.field(&p.Qualifier)
		case "PriceAmount":
			p.Amount = new(string)
			return t.field(p.Amount)
		case "UnpricedItemType":
			return t.field(&p.Unpriced)
		case "CurrencyCode":
			return t.field(&p.Currency)
		case "Territory":
			p.Territory = new(xmlTerritory)
			return t.territory(p.Territory)
		case "PriceDate":
			var d xmlPriceDate
			err := t.dated(&d.Role, "PriceDateRole", &d.Format, &d.Date)
			p.Dates = append(p.Dates, d)
			return err
		case "Tax":
			var x xmlTax
			err := t.each(func(name string, _ xml.StartElement) error {
				switch name {
				case "TaxType":
					return t.field(&x.Type)
				case "TaxRateCode":
					return t.field(&x.Code)
				case "TaxRatePercent":
					return t.field(&x.Percent)
				}
				return t.skip()
			})
			p.Taxes = append(p.Taxes, x)
			return err
		}
		return t.skip()
	})
}
