// Package vocab holds the ActivityStreams 2.0 and ActivityPub documents
// kiosque emits and accepts, as plain Go structs encoded with encoding/json.
//
// Emitted documents (the publication's Person actor, its articles as Article
// or Note, the Create, Update, Delete, Accept and Reject activities, the
// outbox, followers and featured collections, WebFinger and NodeInfo) are
// built from plain input structs, so the package does not depend on how the
// site stores things. Accepted documents (inbox activities, remote actors,
// their keys and their replies) are parsed leniently, as the fediverse writes
// them, but within hard limits on size and nesting.
//
// The package is pure: no network, no database. The handlers that serve and
// receive these documents, HTTP signatures and delivery live elsewhere.
// Section 8 of the team's integration notes (domain/integrations.md) is the
// specification this follows.
package vocab
