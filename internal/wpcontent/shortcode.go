package wpcontent

import (
	"html"
	"regexp"
	"strconv"
	"strings"
)

// shortcodeMatch is one shortcode found as WordPress's get_shortcode_regex
// finds it: [name attrs], [name attrs /], [name attrs]content[/name], each
// optionally escaped as [[…]].
type shortcodeMatch struct {
	start, end   int // s[start:end] is the whole match, brackets included
	name, attrs  string
	content      string
	hasContent   bool
	openEscaped  bool // "[[" (group 1 of the regex)
	closeEscaped bool // "]]" (group 6)
}

// handledShortcodes are the shortcodes Convert turns into HTML; any other
// is text, as on a WordPress site without the plugin that defined it.
var handledShortcodes = map[string]bool{
	"caption": true, "wp_caption": true, "gallery": true,
	"embed": true, "audio": true, "video": true,
}

func isASCIILetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// isNameByte reports whether c may be part of a shortcode name as
// get_shortcode_regex reads it (\w and '-').
func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// matchShortcode matches a shortcode whose name known accepts at s[i] ==
// '['. It follows get_shortcode_regex: the name is not followed by a word
// character or '-', the attributes run to the first ']', a '/' before it
// makes the shortcode self-closing, otherwise the content runs to the
// first "[/name]" if there is one.
func matchShortcode(s string, i int, known func(string) bool) (shortcodeMatch, bool) {
	m := shortcodeMatch{start: i}
	j := i + 1
	if j < len(s) && s[j] == '[' {
		m.openEscaped = true
		j++
	}
	n := j
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	m.name = s[j:n]
	if m.name == "" || !known(m.name) {
		return m, false
	}
	rb := strings.IndexByte(s[n:], ']')
	if rb < 0 {
		return m, false
	}
	rb += n
	m.end = rb + 1
	if rb > n && s[rb-1] == '/' {
		m.attrs = s[n : rb-1]
	} else {
		m.attrs = s[n:rb]
		closer := "[/" + m.name + "]"
		if k := strings.Index(s[m.end:], closer); k >= 0 {
			m.content = s[m.end : m.end+k]
			m.hasContent = true
			m.end += k + len(closer)
		}
	}
	if m.end < len(s) && s[m.end] == ']' {
		m.closeEscaped = true
		m.end++
	}
	return m, true
}

// reShortcodeAttr is shortcode_parse_atts's pattern: name="v", name='v',
// name=v, "v", 'v' and bare v.
var reShortcodeAttr = regexp.MustCompile(`([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)`)

// parseAttrs is shortcode_parse_atts: named attributes with lower-case
// names, and positional values under "0", "1"…
func parseAttrs(text string) map[string]string {
	text = strings.NewReplacer("\u00a0", " ", "\u200b", " ").Replace(text)
	atts := make(map[string]string)
	pos := 0
	for _, m := range reShortcodeAttr.FindAllStringSubmatch(text, -1) {
		switch {
		case m[1] != "":
			atts[strings.ToLower(m[1])] = m[2]
		case m[3] != "":
			atts[strings.ToLower(m[3])] = m[4]
		case m[5] != "":
			atts[strings.ToLower(m[5])] = m[6]
		default:
			v := m[7] + m[8] + m[9]
			atts[strconv.Itoa(pos)] = v
			pos++
		}
	}
	return atts
}

// reCaptionImage splits a caption's content as img_caption_shortcode does
// when there is no caption attribute: the image (perhaps in a link), then
// the caption text.
var reCaptionImage = regexp.MustCompile(`(?is)((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)`)

