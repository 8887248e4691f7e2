package app

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/syndication"
)

// publishers returns the client of each network, all on hc.
func publishers(hc *http.Client) map[syndication.Network]syndication.Publisher {
	_ = hc
	return map[syndication.Network]syndication.Publisher{}
}
