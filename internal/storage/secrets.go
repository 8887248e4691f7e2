package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
)

// SecretValue returns the site's secret named name, made by generate the
// first time it is asked for and kept in the database from then on: a key
// every instance must share (the fediverse actor's RSA key). Two
// instances asking at once get the same value: the first insert wins.
func (db *DB) SecretValue(ctx context.Context, name string, generate func() (string, error)) (string, error) {
	key := "secret." + name
	var v string
	err := db.reader().queryRow(ctx, "SELECT value FROM settings WHERE name = $1", key).Scan(&v)
	if err == nil {
		return v, nil
	}
	if err = normalize(err); !apperr.Is(err, apperr.NotFound) {
		return "", fmt.Errorf("read secret %q: %w", name, err)
	}
	fresh, err := generate()
	if err != nil {
		return "", fmt.Errorf("make secret %q: %w", name, err)
	}
	err = db.inTx(ctx, func(tx *Tx) error {
		_, err := tx.q.exec(ctx, `INSERT INTO settings (name, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
			key, fresh, time.Now().UTC())
		return err
	})
	if err != nil {
		return "", normalize(fmt.Errorf("store secret %q: %w", name, err))
	}
	// The value stored, which another instance's may be.
	if err := db.reader().queryRow(ctx, "SELECT value FROM settings WHERE name = $1", key).Scan(&v); err != nil {
		return "", normalize(fmt.Errorf("read secret %q: %w", name, err))
	}
	return v, nil
}
