// Package users holds the newsroom's staff accounts: who they are, what
// their role lets them do, and how their passwords are kept.
package users

import (
	"context"
	"time"
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

// Store keeps users. Finders return apperr NotFound when nothing matches;
// CreateUser returns Conflict when the email or slug is taken.
type Store interface {
	// CreateUser inserts u and sets its ID.
	CreateUser(ctx context.Context, u *User) error
	// UserByEmail finds a user by lowercased email.
	UserByEmail(ctx context.Context, email string) (*User, error)
	// UserByID finds a user by ID.
	UserByID(ctx context.Context, id int64) (*User, error)
	// Users returns every user, by name.
	Users(ctx context.Context) ([]*User, error)
	// SetPasswordHash replaces a user's password hash.
	SetPasswordHash(ctx context.Context, id int64, hash string, at time.Time) error
	// UserSlugExists reports whether a user other than exceptID has slug.
	UserSlugExists(ctx context.Context, slug string, exceptID int64) (bool, error)
}
