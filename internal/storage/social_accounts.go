package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/syndication"
)

// SocialStore keeps the social accounts and their deliveries.
type SocialStore struct{ db *DB }

// NewSocialStore returns the social store of db.
func NewSocialStore(db *DB) *SocialStore { return &SocialStore{db: db} }

var _ syndication.Store = (*SocialStore)(nil)

// EntitySocial names changes to social accounts and deliveries: no public
// page shows them.
const EntitySocial = "social"

const accountColumns = `id, network, name, config, template, rules, enabled, failing, last_error,
	profile_name, profile_url, created_at, updated_at`

func scanAccount(r row, sealed *[]byte) (*syndication.Account, error) {
	a := &syndication.Account{}
	var cfg, rules string
	var created, updated dbTime
	dest := []any{&a.ID, &a.Network, &a.Name, &cfg, &a.Template, &rules, &a.Enabled, &a.Failing, &a.LastError,
		&a.Profile.Name, &a.Profile.URL, &created, &updated}
	if sealed != nil {
		dest = append(dest, sealed)
	}
	if err := r.Scan(dest...); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(cfg), &a.Config); err != nil {
		return nil, fmt.Errorf("config of social account %d: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(rules), &a.Rules); err != nil {
		return nil, fmt.Errorf("rules of social account %d: %w", a.ID, err)
	}
	a.CreatedAt, a.UpdatedAt = created.t, updated.t
	return a, nil
}

func accountJSON(a *syndication.Account) (cfg, rules string, err error) {
	c, err := json.Marshal(a.Config)
	if err != nil {
		return "", "", err
	}
	r, err := json.Marshal(a.Rules)
	if err != nil {
		return "", "", err
	}
	return string(c), string(r), nil
}

// CreateAccount implements syndication.Store.
func (s *SocialStore) CreateAccount(ctx context.Context, a *syndication.Account, seal func(id int64) []byte, e *audit.Entry) error {
	cfg, rules, err := accountJSON(a)
	if err != nil {
		return fmt.Errorf("create social account: %w", err)
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO social_accounts (network, name, config, secrets, template, rules, enabled,
			failing, last_error, profile_name, profile_url, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			string(a.Network), a.Name, cfg, []byte{}, a.Template, rules, a.Enabled, a.Failing, a.LastError,
			a.Profile.Name, a.Profile.URL, a.CreatedAt.UTC(), a.UpdatedAt.UTC()).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("create social account: %w", err)
		}
		if _, err := tx.q.exec(ctx, "UPDATE social_accounts SET secrets = $1 WHERE id = $2", seal(a.ID), a.ID); err != nil {
			return fmt.Errorf("seal secrets of social account %d: %w", a.ID, err)
		}
		if e != nil {
			e.TargetID = a.ID
			if err := recordAudit(ctx, tx.q, e); err != nil {
				return err
			}
		}
		tx.changed(Change{Entity: EntitySocial})
		return nil
	})
}

// UpdateAccount implements syndication.Store.
func (s *SocialStore) UpdateAccount(ctx context.Context, a *syndication.Account, sealed []byte, e *audit.Entry) error {
	cfg, rules, err := accountJSON(a)
	if err != nil {
		return fmt.Errorf("update social account %d: %w", a.ID, err)
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE social_accounts SET name = $2, config = $3, template = $4, rules = $5, enabled = $6,
			failing = $7, last_error = $8, profile_name = $9, profile_url = $10, updated_at = $11 WHERE id = $1`,
			a.ID, a.Name, cfg, a.Template, rules, a.Enabled, a.Failing, a.LastError, a.Profile.Name, a.Profile.URL, a.UpdatedAt.UTC())
		if err != nil {
			return fmt.Errorf("update social account %d: %w", a.ID, err)
		}
		if n == 0 {
			return fmt.Errorf("update social account %d: %w", a.ID, errNoRows)
		}
		if sealed != nil {
			if _, err := tx.q.exec(ctx, "UPDATE social_accounts SET secrets = $1 WHERE id = $2", sealed, a.ID); err != nil {
				return fmt.Errorf("seal secrets of social account %d: %w", a.ID, err)
			}
		}
		if e != nil {
			if err := recordAudit(ctx, tx.q, e); err != nil {
				return err
			}
		}
		tx.changed(Change{Entity: EntitySocial})
		return nil
	})
}

// SetSecrets implements syndication.Store.
func (s *SocialStore) SetSecrets(ctx context.Context, id int64, sealed []byte) error {
	return s.exec1(ctx, fmt.Sprintf("store secrets of social account %d", id),
		"UPDATE social_accounts SET secrets = $1 WHERE id = $2", sealed, id)
}

// Flag implements syndication.Store.
func (s *SocialStore) Flag(ctx context.Context, id int64, failing bool, lastError string) error {
	return s.exec1(ctx, fmt.Sprintf("flag social account %d", id),
		"UPDATE social_accounts SET failing = $1, last_error = $2 WHERE id = $3", failing, lastError, id)
}

// exec1 runs a write that must change one row, NotFound otherwise.
func (s *SocialStore) exec1(ctx context.Context, what, query string, args ...any) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, query, args...)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		tx.changed(Change{Entity: EntitySocial})
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Account implements syndication.Store.
func (s *SocialStore) Account(ctx context.Context, id int64) (*syndication.Account, []byte, error) {
	var sealed []byte
	a, err := scanAccount(s.db.reader().queryRow(ctx, "SELECT "+accountColumns+", secrets FROM social_accounts WHERE id = $1", id), &sealed)
	if err != nil {
		return nil, nil, normalize(fmt.Errorf("social account %d: %w", id, err))
	}
	return a, sealed, nil
}

// Accounts implements syndication.Store.
func (s *SocialStore) Accounts(ctx context.Context) ([]*syndication.Account, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+accountColumns+" FROM social_accounts ORDER BY network, name, id")
	if err != nil {
		return nil, normalize(fmt.Errorf("social accounts: %w", err))
	}
	defer rs.Close()
	var out []*syndication.Account
	for rs.Next() {
		a, err := scanAccount(rs, nil)
		if err != nil {
			return nil, normalize(fmt.Errorf("social accounts: %w", err))
		}
		out = append(out, a)
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("social accounts: %w", err))
	}
	return out, nil
}

// DeleteAccount implements syndication.Store.
func (s *SocialStore) DeleteAccount(ctx context.Context, id int64, e *audit.Entry) error {
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "DELETE FROM social_accounts WHERE id = $1", id)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRows
		}
		if e != nil {
			if err := recordAudit(ctx, tx.q, e); err != nil {
				return err
			}
		}
		tx.changed(Change{Entity: EntitySocial})
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete social account %d: %w", id, err)
	}
	return nil
}
