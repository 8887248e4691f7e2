package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/users"
)

// UserStore implements users.Store.
type UserStore struct{ db *DB }

// NewUserStore returns the user store of db.
func NewUserStore(db *DB) *UserStore { return &UserStore{db: db} }

var _ users.Store = (*UserStore)(nil)

const userColumns = "u.id, u.email, u.name, u.slug, u.bio, u.role, u.password_hash, u.totp_secret, u.totp_enabled, u.disabled, u.created_at, u.updated_at"

func scanUser(r row, extra ...any) (*users.User, error) {
	u := &users.User{}
	var role string
	var created, updated dbTime
	dest := []any{&u.ID, &u.Email, &u.Name, &u.Slug, &u.Bio, &role, &u.PasswordHash, &u.TOTPSecret, &u.TOTPEnabled, &u.Disabled, &created, &updated}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	u.Role = users.Role(role)
	u.CreatedAt, u.UpdatedAt = created.t, updated.t
	return u, nil
}

// CreateUser implements users.Store.
func (s *UserStore) CreateUser(ctx context.Context, u *users.User) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO users (email, name, slug, bio, role, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Email, u.Name, u.Slug, u.Bio, string(u.Role), u.PasswordHash, u.CreatedAt.UTC(), u.UpdatedAt.UTC()).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert user %s: %w", u.Email, err)
		}
		tx.changed(Change{Entity: EntityUser, IDs: []int64{u.ID}})
		return nil
	})
}

// UserByEmail implements users.Store.
func (s *UserStore) UserByEmail(ctx context.Context, email string) (*users.User, error) {
	u, err := scanUser(s.db.reader().queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.email = $1", email))
	if err != nil {
		return nil, normalize(fmt.Errorf("user %s: %w", email, err))
	}
	return u, nil
}

// UserByID implements users.Store.
func (s *UserStore) UserByID(ctx context.Context, id int64) (*users.User, error) {
	u, err := scanUser(s.db.reader().queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("user %d: %w", id, err))
	}
	return u, nil
}

// Users implements users.Store.
func (s *UserStore) Users(ctx context.Context) ([]*users.User, error) {
	rs, err := s.db.reader().query(ctx, "SELECT "+userColumns+" FROM users u ORDER BY u.name, u.id")
	if err != nil {
		return nil, normalize(fmt.Errorf("list users: %w", err))
	}
	defer rs.Close()
	var out []*users.User
	for rs.Next() {
		u, err := scanUser(rs)
		if err != nil {
			return nil, normalize(fmt.Errorf("scan user: %w", err))
		}
		out = append(out, u)
	}
	return out, normalize(rs.Err())
}

// SetPasswordHash implements users.Store.
func (s *UserStore) SetPasswordHash(ctx context.Context, id int64, hash string, at time.Time) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1", id, hash, at.UTC())
		if err != nil {
			return fmt.Errorf("set password of user %d: %w", id, err)
		}
		if n == 0 {
			return normalize(fmt.Errorf("set password of user %d: %w", id, errNoRows))
		}
		return nil
	})
}

// UserSlugExists implements users.Store.
func (s *UserStore) UserSlugExists(ctx context.Context, slug string, exceptID int64) (bool, error) {
	var n int
	if err := s.db.reader().queryRow(ctx, "SELECT COUNT(*) FROM users WHERE slug = $1 AND id <> $2", slug, exceptID).Scan(&n); err != nil {
		return false, normalize(fmt.Errorf("check user slug: %w", err))
	}
	return n > 0, nil
}
