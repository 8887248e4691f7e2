package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/settings"
)

// SettingsStore implements settings.Store.
type SettingsStore struct{ db *DB }

// NewSettingsStore returns the settings store of db.
func NewSettingsStore(db *DB) *SettingsStore { return &SettingsStore{db: db} }

var _ settings.Store = (*SettingsStore)(nil)

// Setting implements settings.Store.
func (s *SettingsStore) Setting(ctx context.Context, name string) (string, error) {
	var v string
	if err := s.db.reader().queryRow(ctx, "SELECT value FROM settings WHERE name = $1", name).Scan(&v); err != nil {
		return "", normalize(fmt.Errorf("setting %q: %w", name, err))
	}
	return v, nil
}

// SaveSetting implements settings.Store.
func (s *SettingsStore) SaveSetting(ctx context.Context, name, value string, at time.Time, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, name, value, at.UTC())
		if err != nil {
			return fmt.Errorf("save setting %q: %w", name, err)
		}
		if err := recordAudit(ctx, tx.q, e); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntitySettings})
		return nil
	})
}
