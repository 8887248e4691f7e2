package donations

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/payments"
)

// Mails writes the donors' emails in the site's language; package app
// implements it with the message catalogue.
type Mails interface {
	// ThankYou thanks donor for d, a gift just paid, with its tax receipt
	// attached when r is not nil.
	ThankYou(donor *Donor, d *Donation, r *Receipt) job.Email
	// ReceiptCorrected tells donor that a refund annulled their receipt,
	// with the replacement attached when there is one.
	ReceiptCorrected(donor *Donor, annulled, replacement *Receipt) job.Email
	// AnnualReceipt sends donor the summary receipt of a year's monthly
	// gifts.
	AnnualReceipt(donor *Donor, r *Receipt) job.Email
}

// Deps are what a Service works with.
type Deps struct {
	Store Store
	// Payments takes the money, nil when no provider is configured; its
	// name ("stripe") is ProviderName.
	Payments     payments.Provider
	ProviderName string
	Clock        clock.Clock
	Mails        Mails
	// ReceiptsEnabled reports whether the association issues tax
	// receipts: then a donor's postal address is required.
	ReceiptsEnabled func() bool
	// Secret signs the links handed to donors (stopping a monthly gift).
	Secret []byte
	// Issuer tells whether and as whom tax receipts are issued; nil
	// issues none.
	Issuer Issuer
	// CounterpartCeiling is the most a donor may receive in return for
	// their gifts of a year and still get tax receipts, in cents; nil is
	// DefaultCounterpartCeiling.
	CounterpartCeiling func() int64
	// Audit records the back office's exports of a donor's data; without
	// it, exports are refused.
	Audit audit.Recorder
	Log   *slog.Logger
}

// Service is the readers' support: gifts through the payment provider,
// and what its events mean for the records.
type Service struct {
	Deps
}

// NewService returns a Service on d.
func NewService(d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.ReceiptsEnabled == nil {
		d.ReceiptsEnabled = func() bool { return false }
	}
	return &Service{Deps: d}
}

// Gift is what a donor filled in on the donation page.
type Gift struct {
	AmountCents int64
	Frequency   Frequency
	Email       string
	FirstNames  string
	LastName    string
	Address     string
	PostalCode  string
	City        string
	Country     string
	Anonymous   bool
	CampaignID  int64
	// Locale is the checkout page's language.
	Locale string
	// SuccessURL and CancelURL are where the donor comes back.
	SuccessURL, CancelURL string
	// Description names the gift on the checkout page.
	Description string
}

// Limits on the donor's fields, in characters.
const (
	maxNameLen    = 100
	maxAddressLen = 300
)

// Start records a gift as pending and opens the provider's checkout page
// for it, whose address the donor is sent to. The page comes first: when
// the provider is down, the donor gets apperr.Unavailable and nothing is
// recorded; the gift becomes paid only by the provider's signed event.
func (s *Service) Start(ctx context.Context, g Gift) (*payments.CheckoutSession, error) {
	if s.Payments == nil {
		return nil, ErrNotConfigured
	}
	g = trimGift(g)
	if err := s.validate(g); err != nil {
		return nil, err
	}
	ref, err := newReference()
	if err != nil {
		return nil, fmt.Errorf("start gift: %w", err)
	}
	mode := payments.OneOff
	if g.Frequency == Monthly {
		mode = payments.Monthly
	}
	session, err := s.Payments.CreateCheckout(ctx, payments.CheckoutRequest{
		Reference: ref, Mode: mode, AmountCents: g.AmountCents, Currency: "eur", Description: g.Description,
		Email: g.Email, Locale: g.Locale, SuccessURL: g.SuccessURL, CancelURL: g.CancelURL,
		Metadata: map[string]string{"kiosque_reference": ref, "kind": "donation"}, IdempotencyKey: "donation-" + ref,
	})
	if err != nil {
		if errors.Is(err, payments.ErrUnavailable) {
			return nil, apperr.Wrap(err, apperr.Unavailable, "error.donation.provider_down")
		}
		return nil, fmt.Errorf("start gift: %w", err)
	}
	now := s.Clock.Now()
	donor := &Donor{Email: g.Email, FirstNames: g.FirstNames, LastName: g.LastName, Address: g.Address,
		PostalCode: g.PostalCode, City: g.City, Country: g.Country, Anonymous: g.Anonymous, CreatedAt: now, UpdatedAt: now}
	d := &Donation{Reference: ref, CampaignID: g.CampaignID, AmountCents: g.AmountCents, Currency: "eur",
		Frequency: g.Frequency, Status: StatusPending, Method: MethodCard, Provider: s.ProviderName,
		SessionID: session.ID, CreatedAt: now, UpdatedAt: now}
	var sub *Subscription
	if g.Frequency == Monthly {
		sub = &Subscription{AmountCents: g.AmountCents, Currency: "eur", Provider: s.ProviderName,
			Status: SubscriptionPending, CreatedAt: now}
	}
	if err := s.Store.StartGift(ctx, donor, d, sub, nil); err != nil {
		// The checkout page expires unpaid; an event about it finds no
		// gift and is acknowledged.
		return nil, fmt.Errorf("start gift: %w", err)
	}
	return session, nil
}

