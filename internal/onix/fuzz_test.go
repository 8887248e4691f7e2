package onix_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosque/kiosque/internal/isbn"
	"github.com/kiosque/kiosque/internal/onix"
)

// FuzzReader feeds arbitrary bytes to the reader: it must never panic nor
// loop, and what it returns must hold its promises.
func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.xml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<ONIXmessage release="3.0"><header/><product><a001>r</a001><descriptivedetail><titledetail><b202>01</b202><titleelement><x409>01</x409><b203>T</b203></titleelement></titledetail></descriptivedetail></product></ONIXmessage>`))
	f.Add([]byte(`<ONIXMessage><Product><RecordReference>r</RecordReference><CollateralDetail><TextContent><TextType>03</TextType><Text textformat="05"><p>a<br/>b</p></Text></TextContent></CollateralDetail></Product></ONIXMessage>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := onix.NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for range 10_000 {
			p, err := r.Next()
			if err == io.EOF {
				return
			}
			var pe *onix.ProductError
			if errors.As(err, &pe) {
				continue
			}
			if err != nil {
				var fe *onix.FatalError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v (%T) is neither a ProductError nor a FatalError", err, err)
				}
				return
			}
			if p.RecordReference == "" {
				t.Fatal("a product without RecordReference")
			}
			if p.ISBN13 != "" && !isbn.Valid13(p.ISBN13) {
				t.Fatalf("invalid ISBN %q returned", p.ISBN13)
			}
			for _, pr := range p.Prices {
				if pr.Cents < 0 || len(pr.Currency) != 3 {
					t.Fatalf("bad price %+v returned", pr)
				}
			}
			if len(p.Description) > 2*onix.MaxDescriptionBytes {
				t.Fatalf("description of %d bytes", len(p.Description))
			}
		}
		t.Fatal("Next did not end")
	})
}
