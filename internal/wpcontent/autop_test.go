package wpcontent

import "testing"

// TestWpautop checks the port against what WordPress's wpautop returns for
// the same text.
func TestWpautop(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"OKEmpty", " \n ", ""},
		{"OKParagraphs", "a\n\nb", "<p>a</p>\n<p>b</p>\n"},
		{"OKLineBreak", "line1\nline2", "<p>line1<br />\nline2</p>\n"},
		{"OKCRLF", "\r\na\r\n\r\nb", "<p>a</p>\n<p>b</p>\n"},
		{"OKBlockNotWrapped", "<div>foo</div>", "<div>foo</div>\n"},
		{"OKParagraphsKept", "<p>a</p>\n\n<p>b</p>", "<p>a</p>\n<p>b</p>\n"},
		{"OKPreLeftAlone", "<pre>a\n\nb</pre>\ntext", "<pre>a\n\nb</pre>\n<p>text</p>\n"},
		{"OKScriptNewlines", "<script>a\nb</script>", "<p><script>a\nb</script></p>\n"},
		{"OKBrNormalised", "a<br>\nb", "<p>a<br />\nb</p>\n"},
		{"OKBrBeforeParagraphEnd", "a<br />\n\nb", "<p>a</p>\n<p>b</p>\n"},
		{"OKDoubleBr", "a<br><br>b", "<p>a</p>\n<p>b</p>\n"},
		{"OKBlockquote", "<blockquote>q\n\nr</blockquote>", "<blockquote><p>q</p>\n<p>r</p></blockquote>\n"},
		{"OKListItem", "<ul>\n<li>a\nb</li>\n</ul>", "<ul>\n<li>a<br />\nb</li>\n</ul>\n"},
		{"OKNewlineInTag", "<img src=\"x\"\nalt=\"y\">", "<p><img src=\"x\"\nalt=\"y\"></p>\n"},
		{"OKHr", "a\n<hr>\nb", "<p>a</p>\n<hr>\n<p>b</p>\n"},
		{"OKFigcaption", "<figure><img src=x>\n<figcaption>c</figcaption></figure>", "<figure><img src=x><figcaption>c</figcaption></figure>\n"},
		{"OKShortcodeParagraph", "[gallery]\n\ntext", "<p>[gallery]</p>\n<p>text</p>\n"},
		{"OKBrAfterBr", "a<br /> \nb", "<p>a<br /> <br />\nb</p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wpautop(tt.in); got != tt.want {
				t.Errorf("wpautop(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
