package users

import (
	"context"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Profile is what a person may change of their own account.
type Profile struct {
	Name  string
	Email string
	// Password is the current password, needed to change the email: reset
	// links go to that address, so whoever changes it could take the
	// account over.
	Password string
}

// UpdateProfile changes the name and email of the actor's own account
// and returns it as changed. Conflict when another account has the email.
func (s *Service) UpdateProfile(ctx context.Context, actor Actor, in Profile) (*User, error) {
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	name, err := checkName(in.Name)
	if err != nil {
		return nil, err
	}
	email, err := NormalizeEmail(in.Email)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	upd := UserUpdate{UpdatedAt: now}
	var changes []string
	if name != u.Name {
		upd.Name = &name
		changes = append(changes, fmt.Sprintf("name %s → %s", u.Name, name))
	}
	if email != u.Email {
		if err := s.checkCurrentPassword(ctx, u, in.Password); err != nil {
			return nil, err
		}
		upd.Email = &email
		changes = append(changes, fmt.Sprintf("email %s → %s", u.Email, email))
	}
	if len(changes) == 0 {
		return u, nil
	}
	updated, err := s.store.UpdateUser(ctx, u.ID, upd, Effects{Audit: actor.entry(now, ActionUserUpdate, strings.Join(changes, ", "))})
	if apperr.Is(err, apperr.Conflict) {
		return nil, apperr.Wrap(err, apperr.Conflict, "error.user.email_taken").InField("email")
	}
	if err != nil {
		return nil, fmt.Errorf("update profile of user %d: %w", u.ID, err)
	}
	return updated, nil
}

// ChangePassword replaces the actor's password, given the current one,
// and ends every other session of the account: all but the one of
// keepToken, the session asking.
func (s *Service) ChangePassword(ctx context.Context, actor Actor, current, next, keepToken string) error {
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if err := checkPassword(next); err != nil {
		return err
	}
	if err := s.checkCurrentPassword(ctx, u, current); err != nil {
		return err
	}
	hash, err := s.opts.PasswordCost.Hash(next)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	_, err = s.store.UpdateUser(ctx, u.ID, UserUpdate{PasswordHash: &hash, UpdatedAt: now}, Effects{
		EndSessions: true, KeepSession: HashToken(keepToken), Audit: actor.entry(now, ActionUserPassword, "")})
	if err != nil {
		return fmt.Errorf("change password of user %d: %w", u.ID, err)
	}
	return nil
}

// checkCurrentPassword confirms a sensitive change with the password of
// u. Wrong guesses are throttled like logins, so a session left open
// cannot be used to find the password.
func (s *Service) checkCurrentPassword(ctx context.Context, u *User, password string) error {
	if password == "" {
		return apperr.New(apperr.Invalid, "error.user.current_required").InField("current")
	}
	now := s.clock.Now()
	keys := []string{fmt.Sprintf("password:%d", u.ID)}
	if err := s.checkThrottle(ctx, keys, now); err != nil {
		return err
	}
	if ok, _ := CheckPassword(u.PasswordHash, password); !ok {
		if err := s.auth.RecordFailure(ctx, keys, now, FailureWindow, MaxFailures, LockDuration, nil); err != nil {
			return err
		}
		return apperr.New(apperr.Invalid, "error.user.wrong_password").InField("current")
	}
	return s.auth.ClearFailures(ctx, keys)
}
