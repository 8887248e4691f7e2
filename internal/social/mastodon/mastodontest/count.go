package mastodontest

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/rivo/uniseg"
)

// urlPlaceholderChars is what every link counts, whatever its length
// (StatusLengthValidator::URL_PLACEHOLDER_CHARS).
const urlPlaceholderChars = 23

// urlPattern finds links with a scheme, as twitter-text's extractor does
// with extract_url_without_protocol off; trailing punctuation is trimmed by
// trimURL.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// mentionPattern finds @user and @user@domain mentions (Account::MENTION_RE).
var mentionPattern = regexp.MustCompile(`(?i)(^|[^=/\pL\pN_])@([a-z0-9_]+(?:[a-z0-9_.\-]+[a-z0-9_]+)?)(@[\pL\pN_.\-]+[\pL\pN_]+)?`)

// CountLength returns a status's length as Mastodon's StatusLengthValidator
// counts it: the content warning plus the text, where each link counts 23
// and a mention of a remote account only its @username part, in grapheme
// clusters.
func CountLength(text, spoilerText string) int {
	return uniseg.GraphemeClusterCount(spoilerText + countableText(text))
}

func countableText(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	var b strings.Builder
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		end := m[0] + len(trimURL(text[m[0]:m[1]]))
		b.WriteString(text[last:m[0]])
		b.WriteString(strings.Repeat("x", urlPlaceholderChars))
		last = end
	}
	b.WriteString(text[last:])
	return mentionPattern.ReplaceAllString(b.String(), "$1@$2")
}

// trimURL drops the punctuation that ends a sentence after a link, and a
// closing parenthesis the link did not open.
func trimURL(u string) string {
	for u != "" {
		r, size := utf8.DecodeLastRuneInString(u)
		switch {
		case strings.ContainsRune(".,;:!?'\"’…]", r):
		case r == ')' && strings.Count(u, "(") < strings.Count(u, ")"):
		default:
			return u
		}
		u = u[:len(u)-size]
	}
	return u
}
