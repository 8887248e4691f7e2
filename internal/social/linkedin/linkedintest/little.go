package linkedintest

import (
	"strings"
	"unicode"
)

// This file reads commentary in LinkedIn's « little » format as LinkedIn
// shows it, written apart from the client's escaper so that one mistake
// cannot pass on both sides.

// littleReserved are the format's reserved characters.
const littleReserved = `\|{}@[]()<>#*_~`

// rendered is commentary as readers see it.
type rendered struct {
	Text     string
	Hashtags []string
	Mentions []string
	// Cut is set when a bare reserved character that starts no element
	// cut the post short there, as LinkedIn does while answering 201.
	Cut bool
}

// render reads commentary: `\x` is x; `#word` a hashtag; `@[Name](urn)`
// a mention; `{hashtag|\#|word}` a hashtag template.
func render(commentary string) rendered {
	var out rendered
	var b strings.Builder
	rs := []rune(commentary)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\':
			if i+1 == len(rs) {
				out.Cut = true
				out.Text = b.String()
				return out
			}
			i++
			b.WriteRune(rs[i])
		case r == '#' && (i == 0 || !wordRune(rs[i-1])) && i+1 < len(rs) && wordRune(rs[i+1]):
			j := i + 1
			for j < len(rs) && wordRune(rs[j]) {
				j++
			}
			tag := string(rs[i+1 : j])
			b.WriteString("#" + tag)
			out.Hashtags = append(out.Hashtags, tag)
			i = j - 1
		case r == '@' && strings.HasPrefix(string(rs[i:]), "@["):
			rest := string(rs[i+2:])
			name, after, ok1 := strings.Cut(rest, "](")
			urn, _, ok2 := strings.Cut(after, ")")
			if !ok1 || !ok2 || !strings.HasPrefix(urn, "urn:li:") {
				out.Cut = true
				out.Text = b.String()
				return out
			}
			b.WriteString(name)
			out.Mentions = append(out.Mentions, urn)
			i += 2 + len([]rune(name)) + 2 + len([]rune(urn))
		case r == '{' && strings.HasPrefix(string(rs[i:]), `{hashtag|\#|`):
			rest := string(rs[i+len(`{hashtag|\#|`):])
			tag, _, ok := strings.Cut(rest, "}")
			if !ok {
				out.Cut = true
				out.Text = b.String()
				return out
			}
			b.WriteString("#" + tag)
			out.Hashtags = append(out.Hashtags, tag)
			i += len([]rune(`{hashtag|\#|`)) + len([]rune(tag))
		case strings.ContainsRune(littleReserved, r):
			out.Cut = true
			out.Text = b.String()
			return out
		default:
			b.WriteRune(r)
		}
	}
	out.Text = b.String()
	return out
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}
