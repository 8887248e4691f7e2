package onix

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// maxHeaderBytes caps what comes before the first product (XML
// declaration, DOCTYPE, root element, Header).
const maxHeaderBytes = 1 << 20

// The namespaces of ONIX 3.0 messages: reference names or short tags, at
// EDItEUR's current address or the older one some feeds still use.
var namespaces = map[string]bool{
	"http://ns.editeur.org/onix/3.0/reference":  false,
	"http://ns.editeur.org/onix/3.0/short":      true,
	"http://www.editeur.org/onix/3.0/reference": false,
	"http://www.editeur.org/onix/3.0/short":     true,
}

// Header is what the reader keeps of the message header.
type Header struct {
	SenderName   string
	SentDateTime string
}

// Reader reads the products of one ONIX 3.0 message in order. It is not
// safe for concurrent use.
type Reader struct {
	// Release is the message's release attribute ("3.0"), ShortTags
	// whether it uses short tags, Header its header.
	Release   string
	ShortTags bool
	Header    Header
	// Warnings lists what is wrong with the message but does not stop
	// reading it (a header without Sender…).
	Warnings []string

	in  *budgetReader
	dec *xml.Decoder
	tok *tokens

	// inferred is true when the message declares neither release nor
	// namespace and no header settled the version: the first product
	// decides.
	inferred bool
	pending  *xml.StartElement
	line     int // of pending
	index    int
	err      error
}

// NewReader reads the start of an ONIX message (up to its header) and
// returns a Reader for its products. It refuses, with a *FatalError, what
// is not an ONIX 3.0 message: ONIX 2.1 (ErrVersion), another root element
// (ErrRoot) or namespace (ErrNamespace), a DOCTYPE declaring entities
// (ErrDoctype), malformed XML.
func NewReader(r io.Reader) (*Reader, error) {
	rd := &Reader{in: &budgetReader{r: r, left: maxHeaderBytes}}
	rd.dec = xml.NewDecoder(rd.in)
	rd.dec.CharsetReader = charsetReader
	// Named HTML entities (&eacute;, &nbsp;) are not XML but some feeds
	// send them; this fixed table is accepted, declared entities never are.
	rd.dec.Entity = xml.HTMLEntity
	rd.tok = &tokens{d: rd.dec}
	if err := rd.readRoot(); err != nil {
		return nil, rd.fatal(err)
	}
	if err := rd.readHeader(); err != nil {
		return nil, rd.fatal(err)
	}
	return rd, nil
}

// readRoot reads up to the root element and checks it.
func (r *Reader) readRoot() error {
	for {
		tok, err := r.tok.next()
		if err == io.EOF {
			return errors.New("no root element: empty document")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			if err := checkDirective(t); err != nil {
				return err
			}
		case xml.StartElement:
			return r.checkRoot(t)
		}
	}
}

// checkDirective refuses a DOCTYPE with an internal subset (entity
// declarations) and recognises ONIX 2.1's DTD.
func checkDirective(d xml.Directive) error {
	s := string(d)
	if strings.ContainsRune(s, '[') || strings.Contains(s, "ENTITY") {
		return ErrDoctype
	}
	if strings.Contains(s, "onix/2.1") || strings.Contains(s, "ONIX 2.1") {
		return fmt.Errorf("%w: the DOCTYPE names the ONIX 2.1 DTD", ErrVersion)
	}
	return nil
}

func (r *Reader) checkRoot(root xml.StartElement) error {
	switch root.Name.Local {
	case "ONIXMessage":
	case "ONIXmessage":
		r.ShortTags = true
	default:
		return fmt.Errorf("%w: it is <%s>", ErrRoot, clip(root.Name.Local))
	}
	var ns string
	for _, a := range root.Attr {
		switch {
		case a.Name.Space == "" && a.Name.Local == "release":
			r.Release = strings.TrimSpace(a.Value)
		case root.Name.Space == "" && a.Name.Space == "" && a.Name.Local == "xmlns",
			root.Name.Space != "" && a.Name.Space == "xmlns" && a.Name.Local == root.Name.Space:
			ns = strings.TrimSpace(a.Value)
		}
	}
	if r.Release != "" && !strings.HasPrefix(r.Release, "3.") {
		return fmt.Errorf("%w: this message is release %q", ErrVersion, clip(r.Release))
	}
	short, known := namespaces[ns]
	switch {
	case strings.Contains(ns, "onix/2.1"):
		return fmt.Errorf("%w: the namespace %s is ONIX 2.1's", ErrVersion, clip(ns))
	case ns != "" && !known:
		return fmt.Errorf("%w: %q", ErrNamespace, clip(ns))
	case ns != "" && short != r.ShortTags:
		return fmt.Errorf("%w: %s does not match the root element <%s>", ErrNamespace, ns, root.Name.Local)
	}
	r.inferred = r.Release == "" && ns == ""
	r.tok.short = r.ShortTags
	return nil
}

