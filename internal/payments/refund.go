package payments

// RefundReason is why a payment is given back, in the provider's terms;
// a reason of the site's own (a book out of stock) goes in the metadata.
type RefundReason string

// The reasons a provider knows. Fraudulent also blocks the card.
const (
	// RefundUnspecified gives no reason.
	RefundUnspecified RefundReason = ""
	// RefundRequestedByCustomer: the buyer cancelled.
	RefundRequestedByCustomer RefundReason = "requested_by_customer"
	// RefundDuplicate: the same thing was paid twice.
	RefundDuplicate RefundReason = "duplicate"
	// RefundFraudulent: the payment was not the card holder's.
	RefundFraudulent RefundReason = "fraudulent"
)

// RefundRequest asks the provider to give back some or all of a payment.
type RefundRequest struct {
	// PaymentID is the provider's id of the payment (Event.PaymentID,
	// a pi_…).
	PaymentID string
	// AmountCents is how much to give back; 0 means all that is left.
	AmountCents int64
	Reason      RefundReason
	// Reference is the site's id of what was paid (an order), kept with
	// the refund; optional.
	Reference string
	// Metadata are kept with the refund.
	Metadata map[string]string
	// IdempotencyKey is required: a refund retried by a job, or after a
	// timeout, must give the money back once.
	IdempotencyKey string
}

// RefundStatus is where a refund stands.
type RefundStatus string

// The statuses of a refund; most card refunds succeed at once, other
// methods stay pending a while and may fail.
const (
	RefundPending        RefundStatus = "pending"
	RefundRequiresAction RefundStatus = "requires_action"
	RefundSucceeded      RefundStatus = "succeeded"
	RefundFailed         RefundStatus = "failed"
	RefundCanceled       RefundStatus = "canceled"
)

// Refund is a refund the provider accepted.
type Refund struct {
	// ID is the provider's id of the refund (re_…).
	ID string
	// AmountCents is what this refund gives back.
	AmountCents int64
	Status      RefundStatus
}
