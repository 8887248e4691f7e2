package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
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

// Secret returns the site's secret named name, made of 32 random bytes the
// first time it is asked for and kept in the database from then on, so
// every instance signs and checks with the same key and nobody has to
// configure one. Two instances asking at once get the same secret: the
// first insert wins.
func (db *DB) Secret(ctx context.Context, name string) ([]byte, error) {
	key := "secret." + name
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("make secret %q: %w", name, err)
	}
	err := db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			key, hex.EncodeToString(b), time.Now().UTC())
		return err
	})
	if err != nil {
		return nil, normalize(fmt.Errorf("store secret %q: %w", name, err))
	}
	var v string
	if err := db.reader().queryRow(ctx, "SELECT value FROM settings WHERE name = $1", key).Scan(&v); err != nil {
		return nil, normalize(fmt.Errorf("read secret %q: %w", name, err))
	}
	secret, err := hex.DecodeString(v)
	if err != nil || len(secret) < 16 {
		return nil, fmt.Errorf("secret %q is damaged: delete its settings row to make a new one", name)
	}
	return secret, nil
}
