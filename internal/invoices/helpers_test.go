package invoices

import (
	"bytes"
	"compress/zlib"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pdftotext returns the path of poppler's pdftotext, or skips: the render
// tests read the PDFs back as text (CI=true makes its absence a failure).
func pdftotext(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("pdftotext")
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI needs pdftotext for the invoice tests (apt-get install -y poppler-utils)")
	}
	t.Skip("skipping: pdftotext is not installed (Debian: apt-get install poppler-utils)")
	return ""
}

// extract returns the text of pdf as pdftotext reads it, in reading order,
// pages separated by form feeds.
func extract(t *testing.T, bin string, pdf []byte) string {
	t.Helper()
	return run(t, bin, pdf)
}

// extractLayout returns the text of pdf as pdftotext lays it out on the
// page: a table's row is one line.
func extractLayout(t *testing.T, bin string, pdf []byte) string {
	t.Helper()
	return run(t, bin, pdf, "-layout")
}

func run(t *testing.T, bin string, pdf []byte, flags ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args := append(slices.Clone(flags), "-enc", "UTF-8", path, "-")
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// flatten collapses every run of spaces, no-break spaces and line breaks to
// one space, so that a sentence matches whatever its line breaks.
func flatten(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// contentStreams returns the PDF's streams, inflated and concatenated:
// the pages' drawing operators with their text as the PDF encodes it.
func contentStreams(t *testing.T, pdf []byte) []byte {
	t.Helper()
	var out []byte
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return out
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			t.Fatal("stream without endstream")
		}
		r, err := zlib.NewReader(bytes.NewReader(rest[:j]))
		if err == nil {
			b, err := io.ReadAll(r)
			if err != nil && err != io.ErrUnexpectedEOF {
				t.Fatalf("inflate stream: %v", err)
			}
			out = append(out, b...)
		}
		rest = rest[j+len("endstream"):]
	}
}
