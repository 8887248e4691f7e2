package users

import (
	"bytes"
	"context"
	"encoding/base32"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// TOTPSetup is what the user needs to add the site to an authenticator.
type TOTPSetup struct {
	// Secret is the base32 secret, for typing it in by hand.
	Secret string
	URL    string
	// QRPNG is the otpauth URL as a QR code image.
	QRPNG []byte
}

// BeginTOTP makes a new secret for the actor's own account, pending until
// EnableTOTP confirms it. Conflict when the second factor is already on:
// replacing it takes turning it off first, with the password.
//
// The pending secret is kept on the account (TOTPSecret set, TOTPEnabled
// false), never only in the page: the browser sends back nothing but a
// code, so it cannot choose the secret it confirms. Logins ignore a
// pending secret.
func (s *Service) BeginTOTP(ctx context.Context, actor Actor) (*TOTPSetup, error) {
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return nil, err
	}
	if u.TOTPEnabled {
		return nil, apperr.New(apperr.Conflict, "error.totp.already_on")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer(), AccountName: u.Email})
	if err != nil {
		return nil, fmt.Errorf("generate totp secret: %w", err)
	}
	if err := s.auth.SetTOTP(ctx, u.ID, false, key.Secret(), false, nil); err != nil {
		return nil, err
	}
	return setupOf(key)
}

// PendingTOTP returns the setup of a secret begun on u but not confirmed
// yet; NotFound when there is none.
func (s *Service) PendingTOTP(u *User) (*TOTPSetup, error) {
	if u.TOTPEnabled || u.TOTPSecret == "" {
		return nil, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	raw, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(u.TOTPSecret)
	if err != nil {
		return nil, fmt.Errorf("read pending totp secret of user %d: %w", u.ID, err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.issuer(), AccountName: u.Email, Secret: raw})
	if err != nil {
		return nil, fmt.Errorf("rebuild totp key: %w", err)
	}
	return setupOf(key)
}

func (s *Service) issuer() string {
	if s.opts.Issuer == "" {
		return "kiosque"
	}
	return s.opts.Issuer
}

func setupOf(key *otp.Key) (*TOTPSetup, error) {
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	return &TOTPSetup{Secret: key.Secret(), URL: key.URL(), QRPNG: buf.Bytes()}, nil
}

// EnableTOTP turns the second factor on once the actor proves with a code
// that their authenticator holds the pending secret.
func (s *Service) EnableTOTP(ctx context.Context, actor Actor, code string) error {
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if u.TOTPEnabled {
		return apperr.New(apperr.Conflict, "error.totp.already_on")
	}
	if u.TOTPSecret == "" {
		return apperr.New(apperr.Invalid, "error.totp.not_started").InField("code")
	}
	now := s.clock.Now()
	if !validTOTP(u.TOTPSecret, code, now) {
		return apperr.New(apperr.Invalid, "error.totp.bad_code").InField("code")
	}
	return s.auth.SetTOTP(ctx, u.ID, false, u.TOTPSecret, true, actor.entry(now, audit.ActionTOTPEnabled, ""))
}

// CancelTOTP forgets a pending secret that was never confirmed.
func (s *Service) CancelTOTP(ctx context.Context, actor Actor) error {
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if u.TOTPEnabled {
		return apperr.New(apperr.Conflict, "error.totp.already_on")
	}
	return s.auth.SetTOTP(ctx, u.ID, false, "", false, nil)
}

// DisableTOTP turns the actor's second factor off; it takes their current
// password, so a session left open is not enough to remove it.
func (s *Service) DisableTOTP(ctx context.Context, actor Actor, password string) error {
	u, err := s.store.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	if !u.TOTPEnabled {
		return apperr.New(apperr.Conflict, "error.totp.already_off")
	}
	if err := s.checkCurrentPassword(ctx, u, password); err != nil {
		return err
	}
	return s.auth.SetTOTP(ctx, u.ID, true, "", false, actor.entry(s.clock.Now(), audit.ActionTOTPDisabled, ""))
}

func validTOTP(secret, code string, now time.Time) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if secret == "" || len(code) != 6 {
		return false
	}
	ok, err := totp.ValidateCustom(code, secret, now, totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	return err == nil && ok
}
