// Package syndication posts the newsroom's articles to its social network
// accounts: the ten networks and their limits, the message templates with
// the placeholders newsrooms know from WordPress's « Social Media Auto
// Publish », the counting and shortening each network needs, and the
// Publisher interface each network's client (package social/<network>)
// implements. The outbox, which turns a publication into one delivery per
// account and retries them, is built on these.
//
// The package knows no HTTP and no SQL: a Publisher speaks to a network,
// a store keeps accounts and deliveries.
package syndication
