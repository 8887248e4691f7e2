package donations

// Ledger is what the back office reads and writes about gifts and
// campaigns: lists with filters, totals per month, recurring revenue and
// churn. package storage implements it.
type Ledger interface {
}
