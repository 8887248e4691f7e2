package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kiosque/kiosque/internal/search"
	"github.com/kiosque/kiosque/internal/shop"
)

// mainSubject returns the book's first main subject, or its first
// subject that is not a keyword when none is main.
func mainSubject(b *shop.Book) (shop.Subject, bool) {
	var first *shop.Subject
	for i, sub := range b.Subjects {
		if sub.Main {
			return sub, true
		}
		if first == nil && sub.Scheme != "keyword" {
			first = &b.Subjects[i]
		}
	}
	if first != nil {
		return *first, true
	}
	return shop.Subject{}, false
}

// pickBooks returns the IDs of up to limit books of the index, among
// the books ids (nil: those prepare returns), by the group rank returns
// for them then newest first; a negative group leaves a book out.
// prepare runs under the index's lock and returns rank, and rows to
// consider when ids is nil (nil: all).
func (s *CatalogStore) pickBooks(ctx context.Context, ids []int64, limit int,
	prepare func(ix *catalogIndex) (rank func(e *ixBook) int32, rows []int32)) ([]int64, error) {
	if err := s.fresh(ctx); err != nil {
		return nil, err
	}
	ix := s.ix
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	rank, rows := prepare(ix)
	var hits []hit
	add := func(e *ixBook) {
		if g := rank(e); g >= 0 {
			hits = append(hits, hit{e: e, tier: g})
		}
	}
	switch {
	case ids != nil:
		for _, id := range ids {
			if e := ix.book(id); e != nil {
				add(e)
			}
		}
	case rows != nil:
		for _, p := range rows {
			add(&ix.rows[p])
		}
	default:
		for i := range ix.rows {
			add(&ix.rows[i])
		}
	}
	top := topK(hits, limit, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(b.e.published, a.e.published), cmp.Compare(b.e.id, a.e.id))
	})
	out := make([]int64, len(top))
	for i, h := range top {
		out[i] = h.e.id
	}
	return out, nil
}

// code returns the number of a status, format or condition, 0 (which no
// row has) when no book has it; ix.mu is held.
func (ix *catalogIndex) code(s string) uint32 {
	id, _ := ix.codes.lookup(s)
	return id
}

// RelatedBooks implements shop.CatalogStore.
func (s *CatalogStore) RelatedBooks(ctx context.Context, b *shop.Book, limit int) ([]*shop.Book, error) {
	if limit <= 0 {
		return nil, nil
	}
	ids, err := s.pickBooks(ctx, nil, limit, func(ix *catalogIndex) (func(e *ixBook) int32, []int32) {
		rows := []int32{}
		var authors []uint32
		for _, name := range b.Authors() {
			if id, ok := ix.names.lookup(name); ok {
				authors = append(authors, id)
				rows = append(rows, at(ix.byName, id)...)
			}
		}
		var main uint32
		if m, ok := mainSubject(b); ok {
			main, _ = ix.subjects.lookup(shop.SubjectKey{Scheme: m.Scheme, Code: m.Code}.String())
			rows = append(rows, at(ix.bySubject, main)...)
		}
		publisher, _ := ix.publishers.lookup(b.Publisher)
		if publisher != 0 {
			rows = append(rows, at(ix.byPublisher, publisher)...)
		}
		slices.Sort(rows)
		rows = slices.Compact(rows)
		active := ix.code(string(shop.StatusActive))
		return func(e *ixBook) int32 {
			if e.id == b.ID || e.status != active || (b.ISBN != "" && e.isbn == b.ISBN) {
				return -1
			}
			for _, a := range ix.namesOf(e) {
				if containsID(authors, a) {
					return 0
				}
			}
			switch {
			case main != 0 && containsID(ix.subjectsOf(e), main):
				return 1
			case publisher != 0 && e.publisher == publisher:
				return 2
			}
			return -1
		}, rows
	})
	if err != nil {
		return nil, normalize(fmt.Errorf("related books of %d: %w", b.ID, err))
	}
	return s.BooksByIDs(ctx, ids)
}

// BooksByContributor implements shop.CatalogStore.
func (s *CatalogStore) BooksByContributor(ctx context.Context, name string, limit int) ([]*shop.Book, error) {
	res, err := s.SearchBooks(ctx, shop.BookFilter{Author: name, Sort: shop.SortNewest, Limit: max(limit, 1)})
	if err != nil {
		return nil, err
	}
	return res.Books, nil
}

