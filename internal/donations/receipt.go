package donations

import (
	"fmt"
	"time"
)

// ReceiptStatus is where a tax receipt stands.
type ReceiptStatus string

// The states of a receipt: never deleted, never renumbered.
const (
	ReceiptIssued   ReceiptStatus = "issued"
	ReceiptAnnulled ReceiptStatus = "annulled"
)

// Receipt is a tax receipt (reçu fiscal) as issued: its number, what it
// certifies, the donor as it names them, and the PDF sent.
type Receipt struct {
	ID int64
	// Year and Seq make the number: one unbroken sequence per year.
	Year int
	Seq  int64
	// Number is "2026-000042".
	Number  string
	DonorID int64
	// DonationID is the gift of a single receipt, 0 for an annual one.
	DonationID int64
	// PeriodFrom and PeriodTo are the gift's date (both the same) or the
	// year an annual receipt covers.
	PeriodFrom, PeriodTo time.Time
	AmountCents          int64
	Method               Method
	DonorName            string
	DonorAddress         string
	Status               ReceiptStatus
	IssuedAt             time.Time
	AnnulledAt           time.Time
	ReplacesID           int64
	PDF                  []byte
}

// FormatNumber writes a receipt number: the year, then the sequence on
// six digits ("2026-000042"), so numbers sort as they were issued.
func FormatNumber(year int, seq int64) string {
	return fmt.Sprintf("%d-%06d", year, seq)
}
