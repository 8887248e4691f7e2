// Package users holds the newsroom's staff accounts: who they are, what
// their role lets them do, and how their passwords are kept.
package users

import (
	"context"
	"time"

	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// Role is a set of permissions, named as in WordPress so that newsrooms
// moving over find what they know.
type Role string

// The roles, from the most to the least powerful.
const (
	// RoleAdmin can do everything, including settings and accounts.
	RoleAdmin Role = "admin"
	// RoleEditor manages all articles, categories and comments.
	RoleEditor Role = "editor"
	// RoleAuthor writes and publishes their own articles.
	RoleAuthor Role = "author"
	// RoleContributor writes drafts and submits them for review.
	RoleContributor Role = "contributor"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleEditor, RoleAuthor, RoleContributor:
		return true
	}
	return false
}

// User is a staff account; its public face is a content.Author.
type User struct {
	ID           int64
	Email        string
	Name         string
	Slug         string
	Bio          string
	Role         Role
	PasswordHash string
	// TOTPSecret is the second-factor secret; TOTPEnabled once confirmed.
	TOTPSecret  string
	TOTPEnabled bool
	// Disabled accounts cannot log in.
	Disabled  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Invited reports whether the account still waits for its first password,
// chosen through the link of its invitation.
func (u *User) Invited() bool { return u.PasswordHash == "" }

// UserUpdate lists the fields of an account to change; nil fields stay
// as they are.
type UserUpdate struct {
	Email        *string
	Name         *string
	Role         *Role
	Disabled     *bool
	PasswordHash *string
	UpdatedAt    time.Time
}

// Effects are what a change to an account carries besides its fields. The
// store keeps them in the change's transaction, so they happen exactly
// when it does.
type Effects struct {
	// Audit is recorded with the change; its TargetID is set to the account's.
	Audit *audit.Entry
	// Link is a set-password link for the account (the store sets its
	// UserID), and Jobs the email that carries it.
	Link *PasswordReset
	Jobs []job.Job
	// EndSessions ends the account's sessions, all but the one whose token
	// hash is KeepSession.
	EndSessions bool
	KeepSession string
	// KeepAdmin makes the store refuse the change with ErrLastAdmin if it
	// would leave no active admin. The service decides when the rule
	// applies; the store checks it under lock in the same transaction as
	// the write, so two admins demoting each other at the same moment
	// cannot both succeed.
	KeepAdmin bool
}

// Store keeps users. Finders return apperr NotFound when nothing matches.
type Store interface {
	// CreateUser inserts u, sets its ID and stores fx; Conflict when the
	// email or slug is taken.
	CreateUser(ctx context.Context, u *User, fx Effects) error
	// UserByEmail finds a user by lowercased email.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UserByID finds a user by ID.
	UserByID(ctx context.Context, id int64) (*User, error)
	// Users returns every user, by name.
	Users(ctx context.Context) ([]*User, error)
	// UpdateUser changes the fields set in upd, stores fx and returns the
	// account as changed: NotFound for an unknown id, Conflict when the
	// new email is taken, ErrLastAdmin when fx.KeepAdmin refuses it.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate, fx Effects) (*User, error)
	// UserSlugExists reports whether a user other than exceptID has slug.
	UserSlugExists(ctx context.Context, slug string, exceptID int64) (bool, error)
	// LastLogins returns the time of each account's latest recorded login,
	// by user ID; accounts never seen logging in are absent.
	LastLogins(ctx context.Context) (map[int64]time.Time, error)
}
