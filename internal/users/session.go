package users

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// Session is a staff member's login, identified by a random token that
// only the browser holds; the database keeps its hash.
type Session struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
	// MFAPending is set between a right password and the second factor.
	MFAPending bool
	IP         string
	UserAgent  string
}

// PasswordReset is a single-use link to set a new password.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AuthStore keeps sessions, failed logins and reset links. Finders return
// apperr NotFound when nothing matches.
type AuthStore interface {
	// CreateSession stores s and records e in the same transaction.
	CreateSession(ctx context.Context, s *Session, e *audit.Entry) error
	// SessionByHash returns a session and its user.
	SessionByHash(ctx context.Context, hash string) (*Session, *User, error)
	// TouchSession moves a session's last use and expiry.
	TouchSession(ctx context.Context, hash string, lastSeen, expiresAt time.Time) error
	// ConfirmSession clears MFAPending.
	ConfirmSession(ctx context.Context, hash string, e *audit.Entry) error
	// DeleteSession ends one session, recording e when not nil.
	DeleteSession(ctx context.Context, hash string, e *audit.Entry) error
	// DeleteSessions ends every session of a user but keepHash, recording
	// e when not nil.
	DeleteSessions(ctx context.Context, userID int64, keepHash string, e *audit.Entry) error
	// Sessions returns a user's live sessions at now, newest first.
	Sessions(ctx context.Context, userID int64, now time.Time) ([]Session, error)

	// LockedUntil returns the latest lock among keys still in force at now (zero when none).
	LockedUntil(ctx context.Context, keys []string, now time.Time) (time.Time, error)
	// RecordFailure counts a failure on each key within window; the key
	// that reaches limit failures is locked for lockFor. It records e.
	RecordFailure(ctx context.Context, keys []string, now time.Time, window time.Duration, limit int, lockFor time.Duration, e *audit.Entry) error
	// ClearFailures forgets the failures of keys.
	ClearFailures(ctx context.Context, keys []string) error

	// CreatePasswordReset stores r, enqueues the email and records e (when
	// not nil) in one transaction.
	CreatePasswordReset(ctx context.Context, r *PasswordReset, mail job.Job, e *audit.Entry) error
	// UsePasswordReset checks that the link is unused and not expired at
	// now, marks it used, sets the user's new password hash and ends all
	// their sessions, in one transaction; it returns the user's ID.
	UsePasswordReset(ctx context.Context, hash string, now time.Time, passwordHash string, e *audit.Entry) (int64, error)

	// SetTOTP stores a user's second-factor secret and state, and records
	// e, only if the second factor is still in state was: Conflict
	// otherwise, so a setup started in one tab cannot overwrite (and turn
	// off) a second factor enabled meanwhile in another.
	SetTOTP(ctx context.Context, userID int64, was bool, secret string, enabled bool, e *audit.Entry) error
}
