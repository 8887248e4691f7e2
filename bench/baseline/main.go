// Command baseline serves one file from memory with nothing else: the
// practical limit of Go's HTTP stack on this machine, against which
// bench/article.sh measures kiosque's cached pages.
//
//	baseline -addr 127.0.0.1:18082 -file article.html
//
// With FILE.gz next to FILE, clients accepting gzip get those bytes.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "listen address")
	file := flag.String("file", "article.html", "file to serve")
	flag.Parse()
	body, err := os.ReadFile(*file)
	if err != nil {
		log.Fatal(err)
	}
	gz, _ := os.ReadFile(*file + ".gz")
	length, gzLength := []string{strconv.Itoa(len(body))}, []string{strconv.Itoa(len(gz))}
	ctype := []string{"text/html; charset=utf-8"}
	// No timeouts, on purpose: the baseline is the least a Go server does.
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Type"] = ctype
		if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h["Content-Encoding"] = []string{"gzip"}
			h["Content-Length"] = gzLength
			_, _ = w.Write(gz)
			return
		}
		h["Content-Length"] = length
		_, _ = w.Write(body)
	})
	log.Fatal(http.ListenAndServe(*addr, handler)) //nolint:gosec // see above
}
