package vocab

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Marshal encodes an emitted document as it is served: compact, UTF-8, and
// without encoding/json's escaping of <, > and & (which only matters for
// JSON inlined in HTML, and would make every HTML content unreadable).
func Marshal(v any) ([]byte, error) {
	return encode(v, "")
}

// MarshalIndent is Marshal with two-space indentation, for golden files and
// for people reading a document.
func MarshalIndent(v any) ([]byte, error) {
	return encode(v, "  ")
}

func encode(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
