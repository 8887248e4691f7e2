package users

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"sync"
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
	// dummyHash is checked when the email is unknown, to spend the same
	// time as for a known one. It is made on first use, at the cost of
	// real hashes.
	dummyHash func() string
}

// NewService returns a Service on store.
func NewService(store Store, auth AuthStore, clk clock.Clock, opts AuthOptions) *Service {
	s := &Service{store: store, auth: auth, clock: clk, opts: opts}
	s.dummyHash = sync.OnceValue(func() string {
		h, err := opts.PasswordCost.Hash("kiosque timing equaliser")
		if err != nil {
			// Only a failing system random source gets here; then no
			// password can be hashed and logins fail anyway.
			return ""
		}
		return h
	})
	return s
}

// NewUser is what is needed to create an account.
type NewUser struct {
	Email    string
	Name     string
	Bio      string
	Role     Role
	Password string
	// Invite leaves the password unset and emails a link to choose one;
	// Password must then be empty.
	Invite bool
}

// Create validates in and stores a new account with a hashed password,
// as the system (the command line, the demo).
func (s *Service) Create(ctx context.Context, in NewUser) (*User, error) {
	return s.CreateBy(ctx, System, in)
}

// SetPassword replaces the password of the account with this email, as
// the system: every session of the account ends, and a lock left by
// failed logins is lifted.
func (s *Service) SetPassword(ctx context.Context, email, password string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	u, err := s.ByEmail(ctx, email)
	if err != nil {
		return err
	}
	hash, err := s.opts.PasswordCost.Hash(password)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	_, err = s.store.UpdateUser(ctx, u.ID, UserUpdate{PasswordHash: &hash, UpdatedAt: now}, Effects{
		EndSessions: true, Audit: System.entry(now, ActionUserPassword, "set from the command line")})
	if err != nil {
		return fmt.Errorf("set password of %s: %w", u.Email, err)
	}
	return s.auth.ClearFailures(ctx, []string{"account:" + u.Email})
}

// ByEmail returns the account with this email.
func (s *Service) ByEmail(ctx context.Context, email string) (*User, error) {
	e, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByEmail(ctx, e)
	if apperr.Is(err, apperr.NotFound) {
		return nil, apperr.Wrap(err, apperr.NotFound, "error.user.not_found").InField("email")
	}
	return u, err
}

// List returns every account.
func (s *Service) List(ctx context.Context) ([]*User, error) {
	return s.store.Users(ctx)
}

// checkName trims a person's name and checks its length.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return "", apperr.New(apperr.Invalid, "error.user.name_required").InField("name")
	}
	return name, nil
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
