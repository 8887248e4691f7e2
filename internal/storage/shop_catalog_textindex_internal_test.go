package storage

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/search"
)

func TestTextIndexUpdateAndCompact(t *testing.T) {
	// The postings, the changed books kept apart and their merge answer
	// like a scan of every book's terms.
	r := rand.New(rand.NewPCG(1, 2))
	vocab := make([]string, 300)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("t%d", i*i%997)
	}
	docTerms := func() string {
		var b strings.Builder
		for range 1 + r.IntN(30) {
			// Squared to make a few terms dense (bitmaps), most sparse.
			k := r.IntN(len(vocab))
			b.WriteString(vocab[k*k/len(vocab)] + " ")
		}
		return b.String()
	}
	books := map[int64]string{}
	b := &textBuilder{post: map[string][]uint32{}}
	for id := int64(1); id <= 3000; id += 1 + int64(r.IntN(3)) {
		books[id] = docTerms()
		b.docs = append(b.docs, id)
		b.add(uint32(len(b.docs)-1), books[id]) //nolint:gosec // G115: a test's few books
	}
	x := b.encode()
	check := func(stage string) {
		t.Helper()
		for _, q := range []search.Query{{Terms: []string{"t0"}}, {Terms: []string{"t1", "t4"}}, {Terms: []string{"t1"}, Prefix: true},
			{Terms: []string{"t9"}, Prefix: true}, {Terms: []string{"t4", "t1"}, Prefix: true}, {Terms: []string{"none"}}} {
			var want []int64
			for id, doc := range books {
				held := strings.Fields(doc)
				slices.Sort(held)
				terms, prefix := q.Terms, ""
				if q.Prefix {
					terms, prefix = terms[:len(terms)-1], terms[len(terms)-1]
				}
				if holds(held, terms, prefix) {
					want = append(want, id)
				}
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, x.match(q)); diff != "" {
				t.Errorf("%s: %+v (-scan +index):\n%s", stage, q, diff)
			}
		}
	}
	check("built")
	merged := false
	for round := range 5 {
		before := len(x.changed)
		var ids []int64
		held := map[int64][]string{}
		for range 1000 {
			id := int64(1 + r.IntN(3500))
			ids = append(ids, id)
			if r.IntN(5) == 0 {
				delete(books, id)
				delete(held, id)
				continue
			}
			books[id] = docTerms()
			held[id] = []string{books[id]}
		}
		x.update(ids, held)
		merged = merged || len(x.changed) < before
		check(fmt.Sprintf("round %d, %d kept apart", round, len(x.changed)))
	}
	if !merged {
		t.Errorf("the changed books were never merged")
	}
}