// readHeader reads the Header (or the first Product, kept for Next).
func (r *Reader) readHeader() error {
	for {
		tok, err := r.tok.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.Directive:
			return ErrDoctype
		case xml.EndElement:
			r.err = io.EOF // a message without products
			return nil
		case xml.StartElement:
			switch t.Name.Local {
			case "Header":
				var h xmlHeader
				if err := r.tok.header(&h); err != nil {
					return err
				}
				if h.FromCompany || h.FromPerson || h.FromSAN || h.FromEANNumber || h.SentDate {
					return fmt.Errorf("%w: the header is ONIX 2.1's (FromCompany, SentDate…)", ErrVersion)
				}
				r.Header = Header{SenderName: clip(h.SenderName), SentDateTime: clip(h.SentDateTime)}
				if clean(h.SenderName) == "" {
					r.Warnings = append(r.Warnings, "the header has no Sender/SenderName (required by ONIX 3.0)")
				}
				r.inferred = false
				return nil
			case "Product":
				line, _ := r.dec.InputPos()
				r.pending, r.line = &t, line
				r.Warnings = append(r.Warnings, "the message has no Header (required by ONIX 3.0)")
				return nil
			default:
				if err := r.tok.skip(); err != nil {
					return err
				}
			}
		}
	}
}

// Next returns the next product. At the end of the message it returns
// io.EOF. A record that cannot be imported gives a *ProductError: call
// Next again for the following one. Any other error is a *FatalError that
// ends the stream (Next keeps returning it).
func (r *Reader) Next() (*Product, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		if r.pending != nil {
			line := r.line
			r.pending = nil
			return r.product(line)
		}
		r.in.left = MaxProductBytes
		tok, err := r.tok.next()
		if err != nil {
			return nil, r.fatal(err)
		}
		switch t := tok.(type) {
		case xml.EndElement: // the root's: products are read whole
			r.err = io.EOF
			return nil, io.EOF
		case xml.Directive:
			return nil, r.fatal(ErrDoctype)
		case xml.StartElement:
			if t.Name.Local != "Product" {
				if err := r.tok.skip(); err != nil {
					return nil, r.fatal(err)
				}
				continue
			}
			line, _ := r.dec.InputPos()
			return r.product(line)
		}
	}
}

// product reads the record whose start tag was just read.
func (r *Reader) product(line int) (*Product, error) {
	r.index++
	r.in.left = MaxProductBytes
	var x xmlProduct
	if err := r.tok.product(&x); err != nil {
		return nil, r.fatal(err)
	}
	if x.Descriptive == nil && (x.Title21 || x.ProductForm21 || x.Supply21) {
		if r.inferred {
			return nil, r.fatal(fmt.Errorf("%w: the products are ONIX 2.1 records (Title, ProductForm outside DescriptiveDetail)", ErrVersion))
		}
		return nil, &ProductError{Index: r.index, Line: line, RecordRef: clip(x.RecordReference),
			Code: CodeVersion, Reason: "an ONIX 2.1 record (Title, ProductForm outside DescriptiveDetail) in an ONIX 3.0 message"}
	}
	r.inferred = false
	p := &Product{Index: r.index, Line: line}
	if sk := convert(&x, p); sk != nil {
		return nil, &ProductError{Index: r.index, Line: line, RecordRef: clip(x.RecordReference), Code: sk.code, Reason: sk.reason}
	}
	return p, nil
}

// fatal records err, with the position, as the error that ends the
// stream.
func (r *Reader) fatal(err error) error {
	var fe *FatalError
	if !errors.As(err, &fe) {
		line, col := r.dec.InputPos()
		fe = &FatalError{Line: line, Column: col, Offset: r.dec.InputOffset(), Err: err}
	}
	r.err = fe
	return fe
}

// budgetReader fails with ErrTooLarge once more than left bytes are read;
// the reader sets left before the header and before each product.
type budgetReader struct {
	r    io.Reader
	left int64
}

// Read reads from the underlying reader within the budget.
func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	return n, err
}

// charsetReader decodes the encodings older feeds declare (ISO-8859-1,
// windows-1252, ISO-8859-15) into UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unsupported encoding %q: %w", label, err)
	}
	return enc.NewDecoder().Reader(in), nil
}
