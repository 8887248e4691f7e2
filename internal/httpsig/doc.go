// Package httpsig signs and verifies HTTP requests with HTTP Signatures as
// the fediverse uses them: draft-cavage-http-signatures-12, in the dialect
// Mastodon and GoToSocial speak (RSASSA-PKCS1-v1_5 with SHA-256, a
// "Signature" header, a "Digest" header over the body).
//
// Signing: SignRequest stamps a fresh Date (and, for a POST, a Digest) and
// signs "(request-target) host date [digest]", which every server accepts.
// Call it again on each retry: Mastodon refuses a Date more than about an hour
// old.
//
// Verifying is split so that the caller fetches and caches keys itself:
//
//	sig, err := httpsig.ParseSignature(r)       // ErrNoSignature, ErrMalformed, ErrUnsupported
//	err = sig.Check(r, body, now)               // every rule that needs no key: refuse before fetching
//	pub := fetch(httpsig.KeyOwnerURL(sig.KeyID)) // the caller's cached key lookup
//	err = sig.Verify(r, body, pub, now)         // ErrBadSignature: refetch the key once (rotation)
//
// Every error wraps one of the sentinel errors below, so the inbox can log a
// reason and answer 401. The rules are Mastodon's (app/lib/signed_request.rb),
// stricter in two places that only close replay holes (see Signature.Check).
//
// The request's Host must be the public host name the sender signed: behind
// a reverse proxy, the proxy has to pass the Host header through.
package httpsig
