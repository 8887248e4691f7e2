package wxr

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/encoding/htmlindex"
)

// sniff reads the first bytes of src to refuse, with a clear reason, what
// is plainly not an XML file in an encoding encoding/xml reads (a zipped
// export, UTF-16), and skips a UTF-8 byte order mark, which encoding/xml
// would take for text. It returns a reader of the rest of src.
func sniff(src io.Reader) (io.Reader, error) {
	var head [4]byte
	n, err := io.ReadFull(src, head[:])
	if err != nil && err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, err
	}
	b := head[:n]
	switch {
	case n == 0:
		return nil, detailf(ErrNotWXR, "the file is empty")
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return nil, detailf(ErrNotWXR, "it is a ZIP archive (WordPress.com sends exports zipped): unzip it and give the .xml file inside")
	case bytes.HasPrefix(b, []byte("\x1f\x8b")):
		return nil, detailf(ErrNotWXR, "it is gzip-compressed: decompress it first")
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		return nil, detailf(ErrEncoding, "the file is in UTF-16: convert it to UTF-8")
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		b = b[3:]
	}
	return io.MultiReader(bytes.NewReader(b), src), nil
}

// budgetReader fails with ErrTooLarge once more than left bytes are read;
// the reader sets left before the channel header and before each element
// of the channel, which bounds what encoding/xml buffers (it holds a text
// run, however long, in memory whole).
type budgetReader struct {
	r    io.Reader
	left int
}

// Read reads from the underlying reader within the budget.
func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, ErrTooLarge
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= n
	return n, err
}

// controlFilter reads C0 control characters other than tab, line feed and
// carriage return as spaces. XML forbids them, but text pasted from word
// processors brings them into WordPress posts (a vertical tab for a line
// break), and WordPress exports them as they are; its own importer falls
// back to regular expressions on such files. A space keeps offsets and
// lines as they are in the file; the reader reports how many were
// replaced, and where the first one was.
type controlFilter struct {
	r io.Reader
	// count is the number of characters replaced; line is the line of the
	// first (lines counts the line feeds read before it).
	count int
	line  int
	lines int
}

// Read reads from the underlying reader, replacing control characters.
func (c *controlFilter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b >= 0x20 || b == '\t' || b == '\n' || b == '\r' {
			continue
		}
		if c.count == 0 {
			c.line = c.lines + bytes.Count(p[:i], []byte{'\n'}) + 1
		}
		p[i] = ' '
		c.count++
	}
	if c.count == 0 {
		c.lines += bytes.Count(p[:n], []byte{'\n'})
	}
	return n, err
}

// charsetReader decodes the encodings old WordPress sites declare
// (ISO-8859-1, windows-1252…) into UTF-8.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, &detailError{kind: ErrEncoding, detail: fmt.Sprintf("the file declares the encoding %q, which cannot be read", clip(label, 40)), cause: err}
	}
	return enc.NewDecoder().Reader(in), nil
}