// shortcodes replaces the handled shortcodes of s by their HTML and counts
// the others in the report. As WordPress's shortcode_unautop does, a
// shortcode alone in a paragraph takes the paragraph's place.
func (c *converter) shortcodes(s string) string {
	if !strings.Contains(s, "[") {
		return s
	}
	var b strings.Builder
	done := 0
	for i := 0; i < len(s); {
		k := strings.IndexByte(s[i:], '[')
		if k < 0 {
			break
		}
		i += k
		m, ok := matchShortcode(s, i, func(name string) bool { return handledShortcodes[name] })
		if !ok {
			c.noteUnknown(s, i)
			i++
			continue
		}
		if m.openEscaped && m.closeEscaped {
			b.WriteString(s[done:m.start])
			b.WriteString(s[m.start+1 : m.end-1])
			done, i = m.end, m.end
			continue
		}
		start, end := m.start, m.end
		inPara := false
		if !m.openEscaped && !m.closeEscaped {
			if ps, pe, ok := aloneInParagraph(s, start, end); ok && ps >= done {
				start, end, inPara = ps, pe, true
			}
		}
		out, block := c.shortcode(m)
		b.WriteString(s[done:start])
		if m.openEscaped {
			b.WriteByte('[')
		}
		if inPara && !block && out != "" {
			out = "<p>" + out + "</p>"
		}
		b.WriteString(out)
		if m.closeEscaped {
			b.WriteByte(']')
		}
		done, i = end, end
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// aloneInParagraph reports whether s[start:end] is the only thing in a
// paragraph wpautop made ("<p>", white space, the shortcode, white space,
// &nbsp; or <br />, "</p>"), and returns the paragraph's bounds.
func aloneInParagraph(s string, start, end int) (int, int, bool) {
	ps := start
	for ps > 0 && isPCRESpace(s[ps-1]) {
		ps--
	}
	if !strings.HasSuffix(s[:ps], "<p>") {
		return 0, 0, false
	}
	ps -= len("<p>")
	pe := end
	for {
		rest := s[pe:]
		switch {
		case rest != "" && isPCRESpace(rest[0]):
			pe++
		case strings.HasPrefix(rest, "&nbsp;"):
			pe += len("&nbsp;")
		case strings.HasPrefix(rest, "<br />"):
			pe += len("<br />")
		case strings.HasPrefix(rest, "</p>"):
			return ps, pe + len("</p>"), true
		default:
			return 0, 0, false
		}
	}
}

// noteUnknown counts the shortcode at s[i] == '[' if it looks like one: a
// name starting with a letter, then a ']' and at least one sign that it is
// not ordinary bracketed text ("[sic]", a footnote "[1]"): attributes with
// '=', a self-closing '/', a closing [/name], or a '_' or '-' in the name.
// Escaped ones ("[[x]]") are text for WordPress too, and not counted.
func (c *converter) noteUnknown(s string, i int) {
	j := i + 1
	if j < len(s) && s[j] == '[' || i > 0 && s[i-1] == '[' {
		return
	}
	n := j
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	name := s[j:n]
	if name == "" || !isASCIILetter(name[0]) {
		return
	}
	rb := strings.IndexByte(s[n:], ']')
	if rb < 0 || n < len(s) && s[n] != ']' && s[n] != '/' && !isPCRESpace(s[n]) {
		return
	}
	attrs := s[n : n+rb]
	if strings.ContainsAny(attrs, "<>[\n") {
		return
	}
	if !strings.Contains(attrs, "=") && !strings.HasSuffix(attrs, "/") &&
		!strings.ContainsAny(name, "_-") && !strings.Contains(s[n:], "[/"+name+"]") {
		return
	}
	if c.rep.UnknownShortcodes == nil {
		c.rep.UnknownShortcodes = make(map[string]int)
	}
	c.rep.UnknownShortcodes[strings.ToLower(name)]++
}

// shortcode returns the HTML of one handled shortcode, and whether it is a
// block (a figure or a gallery) rather than inline (a link).
func (c *converter) shortcode(m shortcodeMatch) (string, bool) {
	atts := parseAttrs(m.attrs)
	switch m.name {
	case "caption", "wp_caption":
		return c.caption(atts, m.content)
	case "gallery":
		return c.gallery(atts), true
	case "embed":
		u := strings.TrimSpace(m.content)
		if u == "" {
			u = atts["src"]
		}
		if u == "" {
			c.warn("an [embed] without a URL was left out")
			return "", false
		}
		return link(u), false
	case "audio", "video":
		return c.media(m.name, atts), false
	}
	return "", false
}

// caption is img_caption_shortcode with an HTML5 theme: the image and its
// caption in a figure. Unlike WordPress, a caption without a width still
// becomes a figure (WordPress drops its text), and text before the image
// is kept.
func (c *converter) caption(atts map[string]string, content string) (string, bool) {
	capt := atts["caption"]
	before := ""
	if capt == "" {
		if loc := reCaptionImage.FindStringSubmatchIndex(content); loc != nil {
			before = content[:loc[0]]
			capt = content[loc[4]:loc[5]]
			content = content[loc[2]:loc[3]]
		}
	}
	content = c.shortcodes(content)
	capt = strings.TrimSpace(capt)
	for strings.HasPrefix(capt, "<br />") {
		capt = strings.TrimSpace(strings.TrimPrefix(capt, "<br />"))
	}
	capt = c.shortcodes(capt)
	if capt == "" {
		return before + content, false
	}
	return before + "<figure>" + strings.TrimSpace(content) + "<figcaption>" + capt + "</figcaption></figure>", true
}

// gallery is a [gallery]: the images named by its ids (or include)
// attribute that Options.Attachments knows, as figures in a div. A gallery
// without ids shows the post's attached images on WordPress; it is left
// out with a warning.
func (c *converter) gallery(atts map[string]string) string {
	ids := atts["ids"]
	if ids == "" {
		ids = atts["include"]
	}
	if strings.TrimSpace(ids) == "" {
		c.warn("a [gallery] without ids (the post's attached images) was left out")
		return ""
	}
	var b strings.Builder
	for _, id := range strings.Split(ids, ",") {
		id = strings.TrimSpace(id)
		if id == "" {
			continue
		}
		n, err := strconv.ParseInt(id, 10, 64)
		var a Attachment
		ok := false
		if err == nil && c.opts.Attachments != nil {
			a, ok = c.opts.Attachments(n)
		}
		if !ok || a.URL == "" {
			c.rep.UnresolvedGalleryIDs = append(c.rep.UnresolvedGalleryIDs, id)
			continue
		}
		b.WriteString(`<figure><img src="`)
		b.WriteString(html.EscapeString(a.URL))
		b.WriteString(`" alt="`)
		b.WriteString(html.EscapeString(a.Alt))
		b.WriteString(`">`)
		if a.Caption != "" {
			b.WriteString("<figcaption>")
			b.WriteString(a.Caption)
			b.WriteString("</figcaption>")
		}
		b.WriteString("</figure>")
	}
	if b.Len() == 0 {
		return ""
	}
	return `<div class="gallery">` + b.String() + `</div>`
}

// mediaSources are the attributes [audio] and [video] take a file from,
// src first, as wp_audio_shortcode and wp_video_shortcode read them.
var mediaSources = map[string][]string{
	"audio": {"src", "mp3", "m4a", "ogg", "wav", "wma", "flac"},
	"video": {"src", "mp4", "m4v", "webm", "ogv", "wmv", "flv"},
}

// media is an [audio] or [video] as a link to its file (named by src or
// by its format, else a URL given first): kiosque's renderer removes audio
// and video elements.
func (c *converter) media(name string, atts map[string]string) string {
	for _, a := range mediaSources[name] {
		if u := strings.TrimSpace(atts[a]); u != "" {
			return link(u)
		}
	}
	// WordPress ignores a URL given without a name ([audio https://…]),
	// and plays the post's attached file instead; the URL is the best
	// guess of which file that is.
	if u := atts["0"]; strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return link(u)
	}
	c.warn("an [" + name + "] without a file (the post's attached media) was left out")
	return ""
}

// link is <a href="u">u</a>, u being HTML text (its entities decoded once).
func link(u string) string {
	e := html.EscapeString(html.UnescapeString(u))
	return `<a href="` + e + `">` + e + `</a>`
}

// reOwnLineURL and reOwnParaURL are WP_Embed::autoembed's patterns: a URL
// alone on its line, or alone in a paragraph.
var (
	reOwnLineURL = regexp.MustCompile(`(?im)^(\s*)(https?://[^\s<>"]+)(\s*)$`)
	reOwnParaURL = regexp.MustCompile(`(?i)(<p(?: [^>]*)?>\s*)(https?://[^\s<>"]+)(\s*</p>)`)
)

// hasURL is preg_match('#(^|\s|>)https?://#i'): whether s may hold a URL
// to embed.
func hasURL(s string) bool {
	for i := 0; ; {
		k := strings.Index(s[i:], "://")
		if k < 0 {
			return false
		}
		k += i
		i = k + 3
		for _, scheme := range []string{"http", "https"} {
			st := k - len(scheme)
			if st >= 0 && strings.EqualFold(s[st:k], scheme) && (st == 0 || isPCRESpace(s[st-1]) || s[st-1] == '>') {
				return true
			}
		}
	}
}

// autoembed is WP_Embed::autoembed without the network: a URL alone on its
// line or in its paragraph becomes a link (what WordPress shows for a URL
// no oEmbed provider answers). In block content, where no wpautop will
// follow, a URL alone on its line also gets its paragraph.
func autoembed(s string, blocks bool) string {
	if !hasURL(s) {
		return s
	}
	s = replaceNewlinesInTagsWith(s, "<!-- wp-line-break -->")
	s = reOwnLineURL.ReplaceAllStringFunc(s, func(m string) string {
		sub := reOwnLineURL.FindStringSubmatch(m)
		if blocks {
			return sub[1] + "<p>" + link(sub[2]) + "</p>" + sub[3]
		}
		return sub[1] + link(sub[2]) + sub[3]
	})
	s = reOwnParaURL.ReplaceAllStringFunc(s, func(m string) string {
		sub := reOwnParaURL.FindStringSubmatch(m)
		return sub[1] + link(sub[2]) + sub[3]
	})
	return strings.ReplaceAll(s, "<!-- wp-line-break -->", "\n")
}
