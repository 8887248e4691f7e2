package locale

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language kiosque speaks, identified by its ISO 639-1 code.
type Lang string

// The languages kiosque supports. French is the primary language: it is the
// fallback wherever a language is unknown.
const (
	French  Lang = "fr"
	English Lang = "en"
)

// ErrUnsupportedLang is the error wrapped by ParseLang for a language kiosque
// does not speak, or a string that is not a language tag.
var ErrUnsupportedLang = errors.New("unsupported language")

// Langs returns the supported languages, French first.
func Langs() []Lang {
	return []Lang{French, English}
}

// ParseLang returns the supported language of a BCP 47 tag or POSIX-style
// locale name, whatever its region and case: "fr", "fr-FR", "FR", "fr_CA"
// and "fra" are French; "en", "en-GB" and "en_US" are English. Any other
// language, and anything that is not a tag, returns an error wrapping
// ErrUnsupportedLang.
func ParseLang(s string) (Lang, error) {
	tag, err := language.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("parse language %q: %w: %w", s, ErrUnsupportedLang, err)
	}
	base, conf := tag.Base()
	if conf != language.Exact {
		return "", fmt.Errorf("parse language %q: %w", s, ErrUnsupportedLang)
	}
	l := Lang(base.String())
	if !l.Supported() {
		return "", fmt.Errorf("parse language %q: %w", s, ErrUnsupportedLang)
	}
	return l, nil
}

// Negotiate picks the supported language a reader prefers from the value of
// an Accept-Language header, honouring quality weights (q=0 excludes a
// language), and returns fallback when none is supported or the header is
// malformed.
func Negotiate(acceptLanguage string, fallback Lang) Lang {
	tags, weights, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return fallback
	}
	// ParseAcceptLanguage returns the tags sorted by decreasing weight.
	for i, tag := range tags {
		if weights[i] <= 0 {
			continue
		}
		base, conf := tag.Base()
		if conf != language.Exact {
			continue
		}
		if l := Lang(base.String()); l.Supported() {
			return l
		}
	}
	return fallback
}

// Supported reports whether l is one of the languages kiosque speaks.
func (l Lang) Supported() bool {
	return l == French || l == English
}

// Tag returns the BCP 47 tag of l, for <html lang> and hreflang: "fr" or
// "en". An unsupported Lang returns its own string.
func (l Lang) Tag() string {
	return string(l)
}

// OGLocale returns the Open Graph locale of l ("fr_FR" or "en_US"), for the
// og:locale meta property. An unsupported Lang returns "".
func (l Lang) OGLocale() string {
	switch l {
	case French:
		return "fr_FR"
	case English:
		return "en_US"
	}
	return ""
}

// Name returns the name of l in l itself ("Français", "English"), for a
// language switcher. An unsupported Lang returns its own string.
func (l Lang) Name() string {
	switch l {
	case French:
		return "Français"
	case English:
		return "English"
	}
	return string(l)
}
