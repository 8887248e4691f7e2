package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/users"
)

// AuthStore implements users.AuthStore.
type AuthStore struct{ db *DB }

// NewAuthStore returns the sessions and login store of db.
func NewAuthStore(db *DB) *AuthStore { return &AuthStore{db: db} }

var _ users.AuthStore = (*AuthStore)(nil)

// CreateSession implements users.AuthStore.
func (s *AuthStore) CreateSession(ctx context.Context, sess *users.Session, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at, mfa_pending, ip, user_agent)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, sess.TokenHash, sess.UserID, sess.CreatedAt.UTC(), sess.LastSeen.UTC(),
			sess.ExpiresAt.UTC(), sess.MFAPending, sess.IP, sess.UserAgent)
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// SessionByHash implements users.AuthStore.
func (s *AuthStore) SessionByHash(ctx context.Context, hash string) (*users.Session, *users.User, error) {
	sess := &users.Session{}
	var created, seen, expires dbTime
	u, err := scanUser(s.db.reader().queryRow(ctx, `SELECT `+userColumns+`, s.token_hash, s.user_id, s.created_at, s.last_seen,
		s.expires_at, s.mfa_pending, s.ip, s.user_agent FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`, hash),
		&sess.TokenHash, &sess.UserID, &created, &seen, &expires, &sess.MFAPending, &sess.IP, &sess.UserAgent)
	if err != nil {
		return nil, nil, normalize(fmt.Errorf("session: %w", err))
	}
	sess.CreatedAt, sess.LastSeen, sess.ExpiresAt = created.t, seen.t, expires.t
	return sess, u, nil
}

// TouchSession implements users.AuthStore.
func (s *AuthStore) TouchSession(ctx context.Context, hash string, lastSeen, expiresAt time.Time) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, "UPDATE sessions SET last_seen = $2, expires_at = $3 WHERE token_hash = $1", hash, lastSeen.UTC(), expiresAt.UTC())
		return err
	})
}

