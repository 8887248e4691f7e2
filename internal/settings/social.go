package settings

import "slices"

// SocialLink is a profile of the newsroom on a social network.
type SocialLink struct {
	// Network is one of the IDs of Networks.
	Network string `json:"network"`
	// URL is the profile's absolute https address.
	URL string `json:"url"`
}

// Network is a social network a profile link may point to.
type Network struct {
	// ID is the stable name stored in settings ("mastodon").
	ID string
	// Name is the brand, as the network writes it ("LinkedIn").
	Name string
}

// networks are in the order links are shown.
var networks = []Network{
	{"mastodon", "Mastodon"},
	{"bluesky", "Bluesky"},
	{"x", "X"},
	{"facebook", "Facebook"},
	{"instagram", "Instagram"},
	{"linkedin", "LinkedIn"},
	{"tumblr", "Tumblr"},
	{"telegram", "Telegram"},
	{"threads", "Threads"},
	{"pinterest", "Pinterest"},
	{"youtube", "YouTube"},
}

// Networks returns the social networks a profile link may point to, in the
// order links are shown.
func Networks() []Network { return slices.Clone(networks) }

// KnownNetwork reports whether id is the ID of one of Networks.
func KnownNetwork(id string) bool { return networkIndex(id) >= 0 }

// NetworkName returns the brand name of the network id, or id when unknown.
func NetworkName(id string) string {
	if i := networkIndex(id); i >= 0 {
		return networks[i].Name
	}
	return id
}

func networkIndex(id string) int {
	return slices.IndexFunc(networks, func(n Network) bool { return n.ID == id })
}

// sortLinks puts links in the order of Networks, unknown networks last.
func sortLinks(links []SocialLink) {
	rank := func(id string) int {
		if i := networkIndex(id); i >= 0 {
			return i
		}
		return len(networks)
	}
	slices.SortStableFunc(links, func(a, b SocialLink) int { return rank(a.Network) - rank(b.Network) })
}
