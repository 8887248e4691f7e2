package httpsig

import "strings"

// KeyOwnerURL returns the document to fetch to find the public key a keyId
// names. Mastodon's keyIds are the actor's URL with a "#main-key" fragment:
// the fragment is dropped and the actor document holds publicKey. Other
// keyIds, such as GoToSocial's ".../main-key" paths, are returned as they
// are: that URL answers with a stub whose publicKey.owner names the actor,
// which the caller then checks against the activity's actor.
func KeyOwnerURL(keyID string) string {
	if i := strings.IndexByte(keyID, '#'); i >= 0 {
		return keyID[:i]
	}
	return keyID
}