func trimGift(g Gift) Gift {
	t := strings.TrimSpace
	g.Email = strings.ToLower(t(g.Email))
	g.FirstNames, g.LastName, g.Address, g.PostalCode, g.City = t(g.FirstNames), t(g.LastName), t(g.Address), t(g.PostalCode), t(g.City)
	g.Country = strings.ToUpper(t(g.Country))
	if g.Country == "" {
		g.Country = "FR"
	}
	return g
}

// validate reports every field at fault.
func (s *Service) validate(g Gift) error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	if err := CheckAmount(g.AmountCents); err != nil {
		errs = append(errs, err)
	}
	if !g.Frequency.Valid() {
		bad("frequency", "error.donation.frequency")
	}
	if a, err := mail.ParseAddress(g.Email); err != nil || a.Address != g.Email || len(g.Email) > 254 {
		bad("email", "error.donation.email")
	}
	for _, f := range []struct{ field, value string }{{"first_names", g.FirstNames}, {"last_name", g.LastName}} {
		switch {
		case f.value == "":
			bad(f.field, "error.donation.name_required")
		case utf8.RuneCountInString(f.value) > maxNameLen || !utf8.ValidString(f.value):
			bad(f.field, "error.donation.too_long", maxNameLen)
		}
	}
	// A tax receipt needs the donor's full address.
	if s.ReceiptsEnabled() {
		for _, f := range []struct{ field, value string }{{"address", g.Address}, {"postal_code", g.PostalCode}, {"city", g.City}} {
			if f.value == "" {
				bad(f.field, "error.donation.address_required")
			}
		}
	}
	for _, f := range []struct{ field, value string }{{"address", g.Address}, {"postal_code", g.PostalCode}, {"city", g.City}} {
		if utf8.RuneCountInString(f.value) > maxAddressLen || !utf8.ValidString(f.value) {
			bad(f.field, "error.donation.too_long", maxAddressLen)
		}
	}
	if len(g.Country) != 2 || strings.Trim(g.Country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		bad("country", "error.donation.country")
	}
	return errors.Join(errs...)
}

// newReference returns an unguessable id for the payment provider: it
// comes back in events, and must not let anyone name another's gift.
func newReference() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "don_" + hex.EncodeToString(b), nil
}

// ErrNotConfigured is returned by Start when no payment provider is set:
// the site shows its appeal and takes gifts by cheque or transfer only.
var ErrNotConfigured = apperr.New(apperr.Unavailable, "error.donation.not_configured")

// Online reports whether gifts can be made on the site.
func (s *Service) Online() bool { return s.Payments != nil }

// Progress returns what the campaign running now has raised, or nil when
// none runs.
func (s *Service) Progress(ctx context.Context) (*Progress, error) {
	now := s.Clock.Now()
	c, err := s.Store.CurrentCampaign(ctx, now)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("campaign progress: %w", err)
	}
	cents, donors, err := s.Store.Raised(ctx, c.StartsAt, c.EndsAt)
	if err != nil {
		return nil, fmt.Errorf("campaign progress: %w", err)
	}
	return &Progress{Campaign: c, RaisedCents: cents, Donors: donors}, nil
}

// OfflineGift is a cheque, a transfer or cash an admin enters.
type OfflineGift struct {
	AmountCents int64
	Method      Method
	// ReceivedAt is when the money reached the association's account:
	// the date a tax receipt gives.
	ReceivedAt time.Time
	Donor      Donor
	CampaignID int64
	Note       string
	// ThankByEmail sends the thank-you email, as for online gifts; an
	// admin may have thanked the donor by letter already.
	ThankByEmail bool
	// CounterpartCents is the value of what the donor received in return.
	CounterpartCents int64
	// Reference, when set, is the gift's reference, handed out with the
	// form (see RecordOfflineOnce); empty draws a new one.
	Reference string
}

