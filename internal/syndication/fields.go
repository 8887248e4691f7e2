package syndication

// Field is one setting of an account on a network, as the back office
// asks for it and a Publisher reads it from Credentials.
type Field struct {
	// Name is the key in Credentials.Config or Credentials.Secrets.
	Name string
	// Secret fields are stored encrypted, never shown again, never logged.
	Secret   bool
	Required bool
}

// Fields returns what an account on n needs. The names are the contract
// between the back office, the store and the network's Publisher.
func (n Network) Fields() []Field {
	switch n {
	case Mastodon:
		// instance: https://mastodon.social; visibility: public (default)
		// or unlisted; max_chars: an instance's own limit when not 500.
		return []Field{{Name: "instance", Required: true}, {Name: "visibility"}, {Name: "max_chars"},
			{Name: "access_token", Secret: true, Required: true}}
	case Bluesky:
		// service: the PDS, https://bsky.social by default.
		return []Field{{Name: "handle", Required: true}, {Name: "service"},
			{Name: "app_password", Secret: true, Required: true}}
	case X:
		// OAuth 1.0a user keys, or an OAuth 2.0 user token with its
		// refresh token and the app's client id (and secret, for a
		// confidential client).
		return []Field{{Name: "api_key", Secret: true}, {Name: "api_secret", Secret: true},
			{Name: "access_token", Secret: true}, {Name: "access_token_secret", Secret: true},
			{Name: "oauth2_token", Secret: true}, {Name: "oauth2_refresh_token", Secret: true},
			{Name: "client_id"}, {Name: "client_secret", Secret: true}}
	case Facebook:
		return []Field{{Name: "page_id", Required: true}, {Name: "page_token", Secret: true, Required: true},
			{Name: "app_secret", Secret: true}}
	case Instagram:
		return []Field{{Name: "account_id", Required: true}, {Name: "access_token", Secret: true, Required: true}}
	case LinkedIn:
		// author: urn:li:organization:… or urn:li:person:…
		return []Field{{Name: "author", Required: true}, {Name: "access_token", Secret: true, Required: true}}
	case Tumblr:
		// blog: the blog's identifier (name or domain).
		return []Field{{Name: "blog", Required: true}, {Name: "access_token", Secret: true, Required: true},
			{Name: "refresh_token", Secret: true}, {Name: "client_id"}, {Name: "client_secret", Secret: true}}
	case Telegram:
		// channel: @name or the numeric chat id.
		return []Field{{Name: "channel", Required: true}, {Name: "bot_token", Secret: true, Required: true}}
	case Threads:
		return []Field{{Name: "user_id", Required: true}, {Name: "access_token", Secret: true, Required: true}}
	case Pinterest:
		return []Field{{Name: "board_id", Required: true}, {Name: "access_token", Secret: true, Required: true}}
	}
	return nil
}
