package users

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// CreateImported stores an author brought by an import (the WordPress
// one) as a contributor without a password: the account signs articles
// but cannot log in until an admin sends it a link to choose a password
// (SendPasswordReset), or raises its role. Nobody is emailed.
func (s *Service) CreateImported(ctx context.Context, email, name, bio string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	if name, err = checkName(name); err != nil {
		return nil, err
	}
	slug, err := s.uniqueSlug(ctx, name)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &User{Email: email, Name: name, Slug: slug, Bio: strings.TrimSpace(bio), Role: RoleContributor,
		CreatedAt: now, UpdatedAt: now}
	fx := Effects{Audit: System.entry(now, audit.ActionUserCreate,
		fmt.Sprintf("%s <%s>, role %s, imported without a password", name, email, RoleContributor))}
	if err := s.store.CreateUser(ctx, u, fx); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "error.user.email_taken").InField("email")
		}
		return nil, fmt.Errorf("create user %s: %w", email, err)
	}
	return u, nil
}
