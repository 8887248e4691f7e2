package users

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/job"
)

// Session and throttling policy.
const (
	// SessionLifetime is how long a session lasts without use; each use
	// extends it, up to SessionMaxAge from the login.
	SessionLifetime = 14 * 24 * time.Hour
	SessionMaxAge   = 90 * 24 * time.Hour
	// touchEvery limits writes: a session's last use is stored at most
	// this often, not at every request.
	touchEvery = 5 * time.Minute
	// mfaWindow is how long a right password waits for its second factor.
	mfaWindow = 10 * time.Minute

	// MaxFailures failed logins within FailureWindow lock the account, or
	// the address, for LockDuration.
	MaxFailures   = 10
	FailureWindow = 15 * time.Minute
	LockDuration  = 15 * time.Minute

	// ResetLifetime is how long a password reset link works.
	ResetLifetime = time.Hour
)

// AuthOptions are the parts of authentication that depend on the site.
type AuthOptions struct {
	// ResetEmail builds the email carrying a reset link for token.
	ResetEmail func(u *User, token string) job.Email
	// InviteEmail builds the email inviting a new account to choose its
	// password through the link of token, valid for InviteLifetime; when
	// nil, an invitation is sent as a reset email.
	InviteEmail func(u *User, token string) job.Email
	// Issuer names the site in authenticator apps ("kiosque" when empty).
	Issuer string
	// PasswordCost is the work factor of new password hashes; the zero
	// value is DefaultPasswordCost.
	PasswordCost PasswordCost
}

// Login checks email and password. A right password opens a session; with
// a second factor enabled, the session waits for VerifyTOTP. Failures are
// throttled per account and per address, and every failure reads the
// same, so the messages tell nobody which accounts exist.
func (s *Service) Login(ctx context.Context, email, password, ip, userAgent string) (token string, mfaPending bool, err error) {
	now := s.clock.Now()
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"account:" + email, "address:" + addressKey(ip)}
	if err := s.checkThrottle(ctx, keys, now); err != nil {
		return "", false, err
	}
	u, uerr := s.store.UserByEmail(ctx, email)
	if uerr != nil && !apperr.Is(uerr, apperr.NotFound) {
		return "", false, uerr
	}
	// Hash even for an unknown email, or an account invited but without a
	// password yet, so timing tells nothing either.
	hash := s.dummyHash()
	if uerr == nil && !u.Invited() {
		hash = u.PasswordHash
	}
	ok, _ := CheckPassword(hash, password)
	if uerr != nil || !ok || u.Disabled || u.Invited() {
		e := &audit.Entry{At: now, Action: audit.ActionLoginFailed, Summary: email, IP: ip}
		if uerr == nil {
			e.UserID, e.UserName, e.TargetType, e.TargetID = u.ID, u.Name, "user", u.ID
		}
		if err := s.auth.RecordFailure(ctx, keys, now, FailureWindow, MaxFailures, LockDuration, e); err != nil {
			return "", false, err
		}
		return "", false, apperr.New(apperr.Unauthorized, "error.login.failed")
	}
	if err := s.auth.ClearFailures(ctx, keys[:1]); err != nil {
		return "", false, err
	}
	token, sess := newSession(u.ID, now, ip, userAgent)
	sess.MFAPending = u.TOTPEnabled
	if sess.MFAPending {
		sess.ExpiresAt = now.Add(mfaWindow)
	}
	e := &audit.Entry{At: now, UserID: u.ID, UserName: u.Name, Action: audit.ActionLogin, TargetType: "user", TargetID: u.ID, IP: ip}
	if sess.MFAPending {
		e = nil // recorded once the second factor is given
	}
	if err := s.auth.CreateSession(ctx, sess, e); err != nil {
		return "", false, fmt.Errorf("create session: %w", err)
	}
	return token, sess.MFAPending, nil
}

func (s *Service) checkThrottle(ctx context.Context, keys []string, now time.Time) error {
	until, err := s.auth.LockedUntil(ctx, keys, now)
	if err != nil {
		return err
	}
	if !until.IsZero() {
		minutes := int(until.Sub(now).Round(time.Minute) / time.Minute)
		return apperr.New(apperr.Throttled, "error.login.throttled", max(minutes, 1))
	}
	return nil
}

