package blueskytest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

type tokenKind int

const (
	accessToken tokenKind = iota + 1
	refreshToken
)

// token is a session JWT the fake issued.
type token struct {
	kind    tokenKind
	expired bool
	revoked bool
}

func (s *Server) expire(kind tokenKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.tokens {
		if t.kind == kind {
			t.expired = true
		}
	}
}

// newToken returns a JWT-shaped token (the official client reads their
// payload), signed with nothing anyone checks; s.mu is held.
func (s *Server) newToken(kind tokenKind) string {
	scope, life := "com.atproto.appPass", 2*time.Hour
	if kind == refreshToken {
		scope, life = "com.atproto.refresh", 90*24*time.Hour
	}
	now := time.Now()
	header, _ := json.Marshal(map[string]string{"typ": "at+jwt", "alg": "ES256K"})
	payload, _ := json.Marshal(map[string]any{
		"scope": scope, "sub": DID, "aud": "did:web:fake.pds.test",
		"iat": now.Unix(), "exp": now.Add(life).Unix(), "jti": rand.Text(),
	})
	sig := make([]byte, 64)
	_, _ = rand.Read(sig)
	enc := base64.RawURLEncoding
	t := enc.EncodeToString(header) + "." + enc.EncodeToString(payload) + "." + enc.EncodeToString(sig)
	s.tokens[t] = &token{kind: kind}
	return t
}

// session returns a new pair of tokens as createSession and refreshSession
// answer them; s.mu is held.
func (s *Server) session() map[string]any {
	return map[string]any{
		"accessJwt":  s.newToken(accessToken),
		"refreshJwt": s.newToken(refreshToken),
		"handle":     Handle,
		"did":        DID,
		"didDoc":     s.didDoc(),
		"active":     true,
	}
}

// didDoc is the account's DID document, naming this server its PDS.
func (s *Server) didDoc() map[string]any {
	return map[string]any{
		"@context": []string{"https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"},
		"id":       DID,
		"alsoKnownAs": []string{
			"at://" + Handle,
		},
		"service": []map[string]string{{
			"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": s.URL,
		}},
	}
}

// bearer checks the Authorization header against a live token of kind;
// it answers the PDS's error and returns false when it is not one.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request, kind tokenKind) bool {
	h := r.Header.Get("Authorization")
	if h == "" {
		writeError(w, http.StatusUnauthorized, "AuthMissing", "Authentication Required")
		return false
	}
	raw, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		writeError(w, http.StatusUnauthorized, "InvalidToken", "Unexpected authorization type")
		return false
	}
	s.mu.Lock()
	t := s.tokens[raw]
	s.mu.Unlock()
	switch {
	case t == nil:
		writeError(w, http.StatusBadRequest, "InvalidToken", "Token could not be verified")
	case t.kind != kind:
		writeError(w, http.StatusBadRequest, "InvalidToken", "Bad token scope")
	case t.revoked:
		writeError(w, http.StatusBadRequest, "InvalidToken", "Token has been revoked")
	case t.expired:
		writeError(w, http.StatusBadRequest, "ExpiredToken", "Token has expired")
	default:
		return true
	}
	return false
}

// readJSON decodes a procedure's JSON input into v, refusing another
// encoding as xrpc-server does.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" {
		writeError(w, http.StatusBadRequest, "InvalidRequest",
			"Wrong request encoding (Content-Type): "+r.Header.Get("Content-Type"))
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Request body is not valid JSON: "+err.Error())
		return false
	}
	return true
}

// createSession logs in with an app password (30 per 5 minutes).
func (s *Server) createSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Identifier *string `json:"identifier"`
		Password   *string `json:"password"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Identifier == nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", `Input must have the property "identifier"`)
		return
	}
	if in.Password == nil {
		writeError(w, http.StatusBadRequest, "InvalidRequest", `Input must have the property "password"`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	recent := s.logins[:0]
	for _, t := range s.logins {
		if now.Sub(t) < 5*time.Minute {
			recent = append(recent, t)
		}
	}
	s.logins = recent
	reset := now.Add(5 * time.Minute)
	if len(recent) > 0 {
		reset = recent[0].Add(5 * time.Minute)
	}
	w.Header().Set("RateLimit-Limit", strconv.Itoa(SessionsPerWindow))
	w.Header().Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	w.Header().Set("RateLimit-Policy", strconv.Itoa(SessionsPerWindow)+";w=300")
	if len(recent) >= SessionsPerWindow {
		w.Header().Set("RateLimit-Remaining", "0")
		writeError(w, http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded")
		return
	}
	s.logins = append(s.logins, now)
	w.Header().Set("RateLimit-Remaining", strconv.Itoa(SessionsPerWindow-len(s.logins)))
	id := strings.ToLower(*in.Identifier)
	if (id != Handle && id != DID) || s.password == "" || *in.Password != s.password {
		writeError(w, http.StatusUnauthorized, "AuthenticationRequired", "Invalid identifier or password")
		return
	}
	writeJSON(w, s.session())
}

// refreshSession trades a refresh token, once, for a new pair.
func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r, refreshToken) {
		return
	}
	raw := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	defer s.mu.Unlock()
	// The real PDS lets a used refresh token be replayed for a short grace
	// period; the fake is stricter, so a client that forgets the new one
	// fails here.
	s.tokens[raw].revoked = true
	writeJSON(w, s.session())
}

// getSession tells who an access token is.
func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r, accessToken) {
		return
	}
	writeJSON(w, map[string]any{
		"handle": Handle, "did": DID, "didDoc": s.didDoc(), "active": true,
		"email": "redaction@kiosque.test", "emailConfirmed": true,
	})
}

// getProfile answers app.bsky.actor.defs#profileViewDetailed, which the
// PDS proxies from the AppView.
func (s *Server) getProfile(w http.ResponseWriter, r *http.Request) {
	if !s.bearer(w, r, accessToken) {
		return
	}
	actor := r.URL.Query().Get("actor")
	if actor == "" {
		writeError(w, http.StatusBadRequest, "InvalidRequest", `Params must have the property "actor"`)
		return
	}
	if actor != DID && strings.ToLower(actor) != Handle {
		writeError(w, http.StatusBadRequest, "InvalidRequest", "Profile not found")
		return
	}
	s.mu.Lock()
	n := len(s.records)
	s.mu.Unlock()
	writeJSON(w, map[string]any{
		"did": DID, "handle": Handle, "displayName": DisplayName,
		"description":    "Le journal, sur Bluesky.",
		"followersCount": 1234, "followsCount": 56, "postsCount": n,
		"indexedAt": "2026-01-05T10:00:00.000Z", "createdAt": "2025-11-02T08:30:00.000Z",
		"labels": []any{},
	})
}
