package telegramtest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// htmlTags are the tags parse_mode HTML supports (Bot API, "HTML style").
var htmlTags = map[string]bool{
	"b": true, "strong": true, "i": true, "em": true, "u": true, "ins": true, "s": true, "strike": true,
	"del": true, "span": true, "tg-spoiler": true, "a": true, "tg-emoji": true, "code": true, "pre": true,
	"blockquote": true,
}

var (
	tagPattern    = regexp.MustCompile(`^<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>`)
	entityPattern = regexp.MustCompile(`^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});`)
)

// parseHTML returns the text readers see of an HTML-formatted message,
// refusing what the Bot API refuses: an unsupported tag, a "<" that opens
// no tag, a tag not closed or closed out of order.
func parseHTML(s string) (string, error) {
	var b strings.Builder
	var open []string
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			m := tagPattern.FindStringSubmatch(s[i:])
			if m == nil {
				return "", fmt.Errorf("unsupported start tag at byte offset %d", i)
			}
			name := strings.ToLower(m[2])
			if !htmlTags[name] {
				return "", fmt.Errorf("unsupported start tag %q at byte offset %d", name, i)
			}
			if m[1] == "/" {
				if len(open) == 0 || open[len(open)-1] != name {
					return "", fmt.Errorf("unmatched end tag at byte offset %d, expected \"</%s>\", found \"</%s>\"", i, last(open), name)
				}
				open = open[:len(open)-1]
			} else {
				open = append(open, name)
			}
			i += len(m[0])
		case '&':
			m := entityPattern.FindStringSubmatch(s[i:])
			if m == nil {
				// An "&" that starts no entity is kept as it is.
				b.WriteByte('&')
				i++
				continue
			}
			b.WriteString(decodeEntity(m[1]))
			i += len(m[0])
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("can't find end tag corresponding to start tag %q", last(open))
	}
	return b.String(), nil
}

func last(open []string) string {
	if len(open) == 0 {
		return ""
	}
	return open[len(open)-1]
}

func decodeEntity(e string) string {
	switch e {
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "amp":
		return "&"
	case "quot":
		return `"`
	}
	var n uint64
	if strings.HasPrefix(e, "#x") {
		n, _ = strconv.ParseUint(e[2:], 16, 32)
	} else {
		n, _ = strconv.ParseUint(e[1:], 10, 32)
	}
	return string(rune(n)) //nolint:gosec // G115: at most 7 digits or 6 hex digits, within int32
}
