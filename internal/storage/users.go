package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
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
func (s *UserStore) CreateUser(ctx context.Context, u *users.User, fx users.Effects) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO users (email, name, slug, bio, role, password_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Email, u.Name, u.Slug, u.Bio, string(u.Role), u.PasswordHash, u.CreatedAt.UTC(), u.UpdatedAt.UTC()).Scan(&u.ID)
		if err != nil {
			return fmt.Errorf("insert user %s: %w", u.Email, err)
		}
		tx.changed(Change{Entity: EntityUser, IDs: []int64{u.ID}})
		return userEffects(ctx, tx, u.ID, fx)
	})
}

// UpdateUser implements users.Store.
func (s *UserStore) UpdateUser(ctx context.Context, id int64, upd users.UserUpdate, fx users.Effects) (*users.User, error) {
	var u *users.User
	err := s.db.inTx(ctx, func(tx *Tx) error {
		if fx.KeepAdmin {
			if err := lockAdmins(ctx, tx); err != nil {
				return err
			}
		}
		sets, args := []string{"updated_at = $2"}, []any{id, upd.UpdatedAt.UTC()}
		set := func(column string, v any) {
			args = append(args, v)
			sets = append(sets, fmt.Sprintf("%s = $%d", column, len(args)))
		}
		if upd.Email != nil {
			set("email", *upd.Email)
		}
		if upd.Name != nil {
			set("name", *upd.Name)
		}
		if upd.Role != nil {
			set("role", string(*upd.Role))
		}
		if upd.Disabled != nil {
			set("disabled", *upd.Disabled)
		}
		if upd.PasswordHash != nil {
			set("password_hash", *upd.PasswordHash)
		}
		n, err := tx.q.exec(ctx, "UPDATE users SET "+strings.Join(sets, ", ")+" WHERE id = $1", args...)
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if n == 0 {
			return fmt.Errorf("update user %d: %w", id, errNoRows)
		}
		if fx.KeepAdmin {
			var admins int
			if err := tx.q.queryRow(ctx, "SELECT COUNT(*) FROM users WHERE role = $1 AND NOT disabled", string(users.RoleAdmin)).Scan(&admins); err != nil {
				return fmt.Errorf("count admins: %w", err)
			}
			if admins == 0 {
				return users.ErrLastAdmin
			}
		}
		tx.changed(Change{Entity: EntityUser, IDs: []int64{id}})
		if err := userEffects(ctx, tx, id, fx); err != nil {
			return err
		}
		u, err = scanUser(tx.q.queryRow(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = $1", id))
		if err != nil {
			return fmt.Errorf("read user %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// lockAdmins locks the rows of the active admins until the transaction
// ends, so that concurrent changes that each leave one admin run one after
// the other and the second sees the first. SQLite needs nothing: it has
// one writer at a time.
func lockAdmins(ctx context.Context, tx *Tx) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	rs, err := tx.q.query(ctx, "SELECT id FROM users WHERE role = $1 AND NOT disabled ORDER BY id FOR UPDATE", string(users.RoleAdmin))
	if err != nil {
		return fmt.Errorf("lock admins: %w", err)
	}
	defer rs.Close()
	for rs.Next() {
	}
	return rs.Err()
}

// userEffects stores what a change to account id carries, in its transaction.
func userEffects(ctx context.Context, tx *Tx, id int64, fx users.Effects) error {
	if fx.EndSessions {
		if _, err := tx.q.exec(ctx, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", id, fx.KeepSession); err != nil {
			return fmt.Errorf("end sessions of user %d: %w", id, err)
		}
	}
	if r := fx.Link; r != nil {
		r.UserID = id
		_, err := tx.q.exec(ctx, "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
			r.TokenHash, r.UserID, r.CreatedAt.UTC(), r.ExpiresAt.UTC())
		if err != nil {
			return fmt.Errorf("store password link of user %d: %w", id, err)
		}
	}
	if err := tx.enqueue(ctx, fx.Jobs); err != nil {
		return err
	}
	if fx.Audit != nil {
		fx.Audit.TargetID = id
		if fx.Audit.TargetType == "" {
			fx.Audit.TargetType = "user"
		}
	}
	return recordAudit(ctx, tx.q, fx.Audit)
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

// UserSlugExists implements users.Store.
func (s *UserStore) UserSlugExists(ctx context.Context, slug string, exceptID int64) (bool, error) {
	var n int
	if err := s.db.reader().queryRow(ctx, "SELECT COUNT(*) FROM users WHERE slug = $1 AND id <> $2", slug, exceptID).Scan(&n); err != nil {
		return false, normalize(fmt.Errorf("check user slug: %w", err))
	}
	return n > 0, nil
}

// LastLogins implements users.Store. Logins are read from the audit log,
// where each one is recorded.
func (s *UserStore) LastLogins(ctx context.Context) (map[int64]time.Time, error) {
	rs, err := s.db.reader().query(ctx, `SELECT user_id, MAX(at) FROM audit_log WHERE action = $1 AND user_id IS NOT NULL
		GROUP BY user_id`, audit.ActionLogin)
	if err != nil {
		return nil, normalize(fmt.Errorf("read last logins: %w", err))
	}
	defer rs.Close()
	out := map[int64]time.Time{}
	for rs.Next() {
		var id int64
		var at dbTime
		if err := rs.Scan(&id, &at); err != nil {
			return nil, normalize(fmt.Errorf("scan last login: %w", err))
		}
		out[id] = at.t
	}
	return out, normalize(rs.Err())
}
