package syndication

// Network names a social network kiosque posts to.
type Network string

// The networks, by the name stored with each account.
const (
	Mastodon  Network = "mastodon"
	Bluesky   Network = "bluesky"
	X         Network = "x"
	Facebook  Network = "facebook"
	Instagram Network = "instagram"
	LinkedIn  Network = "linkedin"
	Tumblr    Network = "tumblr"
	Telegram  Network = "telegram"
	Threads   Network = "threads"
	Pinterest Network = "pinterest"
)

// Networks returns every network, in the back office's order.
func Networks() []Network {
	return []Network{Mastodon, Bluesky, X, Facebook, Instagram, LinkedIn, Tumblr, Telegram, Threads, Pinterest}
}

// Valid reports whether n is one of Networks.
func (n Network) Valid() bool {
	_, ok := limits[n]
	return ok
}

// Unit is what a network counts in a post's text.
type Unit int

// The units networks count in.
const (
	// Graphemes are what a reader sees as one character: « é » typed as
	// e and a combining accent, a flag, a family emoji (Mastodon, Bluesky).
	Graphemes Unit = iota
	// Weighted is X's count (twitter-text v3): most Latin text weighs 1
	// per character, other scripts and each emoji 2.
	Weighted
	// UTF16 counts UTF-16 code units, as Telegram does after parsing
	// entities: an emoji outside the basic plane counts 2.
	UTF16
	// Runes counts Unicode code points (Meta's and LinkedIn's « characters »).
	Runes
	// EmojiBytes counts code points, but an emoji's code points count
	// their UTF-8 bytes (Threads: « emojis are counted as the number of
	// UTF-8 bytes », 🎉 counts 4 and ❤️ 6).
	EmojiBytes
)

// Limit is how long a post's text may be on a network.
type Limit struct {
	// Max is the most the network accepts, in Unit.
	Max  int
	Unit Unit
	// URLWeight, when not zero, is what every link counts whatever its
	// length (Mastodon and X shorten links to 23 characters).
	URLWeight int
	// MaxBytes, when not zero, also bounds the UTF-8 bytes (Bluesky).
	MaxBytes int
	// NeedsImage is set for networks that only post pictures: an article
	// without an image is skipped there, with the reason.
	NeedsImage bool
}

// limits are the networks' documented limits (integrations.md; the Meta
// and LinkedIn counts in code points are their documents' « characters »).
var limits = map[Network]Limit{
	Mastodon:  {Max: 500, Unit: Graphemes, URLWeight: 23},
	Bluesky:   {Max: 300, Unit: Graphemes, MaxBytes: 3000},
	X:         {Max: 280, Unit: Weighted, URLWeight: 23},
	Facebook:  {Max: 63206, Unit: Runes},
	Instagram: {Max: 2200, Unit: Runes, NeedsImage: true},
	LinkedIn:  {Max: 3000, Unit: Runes},
	Tumblr:    {Max: 4096, Unit: Runes},
	Telegram:  {Max: 4096, Unit: UTF16},
	Threads:   {Max: 500, Unit: EmojiBytes},
	Pinterest: {Max: 500, Unit: Runes, NeedsImage: true},
}

// Limit returns n's limit; a Mastodon instance may allow more than 500,
// which an account's setting says (see Account.MaxChars).
func (n Network) Limit() Limit { return limits[n] }
