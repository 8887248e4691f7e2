// Package federation makes the publication a fediverse account: an
// ActivityPub actor that Mastodon, GoToSocial, Misskey, Pixelfed and
// Threads users follow, which sends each new article to its followers'
// inboxes and takes their replies, likes and boosts in.
//
// It holds the rules (who may follow, what an article becomes, what an
// incoming activity does, when a delivery is retried or given up) and
// the small interfaces it needs: Store (storage implements it) and Fetcher
// (the signed HTTP client, package apclient). It knows no HTTP handler and
// no SQL; the documents themselves are package vocab's, and the
// signatures package httpsig's.
package federation
