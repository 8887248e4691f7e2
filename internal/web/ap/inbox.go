package ap

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/federation/vocab"
	"github.com/kiosque/kiosque/internal/httpsig"
)

// inbox takes an activity posted to an inbox: it checks the HTTP
// signature (refusing with 401 before any key is fetched when the
// signature breaks a rule, and fetching the key again once when it does
// not verify: a rotation), then hands the activity to the federation,
// which stores it for processing. It answers 202 at once; 401 for a
// missing or bad signature, 400 for a malformed or forged activity, 413
// for one too large, 429 when the instance sends too much; each refusal
// is logged with its reason.
func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !h.d.Federation.Enabled() {
		writeError(w, http.StatusNotFound)
		return
	}
	sig, err := httpsig.ParseSignature(r)
	if err != nil {
		h.refuse(w, r, http.StatusUnauthorized, "", err)
		return
	}
	host := hostOfKey(sig.KeyID)
	if !h.limit.allow(host) {
		w.Header().Set("Retry-After", "10")
		h.refuse(w, r, http.StatusTooManyRequests, sig.KeyID, errors.New("too many activities from this instance"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, vocab.MaxDocumentSize))
	if err != nil {
		h.refuse(w, r, http.StatusRequestEntityTooLarge, sig.KeyID, err)
		return
	}
	now := h.d.Clock.Now()
	if err := sig.Check(r, body, now); err != nil {
		h.refuse(w, r, http.StatusUnauthorized, sig.KeyID, err)
		return
	}
	owner, err := h.verify(r, sig, body)
	if err != nil {
		h.refuse(w, r, http.StatusUnauthorized, sig.KeyID, err)
		return
	}
	outcome, err := h.d.Federation.Receive(ctx, body, owner)
	if err != nil {
		h.refuse(w, r, errorStatus(err), sig.KeyID, err)
		return
	}
	if outcome != federation.Queued {
		h.d.Log.Info("inbox: activity dropped", "key", sig.KeyID, "outcome", outcome)
	}
	w.WriteHeader(http.StatusAccepted)
}

// verify checks sig with its key, fetched again once if it fails (the
// remote may have rotated its key), and returns the key's owner.
func (h *Handler) verify(r *http.Request, sig *httpsig.Signature, body []byte) (string, error) {
	ctx := r.Context()
	for _, refresh := range []bool{false, true} {
		pem, owner, err := h.d.Federation.PublicKey(ctx, sig.KeyID, refresh)
		if err != nil {
			return "", err
		}
		pub, err := httpsig.ParsePublicKeyPEM(pem)
		if err != nil {
			return "", fmt.Errorf("key %s: %w", sig.KeyID, err)
		}
		err = sig.Verify(r, body, pub, h.d.Clock.Now())
		if err == nil {
			return owner, nil
		}
		if !errors.Is(err, httpsig.ErrBadSignature) || refresh {
			return "", err
		}
	}
	return "", httpsig.ErrBadSignature
}

// refuse answers status and logs why, naming the key that signed.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, keyID string, err error) {
	h.d.Log.Info("inbox: activity refused", "status", status, "key", keyID, "remote", r.RemoteAddr, "reason", err)
	writeError(w, status)
}
