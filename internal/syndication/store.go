package syndication

import (
	"context"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// Store keeps the accounts (and, with the outbox, the deliveries).
// Implementations return apperr errors: NotFound when a finder matches
// nothing, Internal otherwise.
type Store interface {
	// CreateAccount stores a new account and sets its ID; seal returns
	// its secrets sealed for that ID, in the same transaction, with the
	// audit entry e (when not nil; its TargetID set to the account's).
	CreateAccount(ctx context.Context, a *Account, seal func(id int64) []byte, e *audit.Entry) error
	// UpdateAccount stores a's settings, and its sealed secrets unless
	// sealed is nil, with the audit entry e.
	UpdateAccount(ctx context.Context, a *Account, sealed []byte, e *audit.Entry) error
	// SetSecrets replaces an account's sealed secrets (a rotated token).
	SetSecrets(ctx context.Context, id int64, sealed []byte) error
	// Flag records an account's health: failing, and why.
	Flag(ctx context.Context, id int64, failing bool, lastError string) error
	// Account returns an account and its sealed secrets.
	Account(ctx context.Context, id int64) (*Account, []byte, error)
	// Accounts returns every account, by network then name.
	Accounts(ctx context.Context) ([]*Account, error)
	// DeleteAccount removes an account and its delivery log, with the
	// audit entry e.
	DeleteAccount(ctx context.Context, id int64, e *audit.Entry) error

	// Override returns the editor's choice for an article and account;
	// NotFound when there is none.
	Override(ctx context.Context, articleID, accountID int64) (Override, error)
	// DeliveriesOf returns an article's deliveries, oldest first.
	DeliveriesOf(ctx context.Context, articleID int64) ([]*Delivery, error)
	// Enqueue stores the deliveries that do not exist yet (by article,
	// account, kind and version) and, in the same transaction, a
	// DeliverJob for each queued one at its NextAttemptAt.
	Enqueue(ctx context.Context, ds []*Delivery) error
	// Delivery returns one delivery.
	Delivery(ctx context.Context, id int64) (*Delivery, error)
	// UpdateDelivery stores d's state, attempts, text, remote post,
	// error and times.
	UpdateDelivery(ctx context.Context, d *Delivery) error
	// Checkpoint stores what an attempt saved before publishing.
	Checkpoint(ctx context.Context, id int64, state string) error
	// Deliveries returns the newest deliveries matching q, and how many
	// match.
	Deliveries(ctx context.Context, q DeliveryQuery) ([]*DeliveryRow, int, error)
	// Requeue stores d queued again and enqueues j, in one transaction.
	Requeue(ctx context.Context, d *Delivery, j DeliverJob) error
	// FailAccount stores d (failed) and flags its account failing with
	// why, in one transaction; only when the account was not failing yet,
	// it also enqueues the jobs of alert (the admins' email), so that an
	// account failing for many deliveries sends one alert.
	FailAccount(ctx context.Context, d *Delivery, why string, alert func() ([]job.Job, error)) error
	// SetOverride stores an editor's choice; a zero Override removes it.
	SetOverride(ctx context.Context, articleID, accountID int64, o Override) error
}

// Override is an editor's choice for one article and account.
type Override struct {
	// Skip sends nothing to that account.
	Skip bool
	// Message replaces the account's template when not empty.
	Message string
}

// Sealer encrypts secrets for one place (see package secretbox).
type Sealer interface {
	Seal(plaintext []byte, where string) []byte
	Open(sealed []byte, where string) ([]byte, error)
}
