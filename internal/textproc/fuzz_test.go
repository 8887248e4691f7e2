package textproc

import (
	"testing"
	"unicode/utf8"
)

// renderSeeds are the starting points of FuzzRender: the attacks the
// sanitizer must stop and the French text typography must handle.
var renderSeeds = []string{
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href="java&#x09;script:alert(1)">x</a>`,
	`<iframe src="https://evil.example"></iframe>`,
	"<svg onload=alert(1)>",
	"![x](data:image/png;base64,AAAA)",
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
	"<scr<script>ipt>alert(1)</script>",
	`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
	"[a](<javascript:alert(1)>) [b]: javascript:alert(1)\n\n[c][b]",
	"« Nous avons repris la ville », a déclaré un responsable ; l'État islamique…",
	"« Qu'en pensez-vous ? »",
	"Note : 14:30, voir https://exemple.fr/a?b=c!",
	"# Titre\n\n![a](/a.jpg \"Légende : ici\")\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\nNote[^1].\n\n[^1]: Détail !",
	"`code ; !` *em* ! **fort** : ~~barré~~ www.exemple.fr a@b.fr",
}

// FuzzRender checks that whatever the source, Render succeeds and its markup
// (see checkSafeHTML) holds no script, event handler, style attribute or
// javascript:, vbscript: or data: URL. The text may of course say
// "javascript:": it is escaped, and harmless.
func FuzzRender(f *testing.F) {
	for _, s := range renderSeeds {
		f.Add(s, uint8(StyleFrench))
	}
	r := NewRenderer()
	f.Fuzz(func(t *testing.T, src string, style uint8) {
		st := Style(style % 3)
		got, err := r.Render(src, st)
		if err != nil {
			t.Fatalf("Render(%q): %v", src, err)
		}
		if err := checkSafeHTML(got); err != nil {
			t.Fatalf("Render(%q) = %q is unsafe: %v", src, got, err)
		}
	})
}

// FuzzTypography checks that Typography keeps text valid and that it and
// TypographyHTML are idempotent, whatever the input.
func FuzzTypography(f *testing.F) {
	for _, s := range renderSeeds {
		f.Add(s, uint8(StyleFrench))
	}
	f.Add("«!»:;?'", uint8(StyleFrenchCanada))
	f.Fuzz(func(t *testing.T, s string, style uint8) {
		if !utf8.ValidString(s) {
			return
		}
		st := Style(style % 3)
		got := Typography(s, st)
		if !utf8.ValidString(got) {
			t.Fatalf("Typography(%q) = %q is not valid UTF-8", s, got)
		}
		if again := Typography(got, st); again != got {
			t.Fatalf("Typography is not idempotent: %q gives %q, then %q", s, got, again)
		}
		h, err := TypographyHTML(s, st)
		if err != nil {
			t.Fatalf("TypographyHTML(%q): %v", s, err)
		}
		again, err := TypographyHTML(h, st)
		if err != nil {
			t.Fatalf("TypographyHTML(%q): %v", h, err)
		}
		if again != h {
			t.Fatalf("TypographyHTML is not idempotent: %q gives %q, then %q", s, h, again)
		}
	})
}
