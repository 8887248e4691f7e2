package httpsig

import "errors"

// The reasons a request is refused. Each error returned by ParseSignature,
// Check and Verify wraps exactly one of them, with detail for the log; an
// inbox answers 401 to all of them.
var (
	// ErrNoSignature means the request carries no Signature header.
	ErrNoSignature = errors.New("httpsig: request not signed")
	// ErrMalformed means the Signature header does not parse, lacks keyId
	// or signature, or names a header the request does not carry, or a
	// date that does not parse.
	ErrMalformed = errors.New("httpsig: malformed signature")
	// ErrUnsupported means an algorithm other than rsa-sha256 and hs2019
	// (Mastodon's two), the (created) and (expires) pseudo-headers with
	// rsa-sha256, or an RFC 9421 signature (Signature-Input), which this
	// package does not verify.
	ErrUnsupported = errors.New("httpsig: unsupported signature")
	// ErrNotCovered means the signature leaves out a header Mastodon
	// requires: Date or (created); (request-target) or Digest; Host on a
	// GET; Digest on a POST.
	ErrNotCovered = errors.New("httpsig: signature does not cover the required headers")
	// ErrExpired means the signature is outside its time window: dated
	// more than an hour ahead, or past its expiry plus an hour of clock
	// skew.
	ErrExpired = errors.New("httpsig: signature outside its time window")
	// ErrDigest means the Digest header is missing, offers no SHA-256, or
	// does not match the body.
	ErrDigest = errors.New("httpsig: body digest mismatch")
	// ErrBadSignature means the signature does not verify with the key:
	// a tampered request, or a key the sender has rotated since it was
	// cached.
	ErrBadSignature = errors.New("httpsig: signature does not verify")
)
