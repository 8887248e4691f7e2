package wxr_test

import (
	"bufio"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kiosque/kiosque/internal/wxr"
	"github.com/kiosque/kiosque/internal/wxr/wxrtest"
)

// benchOptions is the figure: 10,000 posts and 100,000 comments
// (with some pages and attachments, as a real site has).
var benchOptions = wxrtest.Options{Posts: 10_000, Pages: 100, Attachments: 1_000, Comments: 100_000, Seed: 1}

// BenchmarkReaderFile streams a generated export of 10,000 posts and
// 100,000 comments (or the file named by WXR_BENCH_FILE) from disk, and
// reports items and comments per second and the largest heap seen while
// reading, which must stay flat (a few MB) whatever the size of the file:
// the whole import must later run in under 60 s and 200 MB resident.
func BenchmarkReaderFile(b *testing.B) {
	path := os.Getenv("WXR_BENCH_FILE")
	if path == "" {
		path = filepath.Join(b.TempDir(), "export.xml")
		if err := writeExport(path, benchOptions); err != nil {
			b.Fatal(err)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(st.Size())
	var items, comments int
	var peak uint64
	runtime.GC()
	for b.Loop() {
		items, comments = 0, 0
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		r, err := wxr.NewReader(f)
		if err != nil {
			b.Fatal(err)
		}
		var ms runtime.MemStats
		for {
			it, err := r.Next()
			if err == io.EOF {
				break
			}
			var ie *wxr.ItemError
			if errors.As(err, &ie) {
				continue
			}
			if err != nil {
				b.Fatal(err)
			}
			items++
			comments += len(it.Comments)
			if items%500 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
		_ = f.Close()
	}
	secs := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(items)/secs, "items/s")
	b.ReportMetric(float64(comments)/secs, "comments/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(items), "items")
	b.ReportMetric(float64(comments), "comments")
}

func writeExport(path string, o wxrtest.Options) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	if err := wxrtest.Generate(w, o); err != nil {
		return err
	}
	return w.Flush()
}
