package textproc

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecorate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "OKHeadingOne", in: `<h1>T</h1><h2>U</h2>`, want: `<h2>T</h2><h2>U</h2>`},
		{name: "OKUpperCaseTags", in: `<H1>T</H1><IMG SRC="/a.jpg">`, want: `<h2>T</h2><img src="/a.jpg" loading="lazy" decoding="async">`},
		{name: "OKImageAttributesReplaced", in: `<img loading="eager" src="/a.jpg" decoding="sync" alt="a">`, want: `<img src="/a.jpg" alt="a" loading="lazy" decoding="async">`},
		{name: "OKImageWithoutSrcDropped", in: `<p><img alt="a">x</p>`, want: `<p>x</p>`},
		{name: "OKExternalLink", in: `<a href="HTTPS://a.fr" rel="nofollow">x</a>`, want: `<a href="HTTPS://a.fr" rel="noopener">x</a>`},
		{name: "OKSchemeRelativeLink", in: `<a href="//a.fr">x</a>`, want: `<a href="//a.fr" rel="noopener">x</a>`},
		{name: "OKLocalLinkLosesRel", in: `<a href="/x" rel="noopener">x</a><a href="#fn:1">1</a><a href="mailto:a@b.fr">m</a>`, want: `<a href="/x">x</a><a href="#fn:1">1</a><a href="mailto:a@b.fr">m</a>`},
		{name: "OKLookalikeTagsUntouched", in: `<abbr title="x">A</abbr><h10>z</h10><image>`, want: `<abbr title="x">A</abbr><h10>z</h10><image>`},
		{name: "OKOtherBytesKept", in: "<p class=x>a &amp; b<!-- c --></p>\n", want: "<p class=x>a &amp; b<!-- c --></p>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decorate(tt.in, nil)
			if err != nil {
				t.Fatalf("decorate: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decorate(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}
