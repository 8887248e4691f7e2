package storage

import "time"

// SetTextCacheForTest turns the cache of text matches on or off, so that
// benchmarks measure the databases too.
func (s *CatalogStore) SetTextCacheForTest(on bool) {
	s.ix.text.mu.Lock()
	defer s.ix.text.mu.Unlock()
	s.ix.text.off = !on
	s.ix.text.m, s.ix.text.ids = nil, 0
}

// SetTextIndexForTest makes text searches ask the database (off) or the
// text index in memory (on).
func (s *CatalogStore) SetTextIndexForTest(on bool) {
	s.ix.mu.Lock()
	defer s.ix.mu.Unlock()
	s.ix.textOff = !on
}

// TextIndexBuiltForTest reports whether the text index answers searches.
func (s *CatalogStore) TextIndexBuiltForTest() bool {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	return s.ix.txt != nil
}

// DropTextIndexForTest forgets the text index, which the next search or
// Warm builds again.
func (s *CatalogStore) DropTextIndexForTest() {
	s.ix.mu.Lock()
	defer s.ix.mu.Unlock()
	s.ix.txt, s.ix.textTried = nil, time.Time{}
}

// TextIndexStatsForTest returns the number of terms of the text index and
// the bytes of its postings.
func (s *CatalogStore) TextIndexStatsForTest() (terms, bytes int) {
	s.ix.mu.RLock()
	defer s.ix.mu.RUnlock()
	x := s.ix.txt
	return len(x.dict), len(x.gaps) + 8*len(x.bits)
}
