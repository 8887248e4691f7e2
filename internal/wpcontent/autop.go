package wpcontent

import (
	"regexp"
	"strconv"
	"strings"
)

// allBlocks is wpautop's list of block-level elements (WordPress 6.x): text
// is never wrapped in a paragraph across them.
const allBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

// The regular expressions of wpautop, in the order it applies them. Where
// PHP's PCRE needs a look-behind or a back-reference, which RE2 lacks, the
// code around them does that part by hand.
var (
	reDoubleBr      = regexp.MustCompile(`<br\s*/?>\s*<br\s*/?>`)
	reBlockOpen     = regexp.MustCompile(`(<` + allBlocks + `[\s/>])`)
	reBlockClose    = regexp.MustCompile(`(</` + allBlocks + `>)`)
	reHr            = regexp.MustCompile(`(<hr\s*?/?>)`)
	reOptionOpen    = regexp.MustCompile(`\s*<option`)
	reOptionClose   = regexp.MustCompile(`</option>\s*`)
	reObjectOpen    = regexp.MustCompile(`(<object[^>]*>)\s*`)
	reObjectClose   = regexp.MustCompile(`\s*</object>`)
	reParamEmbed    = regexp.MustCompile(`\s*(</?(?:param|embed)[^>]*>)\s*`)
	reMediaOpen     = regexp.MustCompile(`([<\[](?:audio|video)[^>\]]*[>\]])\s*`)
	reMediaClose    = regexp.MustCompile(`\s*([<\[]/(?:audio|video)[>\]])`)
	reSourceTrack   = regexp.MustCompile(`\s*(<(?:source|track)[^>]*>)\s*`)
	reFigcapOpen    = regexp.MustCompile(`\s*(<figcaption[^>]*>)`)
	reFigcapClose   = regexp.MustCompile(`</figcaption>\s*`)
	reManyNewlines  = regexp.MustCompile(`\n\n+`)
	reParaSplit     = regexp.MustCompile(`\n\s*\n`)
	reEmptyPara     = regexp.MustCompile(`<p>\s*</p>`)
	reParaUnclosed  = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	reParaBlockOnly = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)\s*</p>`)
	reParaLi        = regexp.MustCompile(`<p>(<li.+?)</p>`)
	reParaQuote     = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	reParaBlockOpen = regexp.MustCompile(`<p>\s*(</?` + allBlocks + `[^>]*>)`)
	reBlockTag      = regexp.MustCompile(`^</?` + allBlocks)
	reBrBeforeBlock = regexp.MustCompile(`<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
	reLastPara      = regexp.MustCompile(`\n</p>(\n?)$`)
	rePreserveNL    = []*regexp.Regexp{
		regexp.MustCompile(`(?s)<script.*?</script>`),
		regexp.MustCompile(`(?s)<style.*?</style>`),
		regexp.MustCompile(`(?s)<svg.*?</svg>`),
		regexp.MustCompile(`(?s)<math.*?</math>`),
	}
)

// wpautop is a port of WordPress's wpautop (wp-includes/formatting.php) with
// $br true: double line breaks become paragraphs, single ones <br />, block
// elements are not wrapped and <pre> is left alone. Classic-editor posts are
// stored without paragraphs and rely on it being applied when shown.
func wpautop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n"

	var preTags []string // the <pre> elements, put back by name at the end
	if strings.Contains(text, "<pre") {
		parts := strings.Split(text, "</pre>")
		last := parts[len(parts)-1]
		var b strings.Builder
		for _, part := range parts[:len(parts)-1] {
			start := strings.Index(part, "<pre")
			if start < 0 {
				b.WriteString(part)
				continue
			}
			preTags = append(preTags, part[start:]+"</pre>")
			b.WriteString(part[:start])
			b.WriteString(preName(len(preTags) - 1))
		}
		b.WriteString(last)
		text = b.String()
	}

	text = reDoubleBr.ReplaceAllString(text, "\n\n")
	text = reBlockOpen.ReplaceAllString(text, "\n\n${1}")
	text = reBlockClose.ReplaceAllString(text, "${1}\n\n")
	text = reHr.ReplaceAllString(text, "${1}\n\n")
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	text = replaceNewlinesInTags(text)

	if strings.Contains(text, "<option") {
		text = reOptionOpen.ReplaceAllString(text, "<option")
		text = reOptionClose.ReplaceAllString(text, "</option>")
	}
	if strings.Contains(text, "</object>") {
		text = reObjectOpen.ReplaceAllString(text, "${1}")
		text = reObjectClose.ReplaceAllString(text, "</object>")
		text = reParamEmbed.ReplaceAllString(text, "${1}")
	}
	if strings.Contains(text, "<source") || strings.Contains(text, "<track") {
		text = reMediaOpen.ReplaceAllString(text, "${1}")
		text = reMediaClose.ReplaceAllString(text, "${1}")
		text = reSourceTrack.ReplaceAllString(text, "${1}")
	}
	if strings.Contains(text, "<figcaption") {
		text = reFigcapOpen.ReplaceAllString(text, "${1}")
		text = reFigcapClose.ReplaceAllString(text, "</figcaption>")
	}

	text = reManyNewlines.ReplaceAllString(text, "\n\n")
	var b strings.Builder
	b.Grow(len(text) + len(text)/8)
	for _, para := range reParaSplit.Split(text, -1) {
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		b.WriteString(strings.Trim(para, "\n"))
		b.WriteString("</p>\n")
	}
	text = b.String()

	text = reEmptyPara.ReplaceAllString(text, "")
	if strings.Contains(text, "</div>") || strings.Contains(text, "</address>") || strings.Contains(text, "</form>") {
		text = reParaUnclosed.ReplaceAllString(text, "<p>${1}</p></${2}>")
	}
	text = reParaBlockOnly.ReplaceAllString(text, "${1}")
	text = reParaLi.ReplaceAllString(text, "${1}")
	text = reParaQuote.ReplaceAllString(text, "<blockquote${1}><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = reParaBlockOpen.ReplaceAllString(text, "${1}")
	text = dropAfterBlockTag(text, "</p>")

	for _, re := range rePreserveNL {
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			return strings.ReplaceAll(m, "\n", "<WPPreserveNewline />")
		})
	}
	text = strings.ReplaceAll(text, "<br>", "<br />")
	text = strings.ReplaceAll(text, "<br/>", "<br />")
	text = newlinesToBr(text)
	text = strings.ReplaceAll(text, "<WPPreserveNewline />", "\n")

	text = dropAfterBlockTag(text, "<br />")
	text = reBrBeforeBlock.ReplaceAllString(text, "${1}")
	text = reLastPara.ReplaceAllString(text, "</p>${1}")

	for i, pre := range preTags {
		text = strings.ReplaceAll(text, preName(i), pre)
	}
	if strings.Contains(text, "<!-- wpnl -->") {
		text = strings.ReplaceAll(text, " <!-- wpnl --> ", "\n")
		text = strings.ReplaceAll(text, "<!-- wpnl -->", "\n")
	}
	return text
}

