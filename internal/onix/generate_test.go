package onix_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/onix"
	"github.com/kiosque/kiosque/internal/onix/onixtest"
)

// TestGeneratedMessages reads the benchmark's synthetic messages: every
// record is read, the reference-name and short-tag forms give the same
// products, and the same seed gives the same bytes.
func TestGeneratedMessages(t *testing.T) {
	const n = 500
	gen := func(short bool, seed uint64) []byte {
		var buf bytes.Buffer
		if err := onixtest.Generate(&buf, onixtest.Options{Products: n, Seed: seed, ShortTags: short}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	ref, short := gen(false, 7), gen(true, 7)
	if !bytes.Equal(ref, gen(false, 7)) {
		t.Error("the same seed gave different messages")
	}
	if bytes.Equal(ref, gen(false, 8)) {
		t.Error("another seed gave the same message")
	}
	r, s := read(t, bytes.NewReader(ref)), read(t, bytes.NewReader(short))
	if r.fatal != nil || s.fatal != nil || len(r.skipped)+len(s.skipped) != 0 {
		t.Fatalf("errors %v, %v; skipped %v, %v", r.fatal, s.fatal, r.skipped, s.skipped)
	}
	if len(r.products) != n || len(s.products) != n {
		t.Fatalf("read %d and %d products, want %d", len(r.products), len(s.products), n)
	}
	if diff := cmp.Diff(r.products, s.products, cmpopts.IgnoreFields(onix.Product{}, "Line")); diff != "" {
		t.Errorf("reference names vs short tags (-ref +short):\n%s", diff)
	}
	var withPrice, notes int
	for _, p := range r.products {
		if p.Title == "" || p.ISBN13 == "" || len(p.Contributors) == 0 {
			t.Fatalf("incomplete product %+v", p)
		}
		if len(p.Prices) > 0 {
			withPrice++
		}
		notes += len(p.Notes)
	}
	if withPrice < n*9/10 || notes != 0 {
		t.Errorf("%d of %d products priced, %d notes", withPrice, n, notes)
	}
}
