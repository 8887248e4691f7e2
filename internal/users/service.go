package users

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/textproc"
)

// MinPasswordLength is the shortest password accepted (NIST SP 800-63B).
const MinPasswordLength = 12

// Service applies the rules for staff accounts and their logins.
type Service struct {
	store Store
	auth  AuthStore
	clock clock.Clock
	opts  AuthOptions
}

// NewService returns a Service on store.
func NewService(store Store, auth AuthStore, clk clock.Clock, opts AuthOptions) *Service {
	return &Service{store: store, auth: auth, clock: clk, opts: opts}
}

// NewUser is what is needed to create an account.
type NewUser struct {
	Email    string
	Name     string
	Bio      string
	Role     Role
	Password string
}

// Create validates in and stores a new account with a hashed password.
func (s *Service) Create(ctx context.Context, in NewUser) (*User, error) {
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return nil, apperr.New(apperr.Invalid, "error.user.name_required").InField("name")
	}
	if !in.Role.Valid() {
		return nil, apperr.New(apperr.Invalid, "error.user.bad_role").InField("role")
	}
	if err := checkPassword(in.Password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	slug, err := s.uniqueSlug(ctx, name)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &User{Email: email, Name: name, Slug: slug, Bio: strings.TrimSpace(in.Bio), Role: in.Role,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "error.user.email_taken").InField("email")
		}
		return nil, fmt.Errorf("create user %s: %w", email, err)
	}
	return u, nil
}

// SetPassword replaces the password of the account with this email.
func (s *Service) SetPassword(ctx context.Context, email, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	u, err := s.ByEmail(ctx, email)
	if err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.SetPasswordHash(ctx, u.ID, hash, s.clock.Now()); err != nil {
		return err
	}
	// A new password ends every session opened with the old one.
	return s.auth.DeleteSessions(ctx, u.ID, "")
}

// ByEmail returns the account with this email.
func (s *Service) ByEmail(ctx context.Context, email string) (*User, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	return s.store.UserByEmail(ctx, e)
}

// List returns every account.
func (s *Service) List(ctx context.Context) ([]*User, error) {
	return s.store.Users(ctx)
}

// NormalizeEmail checks that email is a bare address and lowercases it, so
// one person cannot hold two accounts by changing case.
func NormalizeEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 {
		return "", apperr.New(apperr.Invalid, "error.user.bad_email").InField("email")
	}
	return strings.ToLower(email), nil
}

func (s *Service) uniqueSlug(ctx context.Context, name string) (string, error) {
	base := textproc.Slugify(name)
	if base == "" {
		base = "auteur"
	}
	slug := base
	for n := 2; n < 1000; n++ {
		taken, err := s.store.UserSlugExists(ctx, slug, 0)
		if err != nil {
			return "", fmt.Errorf("check user slug: %w", err)
		}
		if !taken {
			return slug, nil
		}
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return "", apperr.New(apperr.Conflict, "error.conflict")
}