// Subjects implements shop.CatalogStore.
func (s *CatalogStore) Subjects(ctx context.Context, scheme string) ([]shop.FacetCount, error) {
	if err := s.fresh(ctx); err != nil {
		return nil, normalize(fmt.Errorf("subjects of %s: %w", scheme, err))
	}
	ix := s.ix
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	counts := make([]int, ix.subjects.len())
	listed := ix.compile(shop.BookFilter{}).statuses
	for i := range ix.rows {
		e := &ix.rows[i]
		if listed&(1<<e.status) == 0 {
			continue
		}
		for _, id := range ix.subjectsOf(e) {
			counts[id]++
		}
	}
	var out []shop.FacetCount
	for id, n := range counts {
		key := ix.subjects.str(uint32(id))
		if n > 0 && strings.HasPrefix(key, scheme+":") {
			out = append(out, shop.FacetCount{Value: key, Label: ix.headings[id], Count: n})
		}
	}
	slices.SortFunc(out, func(a, b shop.FacetCount) int {
		return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.Value, b.Value))
	})
	return out, nil
}

// Publishers implements shop.CatalogStore.
func (s *CatalogStore) Publishers(ctx context.Context) ([]shop.FacetCount, error) {
	if err := s.fresh(ctx); err != nil {
		return nil, normalize(fmt.Errorf("publishers: %w", err))
	}
	ix := s.ix
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	counts := make([]int, ix.publishers.len())
	listed := ix.compile(shop.BookFilter{}).statuses
	for i := range ix.rows {
		if e := &ix.rows[i]; listed&(1<<e.status) != 0 {
			counts[e.publisher]++
		}
	}
	var out []shop.FacetCount
	for id, n := range counts {
		if name := ix.publishers.str(uint32(id)); n > 0 && name != "" {
			out = append(out, shop.FacetCount{Value: name, Label: name, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b shop.FacetCount) int { return strings.Compare(a.Value, b.Value) })
	return out, nil
}

// BooksMatching implements shop.CatalogStore. The text index matches the
// title and the other terms, leaving out the names: an article tagged with
// a city should not bring every book of a publisher named after it. Books
// matching in their title come first, then the newest.
func (s *CatalogStore) BooksMatching(ctx context.Context, terms []string, limit int) ([]*shop.Book, error) {
	var groups [][]string
	var exprs []string
	for _, t := range terms {
		words := strings.Fields(t)
		if len(words) == 0 {
			continue
		}
		groups = append(groups, words)
		quoted := make([]string, len(words))
		for i, w := range words {
			if s.db.dialect == SQLite {
				quoted[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
			} else {
				quoted[i] = "'" + strings.NewReplacer(`'`, `''`, `\`, `\\`).Replace(w) + "':AD"
			}
		}
		if s.db.dialect == SQLite {
			exprs = append(exprs, "("+strings.Join(quoted, " AND ")+")")
		} else {
			exprs = append(exprs, "("+strings.Join(quoted, " & ")+")")
		}
	}
	if len(exprs) == 0 || limit <= 0 {
		return nil, nil
	}
	expr := "{title terms} : (" + strings.Join(exprs, " OR ") + ")"
	if s.db.dialect == Postgres {
		expr = strings.Join(exprs, " | ")
	}
	ids, err := s.textMatches(ctx, expr)
	if err != nil {
		return nil, err
	}
	picked, err := s.pickBooks(ctx, ids, limit, func(ix *catalogIndex) (func(e *ixBook) int32, []int32) {
		qs := make([]*bookQuery, len(groups))
		for i, g := range groups {
			qs[i] = ix.compile(shop.BookFilter{Query: search.Query{Terms: g}})
		}
		active := ix.code(string(shop.StatusActive))
		return func(e *ixBook) int32 {
			if e.status != active || e.notSoldAlone || len(e.prices) == 0 || (e.trackStock && e.stock <= 0) {
				return -1
			}
			for _, q := range qs {
				if q.holdsTerms(ix.titleTermsOf(e)) {
					return 0
				}
			}
			return 1
		}, nil
	})
	if err != nil {
		return nil, normalize(fmt.Errorf("books matching: %w", err))
	}
	return s.BooksByIDs(ctx, picked)
}
