package donations

// Registry is what the back office reads and writes about donors and tax
// receipts: search, a donor's gifts and yearly totals, exports and
// erasure, the receipts register. package storage implements it.
type Registry interface {
}
