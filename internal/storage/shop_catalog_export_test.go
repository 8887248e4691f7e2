package storage

// SetTextCacheForTest turns the cache of text matches on or off, so that
// benchmarks measure the databases too.
func (s *CatalogStore) SetTextCacheForTest(on bool) {
	s.ix.text.mu.Lock()
	defer s.ix.text.mu.Unlock()
	s.ix.text.off = !on
	s.ix.text.m, s.ix.text.ids = nil, 0
}
