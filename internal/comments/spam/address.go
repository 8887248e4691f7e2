package spam

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
)

// ErrBadAddress is wrapped by Rules.Validate for an entry of an address list
// that is neither an IP address, a CIDR block, an e-mail address nor a
// domain.
var ErrBadAddress = errors.New("not an IP address, CIDR block, e-mail address or domain")

// addressKind says what an address-list entry matches.
type addressKind int8

const (
	// addrPrefix matches the client IP: a single address is a /32 or /128.
	addrPrefix addressKind = iota + 1
	// addrEmail matches the author's e-mail address.
	addrEmail
	// addrDomain matches the domain of the e-mail address, of the author's
	// website and of the links, subdomains included.
	addrDomain
)

// addressRule is one parsed entry of an address list.
type addressRule struct {
	kind   addressKind
	prefix netip.Prefix
	// value is the normalized e-mail address or domain.
	value string
}

// parseAddress parses one entry of an address list:
//
//	203.0.113.7, 2001:db8::7             one IP address
//	203.0.113.0/24, 2001:db8::/32        a CIDR block, without bits set after the prefix
//	troll@example.com                     one e-mail address (any +tag)
//	@spam.example or spam.example         a domain, in e-mails, websites and links
func parseAddress(entry string) (addressRule, error) {
	e := strings.ToLower(strings.TrimSpace(entry))
	if strings.Contains(e, "/") {
		p, err := netip.ParsePrefix(e)
		if err != nil {
			return addressRule{}, fmt.Errorf("parse %q: %w: %w", entry, ErrBadAddress, err)
		}
		if m := p.Masked(); m != p {
			// 2001:db8:dead::/32 is 2001:db8::/32, a block 65,536 times
			// wider than it reads: refuse it rather than guess.
			return addressRule{}, fmt.Errorf("parse %q: bits set after the prefix, the block is %s: %w", entry, m, ErrBadAddress)
		}
		return addressRule{kind: addrPrefix, prefix: unmapPrefix(p)}, nil
	}
	if a, err := netip.ParseAddr(e); err == nil {
		a = a.WithZone("").Unmap()
		return addressRule{kind: addrPrefix, prefix: netip.PrefixFrom(a, a.BitLen())}, nil
	}
	if local, domain, ok := strings.Cut(e, "@"); ok && local != "" {
		if normalizeHost(domain) != "" && !strings.Contains(domain, "@") {
			return addressRule{kind: addrEmail, value: normalizeEmail(e)}, nil
		}
		return addressRule{}, fmt.Errorf("parse %q: %w", entry, ErrBadAddress)
	}
	d := normalizeHost(strings.TrimPrefix(e, "@"))
	// A domain has at least two labels, and its top-level one is not a
	// number: 203.0.113.300 is a mistyped address, not a domain.
	dot := strings.LastIndexByte(d, '.')
	if dot <= 0 || strings.Trim(d[dot+1:], "0123456789") == "" {
		return addressRule{}, fmt.Errorf("parse %q: %w", entry, ErrBadAddress)
	}
	return addressRule{kind: addrDomain, value: d}, nil
}

// unmapPrefix turns an IPv4-mapped IPv6 block (::ffff:203.0.113.0/120) into
// the IPv4 block it means, since client addresses are unmapped too.
func unmapPrefix(p netip.Prefix) netip.Prefix {
	if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
		return netip.PrefixFrom(a.Unmap(), p.Bits()-96)
	}
	return p
}

// normalizeEmail returns an e-mail address lowercased, without the +tag of
// its local part (troll+2@example.com is troll@example.com) and with its
// domain normalized; "" when it has no @.
func normalizeEmail(email string) string {
	local, domain, ok := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	if !ok || local == "" {
		return ""
	}
	if base, _, tagged := strings.Cut(local, "+"); tagged && base != "" {
		local = base
	}
	return local + "@" + normalizeHost(domain)
}

// subject is what the address rules look at in a comment.
type subject struct {
	ip    netip.Addr
	email string
	// hosts are the domains of the e-mail address, of the author's website
	// and of the links.
	hosts []string
}

// newSubject extracts the subject of the address rules from in.
func newSubject(in Input) subject {
	var s subject
	if a, err := netip.ParseAddr(strings.TrimSpace(in.IP)); err == nil {
		s.ip = a.WithZone("").Unmap()
	}
	s.email = normalizeEmail(in.Email)
	if _, domain, ok := strings.Cut(s.email, "@"); ok && domain != "" {
		s.hosts = append(s.hosts, domain)
	}
	if in.URL != "" {
		if h := linkHost(in.URL); h != "" {
			s.hosts = append(s.hosts, h)
		}
	}
	for _, l := range in.Links {
		if h := linkHost(l); h != "" {
			s.hosts = append(s.hosts, h)
		}
	}
	return s
}

// matches reports whether the rule matches the subject.
func (r addressRule) matches(s subject) bool {
	switch r.kind {
	case addrPrefix:
		return s.ip.IsValid() && r.prefix.Contains(s.ip)
	case addrEmail:
		return s.email != "" && s.email == r.value
	case addrDomain:
		for _, h := range s.hosts {
			if h == r.value || strings.HasSuffix(h, "."+r.value) {
				return true
			}
		}
	}
	return false
}

// matchAddresses returns the entries of list that match s, as written; the
// entries that do not parse are skipped (Rules.Validate reports them).
func matchAddresses(list []string, s subject) []string {
	var hits []string
	for _, entry := range list {
		r, err := parseAddress(entry)
		if err == nil && r.matches(s) {
			hits = append(hits, strings.TrimSpace(entry))
		}
	}
	return hits
}

// RateKeys returns the keys by which the store counts a client's recent
// comments for CheckRate and Input.RecentFromAddress/RecentFromNetwork: the
// address (an IPv4 /32, or the IPv6 /64 that one household or server gets,
// since a host can pick any address in it) and its network block (IPv4 /24,
// IPv6 /48). Both are CIDR strings such as "203.0.113.7/32" and
// "203.0.113.0/24"; IPv4-mapped IPv6 addresses count as IPv4.
func RateKeys(ip string) (address, network string, err error) {
	a, err := netip.ParseAddr(strings.TrimSpace(ip))
	if err != nil {
		return "", "", fmt.Errorf("rate keys: %w", err)
	}
	a = a.WithZone("").Unmap()
	addrBits, netBits := 32, 24
	if a.Is6() {
		addrBits, netBits = 64, 48
	}
	ap, _ := a.Prefix(addrBits)
	np, _ := a.Prefix(netBits)
	return ap.String(), np.String(), nil
}
