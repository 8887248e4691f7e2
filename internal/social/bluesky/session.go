package bluesky

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/kiosque/kiosque/internal/syndication"
)

// The secrets Publish keeps between calls through Credentials.Rotate, so
// that it logs in once per session and not once per post:
// createSession allows 30 logins per 5 minutes and 300 a day.
const (
	secretAccess  = "access_jwt"
	secretRefresh = "refresh_jwt"
	secretDID     = "did"
)

// session is a logged-in account.
type session struct {
	access, refresh, did, handle string
	// fresh is set when the session was made during this call: the PDS
	// refusing it is then not worth another login.
	fresh bool
}

// sessionOutput is what createSession, refreshSession and getSession
// answer (the fields kiosque reads).
type sessionOutput struct {
	AccessJwt  string `json:"accessJwt"`
	RefreshJwt string `json:"refreshJwt"`
	Handle     string `json:"handle"`
	DID        string `json:"did"`
}

// conn is the client bound to one account for one call.
type conn struct {
	c       *Client
	service string
	creds   syndication.Credentials
	s       session
}

// open returns a conn on the account's PDS, reusing its stored session,
// or logging in when it has none.
func (c *Client) open(ctx context.Context, creds syndication.Credentials) (*conn, error) {
	service := strings.TrimRight(cmp.Or(strings.TrimSpace(creds.Config["service"]), DefaultService), "/")
	if u, err := url.Parse(service); err != nil || u.Host == "" || (u.Scheme != "https" && (u.Scheme != "http" || !loopback(u.Hostname()))) {
		// Plain http would send the app password in clear: only a PDS on
		// this machine (a test's) may use it.
		return nil, &syndication.Error{Class: syndication.Permanent, Message: "the service is not an https address: " + service}
	}
	k := &conn{c: c, service: service, creds: creds}
	k.s.handle = strings.TrimPrefix(strings.TrimSpace(creds.Config["handle"]), "@")
	access, refresh, did := creds.Secrets[secretAccess], creds.Secrets[secretRefresh], creds.Secrets[secretDID]
	if access != "" && refresh != "" && did != "" {
		k.s.access, k.s.refresh, k.s.did = access, refresh, did
		return k, nil
	}
	return k, k.login(ctx)
}

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// login opens a session with the app password.
func (k *conn) login(ctx context.Context) error {
	password := k.creds.Secrets["app_password"]
	if k.s.handle == "" || password == "" {
		return &syndication.Error{Class: syndication.Auth, Message: "the account needs its handle and an app password"}
	}
	body, err := json.Marshal(map[string]string{"identifier": k.s.handle, "password": password})
	if err != nil {
		return &syndication.Error{Class: syndication.Permanent, Message: "encode the login", Err: err}
	}
	var out sessionOutput
	req := request{nsid: "com.atproto.server.createSession", body: body, procedure: true}
	if err := k.c.send(ctx, k.service, req, "", &out); err != nil {
		return err
	}
	return k.start(ctx, req.nsid, out)
}

// refreshOrLogin trades the refresh token for a new session, and logs in
// again when the PDS refuses it (expired, revoked, already used).
func (k *conn) refreshOrLogin(ctx context.Context) error {
	if k.s.refresh != "" {
		var out sessionOutput
		req := request{nsid: "com.atproto.server.refreshSession", procedure: true}
		err := k.c.send(ctx, k.service, req, k.s.refresh, &out)
		if err == nil {
			return k.start(ctx, req.nsid, out)
		}
		if _, status := errorName(err); status == 0 || status >= 500 || status == http.StatusTooManyRequests {
			// The PDS is unwell, not the token: a login would fare no better.
			return err
		}
	}
	return k.login(ctx)
}

// start takes a new session and stores it for the next calls.
func (k *conn) start(ctx context.Context, nsid string, out sessionOutput) error {
	if out.AccessJwt == "" || out.RefreshJwt == "" || out.DID == "" {
		return &syndication.Error{Class: syndication.Transient, Status: http.StatusOK, Message: nsid + " answered no session"}
	}
	k.s = session{access: out.AccessJwt, refresh: out.RefreshJwt, did: out.DID,
		handle: cmp.Or(out.Handle, k.s.handle), fresh: true}
	if k.creds.Rotate == nil {
		return nil
	}
	err := k.creds.Rotate(ctx, map[string]string{secretAccess: k.s.access, secretRefresh: k.s.refresh, secretDID: k.s.did})
	if err != nil {
		// The session works for this call; the next one logs in again.
		k.c.log.WarnContext(ctx, "bluesky: the new session could not be stored", "handle", k.s.handle, "error", err)
	}
	return nil
}

// call makes an authenticated call. On ExpiredToken it refreshes the
// session once and retries; a stored session the PDS no longer knows
// (the app password was revoked) gets one new login.
func (k *conn) call(ctx context.Context, req request, out any) error {
	err := k.c.send(ctx, k.service, req, k.s.access, out)
	if err == nil {
		return nil
	}
	name, status := errorName(err)
	switch {
	case name == "ExpiredToken" && (status == http.StatusBadRequest || status == http.StatusUnauthorized):
		if err := k.refreshOrLogin(ctx); err != nil {
			return err
		}
	case !k.s.fresh && (status == http.StatusUnauthorized || name == "InvalidToken"):
		if err := k.login(ctx); err != nil {
			return err
		}
	default:
		return err
	}
	return k.c.send(ctx, k.service, req, k.s.access, out)
}
