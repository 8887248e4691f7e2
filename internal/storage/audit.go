package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
)

// AuditStore implements audit.Store.
type AuditStore struct{ db *DB }

// NewAuditStore returns the audit store of db.
func NewAuditStore(db *DB) *AuditStore { return &AuditStore{db: db} }

var _ audit.Store = (*AuditStore)(nil)

// recordAudit writes e inside the transaction of the change it records.
func recordAudit(ctx context.Context, q querier, e *audit.Entry) error {
	if e == nil {
		return nil
	}
	if e.At.IsZero() {
		e.At = time.Now()
	}
	var userID, targetID any
	if e.UserID != 0 {
		userID = e.UserID
	}
	if e.TargetID != 0 {
		targetID = e.TargetID
	}
	_, err := q.exec(ctx, `INSERT INTO audit_log (at, user_id, user_name, action, target_type, target_id, summary, ip)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, e.At.UTC(), userID, e.UserName, e.Action, e.TargetType, targetID, truncate(e.Summary, 500), e.IP)
	if err != nil {
		return fmt.Errorf("record %s in the audit log: %w", e.Action, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// RecordAudit implements audit.Store.
func (s *AuditStore) RecordAudit(ctx context.Context, e audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error { return recordAudit(ctx, tx.q, &e) })
}

// AuditEntries implements audit.Store.
func (s *AuditStore) AuditEntries(ctx context.Context, beforeID int64, limit int) ([]audit.Entry, error) {
	if beforeID <= 0 {
		beforeID = 1 << 62
	}
	rs, err := s.db.reader().query(ctx, `SELECT id, at, COALESCE(user_id, 0), user_name, action, target_type,
		COALESCE(target_id, 0), summary, ip FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2`, beforeID, limit)
	if err != nil {
		return nil, normalize(fmt.Errorf("read audit log: %w", err))
	}
	defer rs.Close()
	var out []audit.Entry
	for rs.Next() {
		var e audit.Entry
		var at dbTime
		if err := rs.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Action, &e.TargetType, &e.TargetID, &e.Summary, &e.IP); err != nil {
			return nil, normalize(fmt.Errorf("scan audit entry: %w", err))
		}
		e.At = at.t
		out = append(out, e)
	}
	return out, normalize(rs.Err())
}
