package textproc

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnknownStyle is returned when a typography style name or value is not
// one of the styles this package knows.
var ErrUnknownStyle = errors.New("unknown typography style")

// Style selects the typographic rules applied to text, so that one site can
// follow French (France) conventions and another Québec or English ones.
type Style int

const (
	// StyleNone leaves text as written (English sites).
	StyleNone Style = iota
	// StyleFrench applies fr-FR rules: U+202F narrow no-break space before
	// ; ! ? and », and after «; U+00A0 no-break space before :; typographic
	// apostrophe ’.
	StyleFrench
	// StyleFrenchCanada applies fr-CA rules (OQLF web practice): no space
	// before ; ! ?, U+00A0 before : and inside « »; typographic apostrophe ’.
	StyleFrenchCanada
)

// ParseStyle returns the Style named by s ("none", "fr-FR" or "fr-CA", case
// insensitive; "" means none), so that configuration can name a style.
func ParseStyle(s string) (Style, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "none":
		return StyleNone, nil
	case "fr-fr":
		return StyleFrench, nil
	case "fr-ca":
		return StyleFrenchCanada, nil
	}
	return StyleNone, fmt.Errorf("parse style %q: %w", s, ErrUnknownStyle)
}

// String returns the name ParseStyle accepts for s.
func (s Style) String() string {
	switch s {
	case StyleNone:
		return "none"
	case StyleFrench:
		return "fr-FR"
	case StyleFrenchCanada:
		return "fr-CA"
	}
	return fmt.Sprintf("Style(%d)", int(s))
}

// MarshalText encodes s by name, so a Style can sit in a configuration struct.
func (s Style) MarshalText() ([]byte, error) {
	if _, ok := s.spacing(); !ok && s != StyleNone {
		return nil, fmt.Errorf("marshal style %d: %w", int(s), ErrUnknownStyle)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a style name as ParseStyle does.
func (s *Style) UnmarshalText(text []byte) error {
	v, err := ParseStyle(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// valid reports whether s is one of the declared styles.
func (s Style) valid() bool {
	return s == StyleNone || s == StyleFrench || s == StyleFrenchCanada
}

// spacing holds what a style puts before or after each mark. Each ok field
// lists the single characters already accepted as correct in that place, so
// that an author's deliberate choice (U+00A0 as a fallback for U+202F, say) is
// left alone and running the rules twice changes nothing.
type spacing struct {
	high, highOK           string // before ; ! ?
	colon, colonOK         string // before :
	guillemet, guillemetOK string // inside « »
}

// spacing returns the rules of s; ok is false for StyleNone and unknown
// values, which mean "leave the text alone".
func (s Style) spacing() (sp spacing, ok bool) {
	switch s {
	case StyleFrench:
		return spacing{
			high: nnbsp, highOK: nnbsp + nbsp,
			colon: nbsp, colonOK: nbsp + nnbsp,
			guillemet: nnbsp, guillemetOK: nnbsp,
		}, true
	case StyleFrenchCanada:
		return spacing{
			high: "", highOK: nnbsp,
			colon: nbsp, colonOK: nbsp + nnbsp,
			guillemet: nbsp, guillemetOK: nbsp,
		}, true
	}
	return spacing{}, false
}
