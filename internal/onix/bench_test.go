package onix_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/kiosque/kiosque/internal/onix"
	"github.com/kiosque/kiosque/internal/onix/onixtest"
)

// BenchmarkReader parses a generated message of 10,000 products and
// reports the time and memory per product. The catalogue import must take
// 10,000 products in under 10 s; the reader should be a small part of it.
func BenchmarkReader(b *testing.B) {
	for _, short := range []bool{false, true} {
		name := "reference"
		if short {
			name = "short"
		}
		b.Run(name, func(b *testing.B) {
			const n = 10_000
			var buf bytes.Buffer
			if err := onixtest.Generate(&buf, onixtest.Options{Products: n, Seed: 1, ShortTags: short}); err != nil {
				b.Fatal(err)
			}
			data := buf.Bytes()
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				got := readAll(b, data)
				if got != n {
					b.Fatalf("read %d products, want %d", got, n)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/product")
		})
	}
}

func readAll(tb testing.TB, data []byte) int {
	r, err := onix.NewReader(bytes.NewReader(data))
	if err != nil {
		tb.Fatal(err)
	}
	count := 0
	for {
		_, err := r.Next()
		if err == io.EOF {
			return count
		}
		var pe *onix.ProductError
		if err != nil && !errors.As(err, &pe) {
			tb.Fatal(err)
		}
		count++
	}
}
