package syndication

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
)

// Deps are what a Service needs.
type Deps struct {
	Store  Store
	Sealer Sealer
	// Publishers speak to each network; a network without one cannot
	// have accounts.
	Publishers map[Network]Publisher
	// Articles finds the articles to post.
	Articles Articles
	// Location is the site's time zone, for quiet windows.
	Location func() *time.Location
	// Site names the site, for test posts.
	Site func() Site
	// Alerts writes the email telling the admins that an account keeps
	// failing; nil sends none.
	Alerts Alerts
	Clock  clock.Clock
	Log    *slog.Logger
}

// Service manages the accounts and, with the outbox, their deliveries.
type Service struct {
	Deps
}

// NewService returns a service over d.
func NewService(d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Clock == nil {
		d.Clock = clock.System{}
	}
	return &Service{Deps: d}
}

// AccountInput is an account as the back office submits it. An empty
// secret keeps the one stored: secrets are never shown again, so the form
// sends them only to change them.
type AccountInput struct {
	Network  Network
	Name     string
	Config   map[string]string
	Secrets  map[string]string
	Template string
	Rules    Rules
	Enabled  bool
}

// Bounds of an account's settings.
const (
	maxName  = 100
	maxValue = 4096
	// maxTemplate bounds a template; the longest network allows 63,206.
	maxTemplate = 10000
)

// where names the place of an account's secrets for the Sealer.
func where(id int64) string { return "social_account:" + strconv.FormatInt(id, 10) }

// SaveAccount creates (id 0) or changes an account, after checking its
// credentials with the network: credentials the network refuses are
// refused with its message, and nothing is saved.
func (s *Service) SaveAccount(ctx context.Context, actor access.Actor, id int64, in AccountInput) (*Account, error) {
	if !actor.Can(access.ManageSettings) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	a := &Account{Network: in.Network}
	stored := map[string]string{}
	if id != 0 {
		cur, sealed, err := s.Store.Account(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("save social account %d: %w", id, err)
		}
		if cur.Network != in.Network {
			return nil, apperr.New(apperr.Invalid, "error.syndication.network_changed").InField("network")
		}
		if stored, err = s.open(id, sealed); err != nil {
			return nil, err
		}
		a = cur
	}
	p, ok := s.Publishers[in.Network]
	if !ok || !in.Network.Valid() {
		return nil, apperr.New(apperr.Invalid, "error.syndication.unknown_network").InField("network")
	}
	secrets := maps.Clone(stored)
	changed := false
	for k, v := range in.Secrets {
		if v = strings.TrimSpace(v); v != "" {
			changed = changed || secrets[k] != v
			secrets[k] = v
		}
	}
	cfg := trimmed(in.Config)
	if changed || !maps.Equal(cfg, a.Config) {
		// What the network handed out for the old credentials (a
		// Bluesky session, a refreshed OAuth token) goes with them.
		declared := map[string]bool{}
		for _, f := range in.Network.Fields() {
			declared[f.Name] = true
		}
		maps.DeleteFunc(secrets, func(k, _ string) bool { return !declared[k] })
	}
	if err := validateAccount(in, cfg, secrets); err != nil {
		return nil, err
	}
	prof, err := p.Verify(ctx, Credentials{Config: cfg, Secrets: secrets})
	if err != nil {
		return nil, refused(err)
	}
	a.Name, a.Config, a.Template, a.Rules, a.Enabled = strings.TrimSpace(in.Name), cfg, in.Template, in.Rules, in.Enabled
	a.Profile, a.Failing, a.LastError = prof, false, ""
	now := s.Clock.Now()
	a.UpdatedAt = now
	plain, err := json.Marshal(secrets)
	if err != nil {
		return nil, fmt.Errorf("save social account: %w", err)
	}
	e := &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: ActionAccountSave,
		TargetType: "social_account", TargetID: id, Summary: string(a.Network) + " · " + a.Name, IP: actor.IP}
	if id == 0 {
		a.CreatedAt = now
		err = s.Store.CreateAccount(ctx, a, func(id int64) []byte { return s.Sealer.Seal(plain, where(id)) }, e)
	} else {
		err = s.Store.UpdateAccount(ctx, a, s.Sealer.Seal(plain, where(id)), e)
	}
	if err != nil {
		return nil, fmt.Errorf("save social account %q: %w", a.Name, err)
	}
	return a, nil
}

// ImportAccount stores an account without asking its network, disabled
// until an admin checks it from the back office: for accounts moved from
// another system (WordPress's plugin settings) and the demo, whose
// networks may not be reachable.
func (s *Service) ImportAccount(ctx context.Context, in AccountInput, profile Profile) (*Account, error) {
	if !in.Network.Valid() {
		return nil, apperr.New(apperr.Invalid, "error.syndication.unknown_network").InField("network")
	}
	cfg, secrets := trimmed(in.Config), trimmed(in.Secrets)
	if err := validateAccount(in, cfg, secrets); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	a := &Account{Network: in.Network, Name: strings.TrimSpace(in.Name), Config: cfg, Template: in.Template, Rules: in.Rules,
		Profile: profile, CreatedAt: now, UpdatedAt: now}
	plain, err := json.Marshal(secrets)
	if err != nil {
		return nil, fmt.Errorf("import social account: %w", err)
	}
	if err := s.Store.CreateAccount(ctx, a, func(id int64) []byte { return s.Sealer.Seal(plain, where(id)) }, nil); err != nil {
		return nil, fmt.Errorf("import social account %q: %w", a.Name, err)
	}
	return a, nil
}

// trimmed returns m without blank values, the others trimmed.
func trimmed(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if v = strings.TrimSpace(v); v != "" {
			out[k] = v
		}
	}
	return out
}

