package syndication

import "context"

// Store keeps the accounts (and, with the outbox, the deliveries).
// Implementations return apperr errors: NotFound when a finder matches
// nothing, Internal otherwise.
type Store interface {
	// CreateAccount stores a new account and sets its ID; seal returns
	// its secrets sealed for that ID, in the same transaction.
	CreateAccount(ctx context.Context, a *Account, seal func(id int64) []byte) error
	// UpdateAccount stores a's settings, and its sealed secrets unless
	// sealed is nil.
	UpdateAccount(ctx context.Context, a *Account, sealed []byte) error
	// SetSecrets replaces an account's sealed secrets (a rotated token).
	SetSecrets(ctx context.Context, id int64, sealed []byte) error
	// Flag records an account's health: failing, and why.
	Flag(ctx context.Context, id int64, failing bool, lastError string) error
	// Account returns an account and its sealed secrets.
	Account(ctx context.Context, id int64) (*Account, []byte, error)
	// Accounts returns every account, by network then name.
	Accounts(ctx context.Context) ([]*Account, error)
	// DeleteAccount removes an account and its delivery log.
	DeleteAccount(ctx context.Context, id int64) error
}

// Sealer encrypts secrets for one place (see package secretbox).
type Sealer interface {
	Seal(plaintext []byte, where string) []byte
	Open(sealed []byte, where string) ([]byte, error)
}
