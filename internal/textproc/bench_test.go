package textproc

import "testing"

// benchTitle is a typical headline: quotes, an apostrophe, a colon.
const benchTitle = "« Nous avons repris la ville » : l'État islamique chassé de Palmyre ?"

func BenchmarkRender(b *testing.B) {
	src := readArticle(b)
	r := NewRenderer()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(src, StyleFrench); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTypography(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Typography(benchTitle, StyleFrench)
	}
}

func BenchmarkTypographyUnchanged(b *testing.B) {
	done := Typography(benchTitle, StyleFrench)
	b.ReportAllocs()
	for b.Loop() {
		Typography(done, StyleFrench)
	}
}

func BenchmarkTypographyHTML(b *testing.B) {
	html, err := NewRenderer().Render(readArticle(b), StyleNone)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(html)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := TypographyHTML(html, StyleFrench); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSlugify(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Slugify(benchTitle)
	}
}

func BenchmarkExcerpt(b *testing.B) {
	html, err := NewRenderer().Render(readArticle(b), StyleFrench)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		Excerpt(html, 160)
	}
}
