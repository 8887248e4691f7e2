// Package httpclient makes kiosque's one kind of outbound HTTP client, for
// every call to another service (social networks, fediverse servers):
// bounded in time, named by its User-Agent, refusing to follow redirect
// loops, and refusing to dial private networks, so that an address typed
// in the back office (a Mastodon instance) cannot reach the machine's own
// services. Tests allow loopback to reach their local servers.
package httpclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// Options tune New.
type Options struct {
	// Timeout bounds a whole request, body included (default 20 s).
	Timeout time.Duration
	// UserAgent names kiosque to the other side (default "kiosque").
	UserAgent string
	// AllowPrivate lets the client dial loopback and private addresses:
	// for tests, and for an operator whose services are on a private
	// network on purpose.
	AllowPrivate bool
	// MaxRedirects is how many redirects a request follows (default 5).
	MaxRedirects int
}

// ErrPrivateAddress is the cause when an address resolves to a private
// network and Options.AllowPrivate is off.
var ErrPrivateAddress = errors.New("address on a private network")

// ErrTooManyRedirects is the cause when a request meets a redirect loop.
var ErrTooManyRedirects = errors.New("too many redirects")

// New returns a client with o's limits.
func New(o Options) *http.Client {
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = "kiosque"
	}
	if o.MaxRedirects <= 0 {
		o.MaxRedirects = 5
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !o.AllowPrivate {
		// Checked on the address actually dialled, after resolution, so a
		// name that resolves to 127.0.0.1 is refused too.
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dial %s: %w", address, err)
			}
			if private(ap.Addr()) {
				return fmt.Errorf("dial %s: %w", address, ErrPrivateAddress)
			}
			return nil
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.DialContext = dialer.DialContext
	tr.TLSHandshakeTimeout = 10 * time.Second
	tr.ResponseHeaderTimeout = o.Timeout
	tr.MaxIdleConnsPerHost = 4
	return &http.Client{
		Timeout:   o.Timeout,
		Transport: userAgent{next: tr, ua: o.UserAgent},
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= o.MaxRedirects {
				return fmt.Errorf("after %d redirects: %w", len(via), ErrTooManyRedirects)
			}
			return nil
		},
	}
}

// private reports whether a is an address no outbound call should reach.
func private(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() ||
		// Carrier-grade NAT (RFC 6598), not covered by IsPrivate.
		netip.MustParsePrefix("100.64.0.0/10").Contains(a)
}

// userAgent sets the User-Agent of every request that has none.
type userAgent struct {
	next http.RoundTripper
	ua   string
}

func (u userAgent) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("User-Agent") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("User-Agent", u.ua)
	}
	return u.next.RoundTrip(r)
}

// IsTimeout reports whether err is a request that ran out of time, which
// callers tell apart because the other side may have acted on it.
func IsTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}
