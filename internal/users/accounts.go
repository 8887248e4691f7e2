package users

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// Actor is who asks for a change to an account, for the rules and the
// audit log. It mirrors access.Actor, which this package cannot import
// (access imports it for Role).
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	// IP is the address the request came from.
	IP string
}

// System is the actor of the command line and the demo: it may manage
// every account.
var System = Actor{Name: "kiosque", Role: RoleAdmin}

// Audit actions recorded by this package besides those package audit names.
const (
	ActionUserEnable      = "user_enable"
	ActionUserUpdate      = "user_update"
	ActionUserPassword    = "user_password"
	ActionUserResetLink   = "user_reset_link"
	ActionSessionsRevoked = "sessions_revoked"
)

// InviteLifetime is how long the link of an invitation works, when the
// site has an invitation email (AuthOptions.InviteEmail); otherwise an
// invitation is a reset link and lasts ResetLifetime.
const InviteLifetime = 7 * 24 * time.Hour

// ErrLastAdmin refuses a change that would leave no active admin.
var ErrLastAdmin = apperr.New(apperr.Conflict, "error.user.last_admin")

// managesAccounts reports whether a may create and change other people's
// accounts: admins only, as access.ManageUsers grants (access imports this
// package, so the rule is restated here rather than asked of it).
func (a Actor) managesAccounts() bool { return a.Role == RoleAdmin }

func errForbidden() error { return apperr.New(apperr.Forbidden, "error.forbidden.text") }

// entry starts the audit entry of an action of a on an account.
func (a Actor) entry(at time.Time, action, summary string) *audit.Entry {
	return &audit.Entry{At: at, UserID: a.UserID, UserName: a.Name, Action: action, TargetType: "user", Summary: summary, IP: a.IP}
}

// Account is a user as the accounts page lists them.
type Account struct {
	*User
	// LastLogin is the latest recorded login, zero when none is.
	LastLogin time.Time
}

// Accounts returns every account with its last login, for admins.
func (s *Service) Accounts(ctx context.Context, actor Actor) ([]Account, error) {
	if !actor.managesAccounts() {
		return nil, errForbidden()
	}
	list, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	last, err := s.store.LastLogins(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Account, len(list))
	for i, u := range list {
		out[i] = Account{User: u, LastLogin: last[u.ID]}
	}
	return out, nil
}

// AccountByID returns one account with its last login, for admins.
func (s *Service) AccountByID(ctx context.Context, actor Actor, id int64) (*Account, error) {
	if !actor.managesAccounts() {
		return nil, errForbidden()
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	last, err := s.store.LastLogins(ctx)
	if err != nil {
		return nil, err
	}
	return &Account{User: u, LastLogin: last[u.ID]}, nil
}

// CreateBy validates in and stores a new account on behalf of actor, an
// admin. With in.Invite the account has no password yet: an email carries
// a link to choose one, enqueued in the same transaction.
func (s *Service) CreateBy(ctx context.Context, actor Actor, in NewUser) (*User, error) {
	if !actor.managesAccounts() {
		return nil, errForbidden()
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return nil, err
	}
	if !in.Role.Valid() {
		return nil, apperr.New(apperr.Invalid, "error.user.bad_role").InField("role")
	}
	var hash string
	if in.Invite {
		if in.Password != "" {
			return nil, apperr.New(apperr.Invalid, "error.user.invite_or_password").InField("password")
		}
	} else {
		if err := checkPassword(in.Password); err != nil {
			return nil, err
		}
		if hash, err = s.opts.PasswordCost.Hash(in.Password); err != nil {
			return nil, err
		}
	}
	slug, err := s.uniqueSlug(ctx, name)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	u := &User{Email: email, Name: name, Slug: slug, Bio: strings.TrimSpace(in.Bio), Role: in.Role,
		PasswordHash: hash, CreatedAt: now, UpdatedAt: now}
	summary := fmt.Sprintf("%s <%s>, role %s", name, email, in.Role)
	fx := Effects{}
	if in.Invite {
		link, mail, err := s.passwordLink(u, now, true)
		if err != nil {
			return nil, err
		}
		fx.Link, fx.Jobs = link, []job.Job{{Args: mail}}
		summary += ", invited by email"
	}
	fx.Audit = actor.entry(now, audit.ActionUserCreate, summary)
	if err := s.store.CreateUser(ctx, u, fx); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "error.user.email_taken").InField("email")
		}
		return nil, fmt.Errorf("create user %s: %w", email, err)
	}
	return u, nil
}

