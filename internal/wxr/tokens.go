package wxr

import (
	"encoding/xml"
	"io"
	"strings"
)

// ns is a namespace this package reads, recognised by its URL.
type ns uint8

const (
	nsOther   ns = iota // any other namespace, or a prefix never declared
	nsNone              // no namespace: RSS 2.0's elements
	nsWP                // wp:
	nsExcerpt           // excerpt:
	nsContent           // content:
	nsDC                // dc:
)

// classify returns the namespace of a URL. WordPress has written
// http://wordpress.org/export/1.x/ since 2.1 and some exports (the theme
// unit test data) have https.
func classify(url string) ns {
	switch url {
	case "":
		return nsNone
	case "http://purl.org/rss/1.0/modules/content/":
		return nsContent
	case "http://purl.org/dc/elements/1.1/":
		return nsDC
	}
	rest, ok := strings.CutPrefix(url, "http://wordpress.org/export/")
	if !ok {
		rest, ok = strings.CutPrefix(url, "https://wordpress.org/export/")
	}
	if !ok {
		return nsOther
	}
	switch rest {
	case "1.0/", "1.1/", "1.2/":
		return nsWP
	case "1.0/excerpt/", "1.1/excerpt/", "1.2/excerpt/":
		return nsExcerpt
	}
	return nsOther
}

// frame is an open element.
type frame struct {
	// name is the element's name as written (prefix and local name).
	name xml.Name
	// binds is the number of namespace bindings in scope before the
	// element's own declarations.
	binds int
}

// binding is a namespace declaration in scope: xmlns:prefix="url", or
// xmlns="url" for the empty prefix.
type binding struct {
	prefix string
	ns     ns
}

// maxDepth bounds the nesting of elements and maxBindings the namespace
// declarations in scope. WXR nests five deep and declares six namespaces;
// a file with thousands of either is an attack on the element stack or on
// the time spent resolving names.
const (
	maxDepth    = 256
	maxBindings = 1024
)

// tokens reads a file's tokens with encoding/xml's RawToken, which neither
// resolves namespaces nor checks end tags: this reader keeps its own
// element stack and namespace scope, to check that every end tag closes
// the element it should (so a malformed file still fails) and to match
// elements by namespace URL. It is much faster than Token, which matters
// for exports of hundreds of thousands of comments.
type tokens struct {
	d     *xml.Decoder
	stack []frame
	binds []binding
	// buf gathers the character data of one field when it comes in more
	// than one piece (CDATA sections split around "]]>").
	buf []byte
}

// depth is the number of open elements (1 inside the root).
func (t *tokens) depth() int { return len(t.stack) }

// next returns the next token. Start elements are pushed with their
// namespace declarations, end elements checked and popped. A file that
// ends with elements open is truncated.
func (t *tokens) next() (xml.Token, error) {
	tok, err := t.d.RawToken()
	if err != nil {
		if err == io.EOF && len(t.stack) > 0 {
			return nil, detailf(ErrTruncated, "it ends inside <%s>", t.open())
		}
		return nil, err
	}
	switch x := tok.(type) {
	case xml.StartElement:
		if len(t.stack) == maxDepth {
			return nil, detailf(ErrXML, "elements nested more than %d deep", maxDepth)
		}
		t.stack = append(t.stack, frame{name: x.Name, binds: len(t.binds)})
		for _, a := range x.Attr {
			switch {
			case a.Name.Space == "xmlns":
				t.binds = append(t.binds, binding{prefix: a.Name.Local, ns: classify(a.Value)})
			case a.Name.Space == "" && a.Name.Local == "xmlns":
				t.binds = append(t.binds, binding{ns: classify(a.Value)})
			}
		}
		if len(t.binds) > maxBindings {
			return nil, detailf(ErrXML, "more than %d namespace declarations in scope", maxBindings)
		}
	case xml.EndElement:
		if len(t.stack) == 0 {
			return nil, detailf(ErrXML, "unexpected end tag </%s>", qname(x.Name))
		}
		top := t.stack[len(t.stack)-1]
		if top.name != x.Name {
			return nil, detailf(ErrXML, "element <%s> closed by </%s>", qname(top.name), qname(x.Name))
		}
		t.binds = t.binds[:top.binds]
		t.stack = t.stack[:len(t.stack)-1]
	}
	return tok, nil
}

// open returns the name of the innermost open element.
func (t *tokens) open() string {
	return qname(t.stack[len(t.stack)-1].name)
}

// resolve returns the namespace of an element name as written, in the
// current scope (the element's own declarations included, as XML
// Namespaces says).
func (t *tokens) resolve(name xml.Name) ns {
	for i := len(t.binds) - 1; i >= 0; i-- {
		if t.binds[i].prefix == name.Space {
			return t.binds[i].ns
		}
	}
	if name.Space == "" {
		return nsNone
	}
	return nsOther
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

// text is the character data of a field.
type text struct {
	s string
	// size is the length of the text in bytes; over the limit, s is
	// empty.
	size int
	// child is the first element found inside the field, if any.
	child string
}

// text reads the character data of the element whose start tag was just
// read, up to its end tag, keeping at most limit bytes. Elements inside it
// are skipped and the first one named: WordPress escapes HTML or puts it
// in CDATA, so markup there is a generator's mistake.
func (t *tokens) text(limit int) (text, error) {
	depth := len(t.stack)
	var res text
	pieces := 0
	for {
		tok, err := t.next()
		if err != nil {
			return res, err
		}
		switch x := tok.(type) {
		case xml.CharData:
			if len(t.stack) != depth {
				continue
			}
			res.size += len(x)
			if res.size > limit {
				res.s, t.buf = "", t.buf[:0]
				continue
			}
			// Most fields come in one piece: convert it directly; copy
			// into buf only when a second piece comes.
			switch pieces++; pieces {
			case 1:
				res.s = string(x)
			case 2:
				t.buf = append(append(t.buf[:0], res.s...), x...)
			default:
				t.buf = append(t.buf, x...)
			}
		case xml.StartElement:
			if res.child == "" {
				res.child = qname(x.Name)
			}
		case xml.Directive:
			return res, detailf(ErrXML, "a <!%s> declaration inside an element", clip(string(x), 20))
		case xml.EndElement:
			if len(t.stack) >= depth {
				continue
			}
			if pieces > 1 && res.size <= limit {
				res.s = string(t.buf)
			}
			// Let a huge field's buffer go rather than hold it for the
			// rest of the file.
			if cap(t.buf) > 1<<20 {
				t.buf = nil
			}
			return res, nil
		}
	}
}

// attr returns the value of the attribute with no namespace named local.
func attr(start xml.StartElement, local string) (string, bool) {
	for _, a := range start.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// qname returns a name as written: "prefix:local" or "local".
func qname(n xml.Name) string {
	if n.Space == "" {
		return clip(n.Local, 60)
	}
	return clip(n.Space+":"+n.Local, 60)
}
