package wpcontent

import (
	"html"
	"regexp"
	"strings"

	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// renamed are the presentational elements of the classic editor that
// kiosque's renderer would strip, and the elements that mean the same to it.
var renamed = map[atom.Atom]atom.Atom{
	atom.B: atom.Strong, atom.I: atom.Em, atom.Strike: atom.Del,
}

// normalize parses s as a browser parses the body of a page and writes it
// back: unclosed and misnested tags are mended as the reader saw them on
// the WordPress site, instead of leaking into the rest of kiosque's page
// (the sanitizer filters tags but does not balance them). It also renames
// b, i and strike to strong, em and del.
func normalize(s string) string {
	body := &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := xhtml.ParseFragment(strings.NewReader(s), body)
	if err != nil {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for _, n := range nodes {
		rename(n)
		if err := xhtml.Render(&b, n); err != nil {
			return s
		}
	}
	return b.String()
}

// rename renames the elements of n's tree listed in renamed.
func rename(n *xhtml.Node) {
	if n.Type == xhtml.ElementNode {
		if a, ok := renamed[n.DataAtom]; ok {
			n.DataAtom, n.Data = a, a.String()
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		rename(c)
	}
}

// urlAttrs are the attributes whose value is a URL (srcset a list of them).
var urlAttrs = map[string]bool{"src": true, "href": true, "srcset": true, "poster": true}

// reBlockStart matches the start of a CommonMark HTML block that only a
// blank line ends (kind 6): a block-level tag. <pre> is not one of them: a
// <pre> block ends with its line holding </pre>, and what follows would be
// read as Markdown.
var reBlockStart = regexp.MustCompile(`(?i)^</?(?:address|article|aside|blockquote|caption|center|colgroup|dd|details|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|legend|li|main|menu|nav|ol|p|section|summary|table|tbody|td|tfoot|th|thead|tr|ul)(?:[ \t\n/>]|$)`)

// dropEmptyParagraphs removes the paragraphs left empty, most often by a
// removed <!--more--> (wpautop wraps it in <p>), with the spaces and the
// line break before them, so that no blank line is left.
func dropEmptyParagraphs(s string) string {
	var b strings.Builder
	done := 0
	for i := 0; ; {
		k := strings.Index(s[i:], "<p>")
		if k < 0 {
			break
		}
		k += i
		e := k + len("<p>")
		for e < len(s) && isPCRESpace(s[e]) {
			e++
		}
		if !strings.HasPrefix(s[e:], "</p>") {
			i = k + len("<p>")
			continue
		}
		st := k
		for st > done && (s[st-1] == ' ' || s[st-1] == '\t') {
			st--
		}
		if st > done && s[st-1] == '\n' {
			st--
		}
		b.WriteString(s[done:st])
		done = e + len("</p>")
		i = done
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// finish rewrites the URLs of s, removes its comments and its blank lines
// and makes it one Markdown HTML block (see Convert).
func (c *converter) finish(s string) string {
	s = normalize(s)
	var b strings.Builder
	b.Grow(len(s) + 64)
	z := xhtml.NewTokenizer(strings.NewReader(s))
	pre := 0
	// text collects the text on both sides of removed comments, so that
	// a blank line split by a comment is seen whole.
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			b.WriteString(dropBlankLines(text.String(), pre > 0))
			text.Reset()
		}
	}
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		raw := string(z.Raw())
		switch tt {
		case xhtml.CommentToken:
			continue
		case xhtml.TextToken:
			text.WriteString(raw)
			continue
		}
		flush()
		switch tt {
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, hasAttr := z.TagName()
			if string(name) == "pre" {
				switch tt {
				case xhtml.StartTagToken:
					pre++
				case xhtml.EndTagToken:
					pre = max(0, pre-1)
				}
			}
			if hasAttr {
				raw = c.rewriteTag(z, raw)
			}
			if hasBlankLine(raw) {
				raw = dropBlankLines(raw, false)
			}
		}
		b.WriteString(raw)
	}
	flush()
	out := dropEmptyParagraphs(b.String())
	out = strings.TrimSpace(out)
	if out == "" {
		return ""
	}
	if !reBlockStart.MatchString(out) {
		out = "<div>\n" + out + "\n</div>"
	}
	return out
}

// rewriteTag returns the tag raw, whose attributes z has yet to read, with
// its URLs rewritten by Options.RewriteURL; raw itself if none changed.
func (c *converter) rewriteTag(z *xhtml.Tokenizer, raw string) string {
	type attr struct{ key, val string }
	var attrs []attr
	changed := false
	for {
		k, v, more := z.TagAttr()
		key, val := string(k), string(v)
		if urlAttrs[key] {
			var nv string
			if key == "srcset" {
				nv = c.rewriteSrcset(val)
			} else {
				nv = c.rewriteURL(val)
			}
			if nv != val {
				val, changed = nv, true
			}
		}
		attrs = append(attrs, attr{key, val})
		if !more {
			break
		}
	}
	if !changed {
		return raw
	}
	// Only the tag's attributes are rebuilt; its name and any self-closing
	// slash come from raw.
	end := len(raw) - 1
	if strings.HasSuffix(raw, "/>") {
		end--
	}
	nameEnd := strings.IndexAny(raw, " \t\n\f\r/")
	if nameEnd < 0 || nameEnd > end {
		nameEnd = end
	}
	var b strings.Builder
	b.WriteString(raw[:nameEnd])
	for _, a := range attrs {
		b.WriteByte(' ')
		b.WriteString(a.key)
		b.WriteString(`="`)
		b.WriteString(html.EscapeString(a.val))
		b.WriteByte('"')
	}
	b.WriteString(raw[end:])
	return b.String()
}

// rewriteURL returns u as Options.RewriteURL rewrites it, noting a URL
// under Options.UploadsBase that it keeps.
func (c *converter) rewriteURL(u string) string {
	t := strings.TrimSpace(u)
	if t == "" {
		return u
	}
	if c.opts.RewriteURL != nil {
		if nu, ok := c.opts.RewriteURL(t); ok {
			return nu
		}
	}
	if c.opts.UploadsBase != "" && strings.HasPrefix(schemeless(t), schemeless(c.opts.UploadsBase)) && !c.seen[t] {
		if c.seen == nil {
			c.seen = make(map[string]bool)
		}
		c.seen[t] = true
		c.rep.KeptUploadURLs = append(c.rep.KeptUploadURLs, t)
	}
	return u
}

// rewriteSrcset rewrites each URL of a srcset ("url 300w, url 2x").
func (c *converter) rewriteSrcset(v string) string {
	parts := strings.Split(v, ",")
	for i, p := range parts {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		if nu := c.rewriteURL(f[0]); nu != f[0] {
			parts[i] = strings.Replace(p, f[0], nu, 1)
		}
	}
	return strings.Join(parts, ",")
}

// schemeless is u without "http:" or "https:" and lower-cased.
func schemeless(u string) string {
	l := strings.ToLower(u)
	for _, p := range []string{"https:", "http:"} {
		if strings.HasPrefix(l, p) {
			return l[len(p):]
		}
	}
	return l
}

// hasBlankLine reports whether s holds a line of only spaces and tabs
// between two newlines.
func hasBlankLine(s string) bool {
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			return false
		}
		s = s[i+1:]
		j := strings.IndexByte(s, '\n')
		if j < 0 {
			return false
		}
		if strings.Trim(s[:j], " \t") == "" {
			return true
		}
	}
}

// dropBlankLines removes the blank lines of s (lines of spaces and tabs
// between two newlines in s), which would end the Markdown HTML block.
// Inside <pre>, where they show, the newline before each becomes "&#10;",
// which joins it to the line above and renders the same.
func dropBlankLines(s string, inPre bool) string {
	if !hasBlankLine(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+1:]
		j := strings.IndexByte(rest, '\n')
		if j >= 0 && strings.Trim(rest[:j], " \t") == "" {
			if inPre {
				b.WriteString("&#10;")
			}
			s = rest
			continue
		}
		b.WriteByte('\n')
		s = rest
	}
}