// dropAfterBlockTag is preg_replace('!(</?'.$allblocks.'[^>]*>)\s*'.suffix.'!',
// '$1'): suffix and the white space before it go when a block tag precedes
// them. Done by hand, since the regular expression backtracks at every
// "<" of the text; matches do not overlap, as with preg_replace.
func dropAfterBlockTag(s, suffix string) string {
	var b strings.Builder
	done := 0
	for i := 0; ; {
		k := strings.Index(s[i:], suffix)
		if k < 0 {
			break
		}
		k += i
		i = k + len(suffix)
		j := k
		for j > done && isPCRESpace(s[j-1]) {
			j--
		}
		if j == done || s[j-1] != '>' {
			continue
		}
		// The tag runs from the leftmost '<' after the previous '>' that
		// starts a block tag ([^>]* may hold '<').
		from := strings.LastIndexByte(s[done:j-1], '>') + 1 + done
		matched := false
		for lt := strings.IndexByte(s[from:j], '<'); lt >= 0; {
			lt += from
			if reBlockTag.MatchString(s[lt:j]) {
				matched = true
				break
			}
			from = lt + 1
			lt = strings.IndexByte(s[from:j], '<')
		}
		if !matched {
			continue
		}
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[done:j])
		done = i
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// preName is the placeholder wpautop puts where the i-th <pre> was.
func preName(i int) string {
	return "<pre wp-pre-tag-" + strconv.Itoa(i) + "></pre>"
}

// isPCRESpace reports whether c is in PCRE's \s.
func isPCRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// newlinesToBr is wpautop's preg_replace('|(?<!<br />)\s*\n|', "<br />\n"):
// a run of white space ending in a newline becomes "<br />\n", unless it
// follows a <br />. The loop mirrors how PCRE tries each start position, so
// that a run after "<br />" still matches from its second character.
func newlinesToBr(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	done := 0
	for p := 0; p < len(s); {
		if !isPCRESpace(s[p]) {
			p++
			continue
		}
		e := p
		for e < len(s) && isPCRESpace(s[e]) {
			e++
		}
		nl := strings.LastIndexByte(s[p:e], '\n')
		if nl < 0 {
			p = e
			continue
		}
		nl += p
		for p <= nl && strings.HasSuffix(s[:p], "<br />") {
			p++
		}
		if p > nl {
			p = nl + 1
			continue
		}
		b.WriteString(s[done:p])
		b.WriteString("<br />\n")
		done = nl + 1
		p = nl + 1
	}
	b.WriteString(s[done:])
	return b.String()
}

// replaceNewlinesInTags is wp_replace_in_html_tags($text, ["\n" => " <!--
// wpnl --> "]): newlines inside tags and comments are hidden from the
// paragraph splitting, then put back. Elements are found as wp_html_split
// finds them: comments to "-->", CDATA to "]]>", other tags to ">".
func replaceNewlinesInTags(s string) string {
	return replaceNewlinesInTagsWith(s, " <!-- wpnl --> ")
}

// replaceNewlinesInTagsWith replaces the newlines inside the tags and
// comments of s with marker.
func replaceNewlinesInTagsWith(s, marker string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	i := 0
	for i < len(s) {
		lt := strings.IndexByte(s[i:], '<')
		if lt < 0 {
			break
		}
		lt += i
		b.WriteString(s[i:lt])
		end := htmlElementEnd(s, lt)
		el := s[lt:end]
		if strings.Contains(el, "\n") {
			el = strings.ReplaceAll(el, "\n", marker)
		}
		b.WriteString(el)
		i = end
	}
	b.WriteString(s[i:])
	return b.String()
}

// htmlElementEnd returns where the tag, comment or CDATA section starting
// at s[i] == '<' ends, or len(s) if it is not closed.
func htmlElementEnd(s string, i int) int {
	find := func(from int, sep string) int {
		if from > len(s) {
			return len(s)
		}
		if j := strings.Index(s[from:], sep); j >= 0 {
			return from + j + len(sep)
		}
		return len(s)
	}
	switch rest := s[i:]; {
	case strings.HasPrefix(rest, "<!--"):
		return find(i+2, "-->")
	case strings.HasPrefix(rest, "<![CDATA["):
		return find(i+9, "]]>")
	default:
		return find(i+1, ">")
	}
}