// addressKey groups IPv6 addresses by /64, the block one client holds,
// so throttling cannot be dodged by walking an address range.
func addressKey(ip string) string {
	addr := net.ParseIP(ip)
	if addr == nil {
		return ip
	}
	if v4 := addr.To4(); v4 != nil {
		return v4.String()
	}
	return addr.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

func newSession(userID int64, now time.Time, ip, ua string) (string, *Session) {
	token := randomToken()
	if len(ua) > 300 {
		ua = ua[:300]
	}
	return token, &Session{TokenHash: HashToken(token), UserID: userID, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(SessionLifetime), IP: ip, UserAgent: ua}
}

// randomToken returns 32 random bytes in URL-safe base64.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the stored form of a session or reset token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the user of a session token, extending the session
// as it is used. A session awaiting its second factor is Unauthorized here.
func (s *Service) Authenticate(ctx context.Context, token string) (*User, *Session, error) {
	if token == "" {
		return nil, nil, apperr.New(apperr.Unauthorized, "error.unauthorized")
	}
	now := s.clock.Now()
	sess, u, err := s.auth.SessionByHash(ctx, HashToken(token))
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, apperr.New(apperr.Unauthorized, "error.unauthorized")
	}
	if err != nil {
		return nil, nil, err
	}
	if !now.Before(sess.ExpiresAt) || u.Disabled || sess.MFAPending {
		return nil, sess, apperr.New(apperr.Unauthorized, "error.unauthorized")
	}
	if now.Sub(sess.LastSeen) > touchEvery {
		exp := now.Add(SessionLifetime)
		if limit := sess.CreatedAt.Add(SessionMaxAge); exp.After(limit) {
			exp = limit
		}
		if err := s.auth.TouchSession(ctx, sess.TokenHash, now, exp); err != nil {
			return nil, nil, err
		}
		sess.LastSeen, sess.ExpiresAt = now, exp
	}
	return u, sess, nil
}

// VerifyTOTP completes a login with the code of the user's authenticator.
func (s *Service) VerifyTOTP(ctx context.Context, token, code, ip string) error {
	now := s.clock.Now()
	sess, u, err := s.auth.SessionByHash(ctx, HashToken(token))
	if err != nil || !sess.MFAPending || !now.Before(sess.ExpiresAt) {
		return apperr.New(apperr.Unauthorized, "error.unauthorized")
	}
	keys := []string{fmt.Sprintf("totp:%d", u.ID)}
	if err := s.checkThrottle(ctx, keys, now); err != nil {
		return err
	}
	if !validTOTP(u.TOTPSecret, code, now) {
		e := &audit.Entry{At: now, UserID: u.ID, UserName: u.Name, Action: audit.ActionLoginFailed, Summary: "second factor", IP: ip}
		if err := s.auth.RecordFailure(ctx, keys, now, FailureWindow, MaxFailures, LockDuration, e); err != nil {
			return err
		}
		return apperr.New(apperr.Invalid, "error.totp.bad_code").InField("code")
	}
	if err := s.auth.ClearFailures(ctx, keys); err != nil {
		return err
	}
	return s.auth.ConfirmSession(ctx, sess.TokenHash, &audit.Entry{At: now, UserID: u.ID, UserName: u.Name,
		Action: audit.ActionLogin, TargetType: "user", TargetID: u.ID, Summary: "with second factor", IP: ip})
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token, ip string) error {
	if token == "" {
		return nil
	}
	hash := HashToken(token)
	sess, u, err := s.auth.SessionByHash(ctx, hash)
	if err != nil {
		return nil //nolint:nilerr // no session: nothing to end
	}
	return s.auth.DeleteSession(ctx, hash, &audit.Entry{At: s.clock.Now(), UserID: sess.UserID, UserName: u.Name,
		Action: audit.ActionLogout, TargetType: "user", TargetID: sess.UserID, IP: ip})
}

// Sessions returns a user's live sessions.
func (s *Service) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	return s.auth.Sessions(ctx, userID, s.clock.Now())
}

// RevokeOtherSessions ends every session of the actor but the current one.
func (s *Service) RevokeOtherSessions(ctx context.Context, actor Actor, currentToken string) error {
	return s.auth.DeleteSessions(ctx, actor.UserID, HashToken(currentToken),
		actor.entry(s.clock.Now(), ActionSessionsRevoked, "other sessions signed out"))
}

// RequestPasswordReset emails a reset link if an account has this email.
// It says nothing either way (no enumeration), but is throttled per address.
func (s *Service) RequestPasswordReset(ctx context.Context, email, ip string) error {
	now := s.clock.Now()
	keys := []string{"reset:" + addressKey(ip)}
	if err := s.checkThrottle(ctx, keys, now); err != nil {
		return err
	}
	// Every request counts, so one address cannot flood someone's inbox.
	if err := s.auth.RecordFailure(ctx, keys, now, FailureWindow, MaxFailures, LockDuration, nil); err != nil {
		return err
	}
	u, err := s.ByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Invalid) || (err == nil && u.Disabled) {
		return nil
	}
	if err != nil {
		return err
	}
	r, mail, err := s.passwordLink(u, now, u.Invited())
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return s.auth.CreatePasswordReset(ctx, r, job.Job{Args: mail}, nil)
}

// ResetPassword sets a new password with a reset link's token, once, and
// ends every session of the account.
func (s *Service) ResetPassword(ctx context.Context, token, password, ip string) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := s.opts.PasswordCost.Hash(password)
	if err != nil {
		return err
	}
	now := s.clock.Now()
	_, err = s.auth.UsePasswordReset(ctx, HashToken(token), now, hash,
		&audit.Entry{At: now, Action: audit.ActionPasswordReset, TargetType: "user", IP: ip})
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.Invalid, "error.reset.invalid_link")
	}
	return err
}

func checkPassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return apperr.New(apperr.Invalid, "error.user.password_too_short", MinPasswordLength).InField("password")
	}
	if len(p) > 1024 {
		return apperr.New(apperr.Invalid, "error.user.password_too_long").InField("password")
	}
	return nil
}