// ConfirmSession implements users.AuthStore.
func (s *AuthStore) ConfirmSession(ctx context.Context, hash string, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		now := e.At
		n, err := tx.q.exec(ctx, "UPDATE sessions SET mfa_pending = FALSE, last_seen = $2, expires_at = $3 WHERE token_hash = $1 AND mfa_pending",
			hash, now.UTC(), now.Add(users.SessionLifetime).UTC())
		if err != nil {
			return fmt.Errorf("confirm session: %w", err)
		}
		if n == 0 {
			return apperr.New(apperr.Unauthorized, "error.unauthorized")
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// DeleteSession implements users.AuthStore.
func (s *AuthStore) DeleteSession(ctx context.Context, hash string, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", hash); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// DeleteSessions implements users.AuthStore.
func (s *AuthStore) DeleteSessions(ctx context.Context, userID int64, keepHash string, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, keepHash); err != nil {
			return fmt.Errorf("end sessions of user %d: %w", userID, err)
		}
		if e != nil {
			e.TargetID = userID
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// Sessions implements users.AuthStore.
func (s *AuthStore) Sessions(ctx context.Context, userID int64, now time.Time) ([]users.Session, error) {
	rs, err := s.db.reader().query(ctx, `SELECT token_hash, user_id, created_at, last_seen, expires_at, mfa_pending, ip, user_agent
		FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY last_seen DESC`, userID, now.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("list sessions: %w", err))
	}
	defer rs.Close()
	var out []users.Session
	for rs.Next() {
		var sess users.Session
		var created, seen, expires dbTime
		if err := rs.Scan(&sess.TokenHash, &sess.UserID, &created, &seen, &expires, &sess.MFAPending, &sess.IP, &sess.UserAgent); err != nil {
			return nil, normalize(err)
		}
		sess.CreatedAt, sess.LastSeen, sess.ExpiresAt = created.t, seen.t, expires.t
		out = append(out, sess)
	}
	return out, normalize(rs.Err())
}

// LockedUntil implements users.AuthStore.
func (s *AuthStore) LockedUntil(ctx context.Context, keys []string, now time.Time) (time.Time, error) {
	args := []any{now.UTC()}
	for _, k := range keys {
		args = append(args, k)
	}
	var until dbTime
	err := s.db.reader().queryRow(ctx, "SELECT MAX(locked_until) FROM login_failures WHERE locked_until > $1 AND key IN ("+placeholders(2, len(keys))+")", args...).Scan(&until)
	if err != nil {
		return time.Time{}, normalize(fmt.Errorf("check login throttle: %w", err))
	}
	return until.t, nil
}

// RecordFailure implements users.AuthStore.
func (s *AuthStore) RecordFailure(ctx context.Context, keys []string, now time.Time, window time.Duration, limit int, lockFor time.Duration, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		for _, k := range keys {
			var failures int
			var start dbTime
			err := tx.q.queryRow(ctx, "SELECT failures, window_start FROM login_failures WHERE key = $1", k).Scan(&failures, &start)
			switch {
			case apperr.Is(normalize(err), apperr.NotFound):
				failures, start.t = 0, now
			case err != nil:
				return fmt.Errorf("read login failures: %w", err)
			}
			if now.Sub(start.t) > window {
				failures, start.t = 0, now
			}
			failures++
			var locked any
			if failures >= limit {
				locked = now.Add(lockFor).UTC()
				failures = 0
				start.t = now
			}
			_, err = tx.q.exec(ctx, `INSERT INTO login_failures (key, failures, window_start, locked_until) VALUES ($1, $2, $3, $4)
				ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
				locked_until = COALESCE(excluded.locked_until, login_failures.locked_until)`, k, failures, start.t.UTC(), locked)
			if err != nil {
				return fmt.Errorf("count login failure: %w", err)
			}
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// ClearFailures implements users.AuthStore.
func (s *AuthStore) ClearFailures(ctx context.Context, keys []string) error {
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, "DELETE FROM login_failures WHERE key IN ("+placeholders(1, len(keys))+")", args...)
		return err
	})
}

// CreatePasswordReset implements users.AuthStore.
func (s *AuthStore) CreatePasswordReset(ctx context.Context, r *users.PasswordReset, mail job.Job, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
			r.TokenHash, r.UserID, r.CreatedAt.UTC(), r.ExpiresAt.UTC())
		if err != nil {
			return fmt.Errorf("store reset link: %w", err)
		}
		if err := tx.enqueue(ctx, []job.Job{mail}); err != nil {
			return err
		}
		return recordAudit(ctx, tx.q, e)
	})
}

// UsePasswordReset implements users.AuthStore.
func (s *AuthStore) UsePasswordReset(ctx context.Context, hash string, now time.Time, passwordHash string, e *audit.Entry) (int64, error) {
	var userID int64
	err := s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
			RETURNING user_id`, hash, now.UTC()).Scan(&userID)
		if err != nil {
			return fmt.Errorf("use reset link: %w", err)
		}
		if _, err := tx.q.exec(ctx, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", userID, passwordHash, now.UTC()); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM sessions WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		// Every other link of the account dies with this use.
		if _, err := tx.q.exec(ctx, "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL", userID, now.UTC()); err != nil {
			return fmt.Errorf("expire reset links: %w", err)
		}
		if e != nil {
			e.UserID, e.TargetID = userID, userID
			var name string
			if err := tx.q.queryRow(ctx, "SELECT name FROM users WHERE id = $1", userID).Scan(&name); err == nil {
				e.UserName = name
			}
		}
		return recordAudit(ctx, tx.q, e)
	})
	return userID, err
}

// SetTOTP implements users.AuthStore.
func (s *AuthStore) SetTOTP(ctx context.Context, userID int64, was bool, secret string, enabled bool, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE users SET totp_secret = $2, totp_enabled = $3 WHERE id = $1 AND totp_enabled = $4",
			userID, secret, enabled, was)
		if err != nil {
			return fmt.Errorf("set second factor of user %d: %w", userID, err)
		}
		if n == 0 {
			return apperr.Wrap(fmt.Errorf("set second factor of user %d: changed meanwhile", userID), apperr.Conflict, "error.conflict")
		}
		if e != nil {
			e.TargetID = userID
		}
		return recordAudit(ctx, tx.q, e)
	})
}