// SetRole changes the role of account id. An admin cannot demote
// themself, and the last active admin cannot be demoted (ErrLastAdmin).
func (s *Service) SetRole(ctx context.Context, actor Actor, id int64, role Role) error {
	if !actor.managesAccounts() {
		return errForbidden()
	}
	if !role.Valid() {
		return apperr.New(apperr.Invalid, "error.user.bad_role").InField("role")
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if u.Role == role {
		return nil
	}
	if u.ID == actor.UserID {
		return apperr.New(apperr.Invalid, "error.user.self_demote").InField("role")
	}
	now := s.clock.Now()
	_, err = s.store.UpdateUser(ctx, id, UserUpdate{Role: &role, UpdatedAt: now}, Effects{
		KeepAdmin: u.Role == RoleAdmin,
		Audit:     actor.entry(now, audit.ActionUserRole, fmt.Sprintf("%s: role %s → %s", u.Name, u.Role, role)),
	})
	if errors.Is(err, ErrLastAdmin) {
		return ErrLastAdmin.InField("role")
	}
	return err
}

// SetDisabled disables or re-enables account id. Disabling ends all the
// account's sessions at once; an admin cannot disable themself, and the
// last active admin cannot be disabled (ErrLastAdmin).
func (s *Service) SetDisabled(ctx context.Context, actor Actor, id int64, disabled bool) error {
	if !actor.managesAccounts() {
		return errForbidden()
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if u.Disabled == disabled {
		return nil
	}
	now := s.clock.Now()
	fx := Effects{Audit: actor.entry(now, ActionUserEnable, fmt.Sprintf("%s <%s>", u.Name, u.Email))}
	if disabled {
		if u.ID == actor.UserID {
			return apperr.New(apperr.Invalid, "error.user.self_disable")
		}
		fx.Audit.Action = audit.ActionUserDisable
		fx.EndSessions = true
		fx.KeepAdmin = u.Role == RoleAdmin
	}
	_, err = s.store.UpdateUser(ctx, id, UserUpdate{Disabled: &disabled, UpdatedAt: now}, fx)
	return err
}

// SendPasswordReset emails account id a link to choose a new password, on
// an admin's request; an account still waiting for its first password
// gets its invitation again.
func (s *Service) SendPasswordReset(ctx context.Context, actor Actor, id int64) error {
	if !actor.managesAccounts() {
		return errForbidden()
	}
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return err
	}
	if u.Disabled {
		return apperr.New(apperr.Invalid, "error.user.disabled")
	}
	now := s.clock.Now()
	link, mail, err := s.passwordLink(u, now, u.Invited())
	if err != nil {
		return err
	}
	link.UserID = u.ID
	e := actor.entry(now, ActionUserResetLink, fmt.Sprintf("%s <%s>", u.Name, u.Email))
	e.TargetID = u.ID
	return s.auth.CreatePasswordReset(ctx, link, job.Job{Args: mail}, e)
}

// passwordLink makes a single-use link to choose a password for u and the
// email that carries it: an invitation, when the site has one, for an
// account without a password yet.
func (s *Service) passwordLink(u *User, now time.Time, invite bool) (*PasswordReset, job.Email, error) {
	build, lifetime := s.opts.ResetEmail, ResetLifetime
	if invite && s.opts.InviteEmail != nil {
		build, lifetime = s.opts.InviteEmail, InviteLifetime
	}
	if build == nil {
		return nil, job.Email{}, errors.New("password link: no email template configured")
	}
	token := randomToken()
	r := &PasswordReset{TokenHash: HashToken(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(lifetime)}
	mail := build(u, token)
	mail.MessageID = fmt.Sprintf("<reset-%s@kiosque>", r.TokenHash[:16])
	return r, mail, nil
}
