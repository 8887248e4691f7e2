// Package stripe implements payments.Provider with Stripe Checkout, through
// the official SDK (stripe-go v82).
//
// Everything Stripe-specific stays here: Checkout Session parameters, the
// monthly Price reused per amount, Stripe's error types, webhook signatures
// and the shapes of its events. The rest of kiosque sees payments types only.
//
// One API version is used end to end: stripe.APIVersion of the pinned SDK
// (2025-08-27.basil). The SDK sends it as Stripe-Version on every request,
// and ParseEvent refuses events of another release train, so the webhook
// endpoint must be created with that version in Stripe's dashboard.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/payments"
)

// Config is the deploy-time configuration of the Stripe account.
type Config struct {
	// SecretKey authenticates API requests: a secret key (sk_…) or a
	// restricted key (rk_…) allowed to write Checkout Sessions, Prices,
	// Products and Subscriptions.
	SecretKey string
	// WebhookSecret is the signing secret of the webhook endpoint
	// (whsec_…); only events signed with it are believed.
	WebhookSecret string
	// BackendURL replaces Stripe's API address, for stripe-mock in tests;
	// empty means Stripe's own.
	BackendURL string
	// HTTPClient sends the requests; nil means the SDK's default client
	// (80 s timeout). The payer waits on
	// CreateCheckout, so the caller's context should bound it sooner.
	HTTPClient *http.Client
	// MaxNetworkRetries is how many times the SDK retries a request that
	// failed on the network, with a 409 or a 5xx (with the same
	// Idempotency-Key); nil means the SDK's default (2). Tests set 0 so an
	// unavailable provider fails at once.
	MaxNetworkRetries *int64
	// Clock is what CheckoutRequest.ExpiresAt is checked against; nil
	// means the system clock. Stripe checks it against its own clock, so
	// only tests set another.
	Clock clock.Clock
}

// Validate reports what is missing or malformed in c.
func (c Config) Validate() error {
	var errs []error
	switch {
	case c.SecretKey == "":
		errs = append(errs, errors.New("secret key is required"))
	case !strings.HasPrefix(c.SecretKey, "sk_") && !strings.HasPrefix(c.SecretKey, "rk_"):
		errs = append(errs, errors.New("secret key must start with sk_ or rk_ (a publishable pk_ key cannot create sessions)"))
	}
	switch {
	case c.WebhookSecret == "":
		errs = append(errs, errors.New("webhook secret is required"))
	case !strings.HasPrefix(c.WebhookSecret, "whsec_"):
		errs = append(errs, errors.New("webhook secret must start with whsec_"))
	}
	if c.BackendURL != "" {
		u, err := url.Parse(c.BackendURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("backend url %q must be an absolute http or https url", c.BackendURL))
		}
	}
	if c.MaxNetworkRetries != nil && *c.MaxNetworkRetries < 0 {
		errs = append(errs, errors.New("max network retries must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("stripe config: %w", err)
	}
	return nil
}

// Provider is a payments.Provider on one Stripe account. It holds its own
// SDK client, so several providers (or tests) never share state, and is
// safe for concurrent use.
type Provider struct {
	client        *stripego.Client
	webhookSecret string
	clock         clock.Clock
}

var _ payments.Provider = (*Provider)(nil)

// New returns a Provider for cfg, or an error when cfg is not valid.
func New(cfg Config) (*Provider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	backend := &stripego.BackendConfig{
		HTTPClient:        cfg.HTTPClient,
		MaxNetworkRetries: cfg.MaxNetworkRetries,
		// The SDK would log every failed request on stderr; the error is
		// returned to the caller, which logs it once at the edge.
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	}
	if cfg.BackendURL != "" {
		backend.URL = stripego.String(cfg.BackendURL)
	}
	clk := cfg.Clock
	if clk == nil {
		clk = clock.System{}
	}
	return &Provider{
		client:        stripego.NewClient(cfg.SecretKey, stripego.WithBackends(stripego.NewBackendsWithConfig(backend))),
		webhookSecret: cfg.WebhookSecret,
		clock:         clk,
	}, nil
}

// CancelSubscription ends the subscription at once (no proration, no final
// invoice); Stripe then sends customer.subscription.deleted.
func (p *Provider) CancelSubscription(ctx context.Context, subscriptionID string) error {
	if subscriptionID == "" {
		return errors.New("cancel stripe subscription: empty subscription id")
	}
	if _, err := p.client.V1Subscriptions.Cancel(ctx, subscriptionID, &stripego.SubscriptionCancelParams{}); err != nil {
		return fmt.Errorf("cancel stripe subscription %s: %w", subscriptionID, classify(err))
	}
	return nil
}

// classify marks the SDK errors the payer may retry later as
// payments.ErrUnavailable: a 5xx, a rate limit or lock timeout (429), and
// any failure that is not an answer from Stripe at all (no connection, a
// timeout, a proxy's HTML error page the SDK cannot decode), since the SDK
// returns a *stripe.Error for every answer Stripe gives. An invalid
// request, a bad key or an idempotency conflict is kiosque's or the
// account's fault and is returned as is, as is the caller's cancellation.
func classify(err error) error {
	var se *stripego.Error
	if errors.As(err, &se) {
		if se.HTTPStatusCode >= 500 || se.HTTPStatusCode == http.StatusTooManyRequests || se.Type == stripego.ErrorTypeAPI {
			return fmt.Errorf("%w: %w", payments.ErrUnavailable, err)
		}
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%w: %w", payments.ErrUnavailable, err)
}
