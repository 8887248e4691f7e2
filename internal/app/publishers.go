package app

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/social/bluesky"
	"github.com/kiosque/kiosque/internal/social/facebook"
	"github.com/kiosque/kiosque/internal/social/instagram"
	"github.com/kiosque/kiosque/internal/social/linkedin"
	"github.com/kiosque/kiosque/internal/social/mastodon"
	"github.com/kiosque/kiosque/internal/social/pinterest"
	"github.com/kiosque/kiosque/internal/social/telegram"
	"github.com/kiosque/kiosque/internal/social/threads"
	"github.com/kiosque/kiosque/internal/social/tumblr"
	"github.com/kiosque/kiosque/internal/social/x"
	"github.com/kiosque/kiosque/internal/syndication"
)

// publishers returns the client of each network, all on hc.
func publishers(hc *http.Client) map[syndication.Network]syndication.Publisher {
	return map[syndication.Network]syndication.Publisher{
		syndication.Mastodon:  mastodon.New(hc),
		syndication.Bluesky:   bluesky.New(hc),
		syndication.X:         x.New(hc),
		syndication.Facebook:  facebook.New(hc),
		syndication.Instagram: instagram.New(hc),
		syndication.LinkedIn:  linkedin.New(hc),
		syndication.Tumblr:    tumblr.New(hc),
		syndication.Telegram:  telegram.New(hc),
		syndication.Threads:   threads.New(hc),
		syndication.Pinterest: pinterest.New(hc),
	}
}
