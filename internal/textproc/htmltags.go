package textproc

import xhtml "golang.org/x/net/html"

// isPhrasing reports whether the element named name flows inside a line of
// text (em, a, code, img…), as opposed to a block that starts a new one. Text
// on both sides of a phrasing element is one run for typography and is not
// separated by a space in PlainText. Unknown elements count as blocks.
func isPhrasing(name string) bool {
	switch name {
	case "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del",
		"dfn", "em", "font", "i", "img", "ins", "kbd", "label", "mark", "q",
		"s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time",
		"tt", "u", "var", "wbr":
		return true
	}
	return false
}

// isVerbatim reports whether the content of the element named name is code or
// markup whose characters must never be changed by typography.
func isVerbatim(name string) bool {
	switch name {
	case "code", "kbd", "samp", "pre", "script", "style", "textarea",
		"title", "xmp", "plaintext", "iframe", "noembed", "noframes",
		"noscript", "template", "svg", "math":
		return true
	}
	return false
}

// isHidden reports whether the content of the element named name is not text
// a reader sees, so PlainText leaves it out.
func isHidden(name string) bool {
	switch name {
	case "script", "style", "template", "noscript", "title", "head",
		"textarea", "select", "iframe", "object", "svg", "math", "noembed",
		"noframes", "xmp", "plaintext", "audio", "video", "canvas":
		return true
	}
	return false
}

// opensElement reports whether a start or self-closing tag of type tt opens
// an element whose end tag must be waited for. In HTML, "<code/>" opens a code
// element like "<code>" does; only foreign elements (svg, math) honour the
// self-closing slash.
func opensElement(tt xhtml.TokenType, name string) bool {
	return tt == xhtml.StartTagToken || tt == xhtml.SelfClosingTagToken && name != "svg" && name != "math"
}