// refused turns a failed check into the error the form shows: the
// network's own words when it gave some.
func refused(err error) error {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return apperr.Wrap(err, apperr.Invalid, "error.syndication.verify_refused", e.Message).InField("credentials")
	}
	return apperr.Wrap(err, apperr.Invalid, "error.syndication.verify_failed").InField("credentials")
}

// validateAccount checks what the back office typed.
func validateAccount(in AccountInput, cfg, secrets map[string]string) error {
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > maxName {
		return apperr.New(apperr.Invalid, "error.syndication.name").InField("name")
	}
	known := map[string]bool{}
	for _, f := range in.Network.Fields() {
		known[f.Name] = true
		v := cfg[f.Name]
		if f.Secret {
			v = secrets[f.Name]
		}
		if f.Required && v == "" {
			return apperr.New(apperr.Invalid, "error.syndication.required", f.Name).InField(f.Name)
		}
		if len(v) > maxValue {
			return apperr.New(apperr.Invalid, "error.syndication.too_long", f.Name).InField(f.Name)
		}
	}
	for k := range cfg {
		if !known[k] {
			return apperr.New(apperr.Invalid, "error.syndication.unknown_field", k)
		}
	}
	for _, k := range []string{"instance", "service"} {
		if v, ok := cfg[k]; ok {
			if u, err := url.Parse(v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return apperr.New(apperr.Invalid, "error.syndication.address", v).InField(k)
			}
		}
	}
	if len(in.Template) > maxTemplate {
		return apperr.New(apperr.Invalid, "error.syndication.template_too_long").InField("template")
	}
	if err := CheckTemplate(in.Template); err != nil {
		return err
	}
	r := in.Rules
	switch {
	case r.Match != MatchAny && r.Match != MatchAll:
		return apperr.New(apperr.Invalid, "error.syndication.rules").InField("rules")
	case r.Rescheduled != RescheduledIgnore && r.Rescheduled != RescheduledRepost:
		return apperr.New(apperr.Invalid, "error.syndication.rules").InField("rules")
	case r.Delay < 0, r.RepostAfter < 0, r.QuietFrom < 0, r.QuietFrom >= 24*60, r.QuietUntil < 0, r.QuietUntil >= 24*60:
		return apperr.New(apperr.Invalid, "error.syndication.rules").InField("rules")
	}
	return nil
}

// open decrypts an account's secrets.
func (s *Service) open(id int64, sealed []byte) (map[string]string, error) {
	plain, err := s.Sealer.Open(sealed, where(id))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "error.syndication.secrets_unreadable")
	}
	var m map[string]string
	if err := json.Unmarshal(plain, &m); err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "error.syndication.secrets_unreadable")
	}
	if m == nil {
		m = map[string]string{}
	}
	return m, nil
}

// Credentials returns account id with its secrets, for one call to its
// network; secrets the network rotates during the call are sealed and
// stored at once.
func (s *Service) Credentials(ctx context.Context, id int64) (*Account, Credentials, error) {
	a, sealed, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, Credentials{}, fmt.Errorf("social account %d: %w", id, err)
	}
	secrets, err := s.open(id, sealed)
	if err != nil {
		return nil, Credentials{}, err
	}
	creds := Credentials{Config: a.Config, Secrets: secrets}
	creds.Rotate = func(ctx context.Context, changed map[string]string) error {
		maps.Copy(secrets, changed)
		plain, err := json.Marshal(secrets)
		if err != nil {
			return err
		}
		return s.Store.SetSecrets(ctx, id, s.Sealer.Seal(plain, where(id)))
	}
	return a, creds, nil
}

// Accounts returns every account, without secrets.
func (s *Service) Accounts(ctx context.Context) ([]*Account, error) {
	return s.Store.Accounts(ctx)
}

// Account returns one account, without its secrets, and which secret
// fields are set (the form shows « saved » without the value).
func (s *Service) Account(ctx context.Context, id int64) (*Account, map[string]bool, error) {
	a, sealed, err := s.Store.Account(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	secrets, err := s.open(id, sealed)
	if err != nil {
		return nil, nil, err
	}
	set := map[string]bool{}
	for k, v := range secrets {
		set[k] = v != ""
	}
	return a, set, nil
}

// DeleteAccount removes an account; its posts stay on the network.
func (s *Service) DeleteAccount(ctx context.Context, actor access.Actor, id int64) error {
	if !actor.Can(access.ManageSettings) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	a, _, err := s.Store.Account(ctx, id)
	if err != nil {
		return err
	}
	return s.Store.DeleteAccount(ctx, id, &audit.Entry{At: s.Clock.Now(), UserID: actor.UserID, UserName: actor.Name,
		Action: ActionAccountDelete, TargetType: "social_account", TargetID: id, Summary: string(a.Network) + " · " + a.Name, IP: actor.IP})
}

// The audit log's actions on social accounts: their credentials speak for
// the newsroom.
const (
	ActionAccountSave   = "social_account_save"
	ActionAccountDelete = "social_account_delete"
)

// VerifyAccount checks a saved account's credentials again (the back
// office's « verify » button), and records the result.
func (s *Service) VerifyAccount(ctx context.Context, id int64) (Profile, error) {
	a, creds, err := s.Credentials(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	p, ok := s.Publishers[a.Network]
	if !ok {
		return Profile{}, apperr.New(apperr.Invalid, "error.syndication.unknown_network")
	}
	prof, verr := p.Verify(ctx, creds)
	msg := ""
	if verr != nil {
		msg = verr.Error()
	}
	if err := s.Store.Flag(ctx, id, verr != nil && ClassOf(verr) == Auth, msg); err != nil {
		return Profile{}, err
	}
	if verr != nil {
		return Profile{}, refused(verr)
	}
	return prof, nil
}
