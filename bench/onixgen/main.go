// Command onixgen writes a synthetic ONIX for Books 3.0 message of N
// products (varied French titles, authors, subjects, descriptions and euro
// prices), the same bytes for the same seed, for the catalogue import's
// benchmarks (bench/onix.sh).
//
//	onixgen -n 100000 -o catalogue.xml
//	onixgen -n 10000 -short -o catalogue-short.xml
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kiosque/kiosque/internal/onix/onixtest"
)

func main() {
	n := flag.Int("n", 10_000, "number of products")
	out := flag.String("o", "-", "output file (- for standard output)")
	short := flag.Bool("short", false, "write short tags (<ONIXmessage>, <a001>…) instead of reference names")
	seed := flag.Uint64("seed", 1, "seed of the pseudo-random choices")
	flag.Parse()
	if err := run(*out, onixtest.Options{Products: *n, Seed: *seed, ShortTags: *short}); err != nil {
		fmt.Fprintln(os.Stderr, "onixgen:", err)
		os.Exit(1)
	}
}

func run(path string, o onixtest.Options) error {
	var w io.Writer = os.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		bw := bufio.NewWriterSize(f, 1<<20)
		defer bw.Flush()
		w = bw
	}
	if err := onixtest.Generate(w, o); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
