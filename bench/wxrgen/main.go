// Command wxrgen writes a synthetic WordPress export (WXR 1.2) of a French
// newsroom: posts, pages and attachments with authors, categories, tags,
// metadata and threaded comments, the same bytes for the same options, for
// the WordPress import's benchmarks. The figure is 10,000 posts
// and 100,000 comments (about 150 MB):
//
//	wxrgen -posts 10000 -comments 100000 -o export.xml
//
// The reader alone is measured by
//
//	WXR_BENCH_FILE=export.xml go test -run '^$' -bench BenchmarkReaderFile -benchtime 1x ./internal/wxr/
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kiosque/kiosque/internal/wxr/wxrtest"
)

func main() {
	var o wxrtest.Options
	flag.IntVar(&o.Posts, "posts", 10_000, "number of posts")
	flag.IntVar(&o.Pages, "pages", 100, "number of pages")
	flag.IntVar(&o.Attachments, "attachments", 1_000, "number of attachments")
	flag.IntVar(&o.Comments, "comments", 100_000, "number of comments, spread over the posts")
	flag.Uint64Var(&o.Seed, "seed", 1, "seed of the pseudo-random choices")
	out := flag.String("o", "-", "output file (- for standard output)")
	flag.Parse()
	if err := run(*out, o); err != nil {
		fmt.Fprintln(os.Stderr, "wxrgen:", err)
		os.Exit(1)
	}
}

func run(path string, o wxrtest.Options) (err error) {
	var w io.Writer = os.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		bw := bufio.NewWriterSize(f, 1<<20)
		defer func() {
			if ferr := bw.Flush(); err == nil {
				err = ferr
			}
		}()
		w = bw
	}
	if err := wxrtest.Generate(w, o); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
