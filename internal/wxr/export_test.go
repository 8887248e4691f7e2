package wxr

// SetLimits lowers the reader's limits (MaxFieldBytes, MaxItemBytes,
// MaxHeaderBytes) for a test, and returns what restores them. Tests that
// call it must not run in parallel.
func SetLimits(field, item, header int) (restore func()) {
	old := limits
	limits.field, limits.item, limits.header = field, item, header
	return func() { limits = old }
}
