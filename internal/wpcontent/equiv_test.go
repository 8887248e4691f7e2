package wpcontent

import (
	"regexp"
	"testing"
)

// TestHandPortsMatchRegexps checks the hand-written replacements of
// wpautop's slowest regular expressions against the expressions.
func TestHandPortsMatchRegexps(t *testing.T) {
	blockParaEnd := regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*</p>`)
	blockBr := regexp.MustCompile(`(</?` + allBlocks + `[^>]*>)\s*<br />`)
	hasURLRe := regexp.MustCompile(`(?i)(?:^|\s|>)https?://`)
	inputs := []string{
		"", "<p>a</p>", "<div>\n</p>", "</div></p></p>", "<p<x>\n <br />", "<span> <br />", "<div class=\"a>b\"> </p>",
		"<p>a</p><br />", "<li>x<br />\n</li>", "<ul>\t\n<br /><br />", "<pre wp-pre-tag-0></pre> </p>",
		"a<br />b", "<h2>t</h2>  \n</p>", "<x <ul> </p>", "http://a", "x HTTPS://a", ">http://", "xhttp://a", "ahttps:// ",
	}
	for _, in := range inputs {
		if got, want := dropAfterBlockTag(in, "</p>"), blockParaEnd.ReplaceAllString(in, "${1}"); got != want {
			t.Errorf("dropAfterBlockTag(%q, </p>) = %q, want %q", in, got, want)
		}
		if got, want := dropAfterBlockTag(in, "<br />"), blockBr.ReplaceAllString(in, "${1}"); got != want {
			t.Errorf("dropAfterBlockTag(%q, <br />) = %q, want %q", in, got, want)
		}
		if got, want := hasURL(in), hasURLRe.MatchString(in); got != want {
			t.Errorf("hasURL(%q) = %v, want %v", in, got, want)
		}
	}
}
