package vocab

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Limits every accepted document is checked against before it is decoded, so
// that a hostile peer cannot make the inbox allocate or recurse without bound.
const (
	// MaxDocumentSize is the largest document accepted, in bytes. Mastodon's
	// own limit for inbox bodies is in the same range; a long article with
	// its HTML fits well under it.
	MaxDocumentSize = 256 << 10
	// MaxDepth is the deepest nesting of arrays and objects accepted. Real
	// activities stay under 8 (an Undo of a Follow with an @context map).
	MaxDepth = 32
)

// checkLimits verifies that data is at most MaxDocumentSize bytes and is one
// JSON object nested at most MaxDepth levels, by walking its tokens with a
// json.Decoder: the depth is known before anything is unmarshalled.
func checkLimits(data []byte) error {
	if len(data) > MaxDocumentSize {
		return fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxDocumentSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	depth := 0
	for first := true; ; first = false {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		delim, isDelim := tok.(json.Delim)
		if first && delim != '{' {
			return fmt.Errorf("%w: not a JSON object", ErrMalformed)
		}
		if !isDelim {
			continue
		}
		switch delim {
		case '{', '[':
			depth++
			if depth > MaxDepth {
				return fmt.Errorf("%w: more than %d levels", ErrTooDeep, MaxDepth)
			}
		case '}', ']':
			depth--
		}
		if depth == 0 {
			break
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: data after the document", ErrMalformed)
	}
	return nil
}
