package onix_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"runtime"
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
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for b.Loop() {
				got := readAll(b, data)
				if got != n {
					b.Fatalf("read %d products, want %d", got, n)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/product")
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*n), "B/product")
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

// BenchmarkReaderFile streams the ONIX file named by ONIX_BENCH_FILE (as
// bench/onix.sh generates it) and reports the time per product and the
// largest live heap seen while reading, which must not grow with the
// file.
func BenchmarkReaderFile(b *testing.B) {
	path := os.Getenv("ONIX_BENCH_FILE")
	if path == "" {
		b.Skip("set ONIX_BENCH_FILE to an ONIX file (bench/onix.sh does)")
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	var products int
	var peak uint64
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := onix.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		products = 0
		var ms runtime.MemStats
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			var pe *onix.ProductError
			if err != nil && !errors.As(err, &pe) {
				b.Fatal(err)
			}
			products++
			if products%5000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		_ = f.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*products), "ns/product")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(products), "products")
}
