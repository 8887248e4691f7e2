package wxr_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosque/kiosque/internal/wxr"
)

// FuzzReader feeds arbitrary bytes to the reader: it must never panic nor
// loop, and what it returns must hold its promises.
func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(export(`<item><title>a</title><wp:post_id>1</wp:post_id><wp:comment><wp:comment_id>2</wp:comment_id><wp:commentmeta><wp:meta_key>k</wp:meta_key></wp:commentmeta></wp:comment><category domain="x" nicename="y">z</category></item>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := wxr.NewReader(bytes.NewReader(data))
		if err != nil {
			var fe *wxr.FatalError
			if !errors.As(err, &fe) {
				t.Fatalf("NewReader: %v (%T) is not a *FatalError", err, err)
			}
			return
		}
		if r.Site.Version != "1.0" && r.Site.Version != "1.1" && r.Site.Version != "1.2" {
			t.Fatalf("version %q accepted", r.Site.Version)
		}
		for range 10_000 {
			it, err := r.Next()
			if err == io.EOF {
				return
			}
			var ie *wxr.ItemError
			if errors.As(err, &ie) {
				if ie.Code == "" || ie.Reason == "" || ie.Index == 0 {
					t.Fatalf("incomplete item error %+v", ie)
				}
				continue
			}
			if err != nil {
				var fe *wxr.FatalError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v (%T) is neither an ItemError nor a FatalError", err, err)
				}
				return
			}
			if it.PostID <= 0 {
				t.Fatalf("an item with post id %d", it.PostID)
			}
		}
		t.Fatal("Next did not end")
	})
}
