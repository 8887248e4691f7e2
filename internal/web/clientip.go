package web

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the addresses of reverse proxies whose X-Forwarded-For can
// be believed. Only they may say who the client is: anyone else could
// forge the header to dodge login throttling or blame someone else in the
// audit log.
type Proxies []netip.Prefix

func (ps Proxies) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ClientIP returns the address of the client: the connection's peer, or,
// when the peer is a trusted proxy, the right-most address of
// X-Forwarded-For that is not itself a trusted proxy.
func (ps Proxies) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !ps.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return host
		}
		if !ps.trusted(a) {
			return a.Unmap().String()
		}
	}
	return host
}
