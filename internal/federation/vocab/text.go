package vocab

import (
	"html"
	"strings"
	"unicode"
)

// HashtagName turns a tag's label into the hashtag Mastodon recognises,
// "#" included: words are joined and each word after the first starts with
// a capital ("Élections municipales" gives "#ÉlectionsMunicipales",
// "l’économie" gives "#lÉconomie"), as the WordPress plugin's esc_hashtag
// does. It returns "" when the label has no letter, since Mastodon does not
// take "#2026" for a hashtag.
func HashtagName(label string) string {
	var b strings.Builder
	upperNext, hasLetter := false, false
	for _, r := range label {
		switch {
		case unicode.IsLetter(r) || r == '_':
			hasLetter = true
			fallthrough
		case unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if upperNext && b.Len() > 0 {
				r = unicode.ToUpper(r)
			}
			upperNext = false
			b.WriteRune(r)
		default:
			upperNext = true
		}
	}
	if !hasLetter {
		return ""
	}
	return "#" + b.String()
}

// textToHTML turns plain text into paragraphs: a blank line separates two
// paragraphs, a single line break becomes <br>. The text is escaped.
func textToHTML(text string) string {
	text = strings.ReplaceAll(strings.TrimSpace(text), "\r\n", "\n")
	if text == "" {
		return ""
	}
	var b strings.Builder
	for para := range strings.SplitSeq(text, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}

// hashtagLink is a hashtag in HTML as Mastodon writes it, so its sanitizer
// keeps the classes and shows the link as a hashtag.
func hashtagLink(t Tag) string {
	return `<a href="` + html.EscapeString(t.Href) + `" class="mention hashtag" rel="tag">#<span>` +
		html.EscapeString(strings.TrimPrefix(t.Name, "#")) + `</span></a>`
}

// linkHTML is a plain link showing its own address.
func linkHTML(u string) string {
	e := html.EscapeString(u)
	return `<a href="` + e + `">` + e + `</a>`
}