// RecordOffline records a gift received outside the site, paid at once
// and counted everywhere like the others. Only admins may (the accounts
// follow from it); the donor is matched by email like online donors.
func (s *Service) RecordOffline(ctx context.Context, actor access.Actor, g OfflineGift) (*Donation, error) {
	if !actor.Can(access.ManageDonations) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	var errs []error
	if !g.Method.Valid() || g.Method == MethodCard {
		errs = append(errs, apperr.New(apperr.Invalid, "error.donation.method").InField("method"))
	}
	now := s.Clock.Now()
	if g.CounterpartCents < 0 || (g.CounterpartCents > 0 && g.CounterpartCents >= g.AmountCents) {
		errs = append(errs, apperr.New(apperr.Invalid, "error.donation.counterpart").InField("counterpart"))
	}
	if g.ReceivedAt.IsZero() || g.ReceivedAt.After(now) {
		errs = append(errs, apperr.New(apperr.Invalid, "error.donation.received_at").InField("received_at"))
	}
	gift := trimGift(Gift{Email: g.Donor.Email, FirstNames: g.Donor.FirstNames, LastName: g.Donor.LastName, Address: g.Donor.Address,
		PostalCode: g.Donor.PostalCode, City: g.Donor.City, Country: g.Donor.Country, AmountCents: g.AmountCents, Frequency: OneOff})
	if err := s.validate(gift); err != nil {
		// One flat list, so a form shows every field at fault.
		errs = append(apperr.Split(err), errs...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	ref, err := g.Reference, error(nil)
	if ref == "" {
		ref, err = newReference()
	}
	if err != nil {
		return nil, fmt.Errorf("record offline gift: %w", err)
	}
	donor := &Donor{Email: gift.Email, FirstNames: gift.FirstNames, LastName: gift.LastName, Address: gift.Address,
		PostalCode: gift.PostalCode, City: gift.City, Country: gift.Country, Anonymous: g.Donor.Anonymous, CreatedAt: now, UpdatedAt: now}
	d := &Donation{Reference: ref, CampaignID: g.CampaignID, AmountCents: g.AmountCents, Currency: "eur", Frequency: OneOff,
		Status: StatusPaid, Method: g.Method, Provider: ProviderOffline, Note: strings.TrimSpace(g.Note), CounterpartCents: g.CounterpartCents,
		CreatedAt: now, PaidAt: g.ReceivedAt, UpdatedAt: now}
	err = s.Store.StartGift(ctx, donor, d, nil, func(tx Tx) error {
		return s.thank(ctx, tx, donor, d, g.ThankByEmail)
	})
	if err != nil {
		return nil, fmt.Errorf("record offline gift: %w", err)
	}
	return d, nil
}

// The signed link of a monthly gift's page, where its donor stops it:
// an HMAC of the gift's id under the site's secret (Deps.Secret), so no
// one can stop another's gift by changing a number.

// StopPath is the address where the donor of monthly gift sub stops it.
func (s *Service) StopPath(subID int64) string {
	return "/soutenir/arreter/?g=" + strconv.FormatInt(subID, 10) + "&t=" + s.stopToken(subID)
}

func (s *Service) stopToken(id int64) string { return s.token("stop-monthly", id) }

// token signs id for purpose under the site's secret: the proof, in a
// link handed to a donor, that the site wrote that id there.
func (s *Service) token(purpose string, id int64) string {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte(purpose + "\x00" + strconv.FormatInt(id, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// validToken reports whether token is the signature of id for purpose.
func (s *Service) validToken(purpose string, id int64, token string) bool {
	got, err := base64.RawURLEncoding.DecodeString(token)
	want, _ := base64.RawURLEncoding.DecodeString(s.token(purpose, id))
	return err == nil && id > 0 && len(s.Secret) > 0 && hmac.Equal(got, want)
}

// checkStop returns the monthly gift a stop link names, or apperr.Invalid.
func (s *Service) checkStop(ctx context.Context, id int64, token string) (*Subscription, error) {
	if !s.validToken("stop-monthly", id, token) {
		return nil, apperr.New(apperr.Invalid, "error.donation.bad_stop_link")
	}
	sub, err := s.Store.Subscription(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("stop monthly gift: %w", err)
	}
	return sub, nil
}

// cancelAtProvider stops the provider charging monthly gift sub, when it
// has started there: a provider that is down is apperr.Unavailable, and
// nothing is changed.
func (s *Service) cancelAtProvider(ctx context.Context, sub *Subscription) error {
	if sub.ProviderID == "" {
		return nil
	}
	if s.Payments == nil {
		return ErrNotConfigured
	}
	if err := s.Payments.CancelSubscription(ctx, sub.ProviderID); err != nil {
		if errors.Is(err, payments.ErrUnavailable) {
			return apperr.Wrap(err, apperr.Unavailable, "error.donation.provider_down")
		}
		return fmt.Errorf("stop monthly gift %d: %w", sub.ID, err)
	}
	return nil
}

// MonthlyGift returns the monthly gift a stop link names, to show it
// before its donor confirms.
func (s *Service) MonthlyGift(ctx context.Context, id int64, token string) (*Subscription, error) {
	return s.checkStop(ctx, id, token)
}

// StopMonthly stops the monthly gift a signed link names: the provider
// stops charging at once, and the gift is marked cancelled (the
// provider's event that follows changes nothing). Stopping a gift
// stopped already is not an error.
func (s *Service) StopMonthly(ctx context.Context, id int64, token string) (*Subscription, error) {
	sub, err := s.checkStop(ctx, id, token)
	if err != nil || sub.Status == SubscriptionCancelled {
		return sub, err
	}
	if err := s.cancelAtProvider(ctx, sub); err != nil {
		return nil, err
	}
	sub.Status, sub.CancelledAt = SubscriptionCancelled, s.Clock.Now()
	if err := s.Store.CancelSubscription(ctx, sub); err != nil {
		return nil, fmt.Errorf("stop monthly gift %d: %w", id, err)
	}
	return sub, nil
}
