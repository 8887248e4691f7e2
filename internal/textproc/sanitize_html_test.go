package textproc

import "testing"

func TestSanitizeHTML(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"OKKeepsParagraphs", "<p>Un <strong>livre</strong> &eacute;mouvant.</p>", "<p>Un <strong>livre</strong> émouvant.</p>"},
		{"OKDropsScript", `<p>a</p><script>alert(1)</script>`, "<p>a</p>"},
		{"OKDropsEventsAndStyle", `<p onclick="x()" style="color:red">a</p>`, "<p>a</p>"},
		{"OKDropsJavascriptLink", `<a href="javascript:alert(1)">x</a>`, "x"},
		{"OKKeepsHTTPLink", `<a href="https://exemple.fr/">x</a>`, `<a href="https://exemple.fr/">x</a>`},
		{"OKUnknownElementKeepsText", `<font color=red>rouge</font>`, "rouge"},
		{"OKPlainText", "Tom & Jerry", "Tom &amp; Jerry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SanitizeHTML(tt.in); got != tt.want {
				t.Errorf("SanitizeHTML(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
