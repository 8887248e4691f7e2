package spam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

func TestCheckLength(t *testing.T) {
	r := spam.Rules{MinLength: 3, MaxLength: 10}
	tests := []struct {
		name    string
		text    string
		rules   spam.Rules
		wantErr error
	}{
		{name: "OK", text: "Très juste", rules: r},
		{name: "OKAtMin", text: "Oui", rules: r},
		{name: "OKAtMax", text: "0123456789", rules: r},
		{name: "OKSpacesTrimmed", text: "  \n Bravo \t ", rules: r},
		{name: "OKDecomposedAccentsCountOnce", text: "e\u0301te\u0301 e\u0301te\u0301", rules: r},
		{name: "OKNoBounds", text: strings.Repeat("x", 100000), rules: spam.Rules{}},
		{name: "ErrEmpty", text: "", rules: r, wantErr: spam.ErrEmpty},
		{name: "ErrEmptyWithoutMin", text: " \u00a0\n", rules: spam.Rules{}, wantErr: spam.ErrEmpty},
		{name: "ErrTooShort", text: "Ok", rules: r, wantErr: spam.ErrTooShort},
		{name: "ErrTooLong", text: "0123456789A", rules: r, wantErr: spam.ErrTooLong},
		{name: "ErrTooLongAccents", text: "ééééééééééé", rules: r, wantErr: spam.ErrTooLong},
		{name: "ErrTooLongDefault", text: strings.Repeat("a", 5001), rules: spam.DefaultRules(), wantErr: spam.ErrTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := spam.CheckLength(tt.text, tt.rules)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("CheckLength() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestCheckRate(t *testing.T) {
	r := spam.Rules{PerAddress: spam.Limit{Hold: 2, Refuse: 5}, PerNetwork: spam.Limit{Hold: 10, Refuse: 20}}
	tests := []struct {
		name              string
		fromAddr, fromNet int
		rules             spam.Rules
		wantErr           error
	}{
		{name: "OK", fromAddr: 0, fromNet: 0, rules: r},
		{name: "OKBelow", fromAddr: 4, fromNet: 19, rules: r},
		{name: "OKNoLimits", fromAddr: 1e6, fromNet: 1e6, rules: spam.Rules{}},
		{name: "ErrAddress", fromAddr: 5, fromNet: 5, rules: r, wantErr: spam.ErrTooManyFromAddress},
		{name: "ErrNetwork", fromAddr: 1, fromNet: 20, rules: r, wantErr: spam.ErrTooManyFromNetwork},
		{name: "ErrBothAddressFirst", fromAddr: 50, fromNet: 50, rules: r, wantErr: spam.ErrTooManyFromAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := spam.CheckRate(tt.fromAddr, tt.fromNet, tt.rules)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("CheckRate() = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name     string
		change   func(r *spam.Rules)
		wantErrs []error
		wantText []string
	}{
		{name: "OKDefaults", change: func(*spam.Rules) {}},
		{name: "OKZero", change: func(r *spam.Rules) { *r = spam.Rules{} }},
		{name: "OKEveryAddressForm", change: func(r *spam.Rules) {
			r.SpamAddresses = []string{"203.0.113.7", " 2001:db8::7 ", "203.0.113.0/24", "2001:db8::/32", "::ffff:203.0.113.0/120",
				"Troll@Example.com", "@spam.example", "spam.example", "pâtisserie.example"}
		}},
		{name: "OKWords", change: func(r *spam.Rules) { r.BannedWords = []string{"connard", "l'argent facile", "Dupont-Moretti", "2024"} }},
		{name: "ErrAddresses", change: func(r *spam.Rules) {
			r.BannedAddresses = []string{"203.0.113.300", "localhost", "@", "a@b@c.example"}
			r.SpamAddresses = []string{"2001:db8:dead::/32", "10.0.0.0/33", ""}
		}, wantErrs: []error{spam.ErrBadAddress}, wantText: []string{
			`banned_addresses: parse "203.0.113.300"`, `"localhost"`, `"@"`, `"a@b@c.example"`,
			`spam_addresses: parse "2001:db8:dead::/32": bits set after the prefix, the block is 2001:db8::/32`, `"10.0.0.0/33"`, `parse ""`,
		}},
		{name: "ErrWords", change: func(r *spam.Rules) { r.SpamWords = []string{"ok", " ", "!!!", "l'"} },
			wantErrs: []error{spam.ErrBadWord}, wantText: []string{`spam_words " "`, `spam_words "!!!"`, `spam_words "l'"`}},
		{name: "ErrLimits", change: func(r *spam.Rules) {
			r.MinLength, r.MaxLength, r.MinElapsed = 50, 10, -1
			r.PerNetwork.Refuse = -1
		}, wantErrs: []error{spam.ErrBadLimit}, wantText: []string{"min_elapsed", "min_length: 50 is above max_length 10", "per_network"}},
		{name: "ErrNegativeLengths", change: func(r *spam.Rules) { r.MinLength, r.MaxLength = -1, -1 },
			wantErrs: []error{spam.ErrBadLimit}, wantText: []string{"min_length: -1", "max_length: -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := spam.DefaultRules()
			tt.change(&r)
			err := r.Validate()
			if (err != nil) != (len(tt.wantErrs) > 0) {
				t.Fatalf("Validate() = %v, want errors %v", err, tt.wantErrs)
			}
			for _, want := range tt.wantErrs {
				if !errors.Is(err, want) {
					t.Errorf("Validate() = %v, want %v", err, want)
				}
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Validate() = %v, want it to mention %q", err, s)
				}
			}
		})
	}
}

func TestRateKeys(t *testing.T) {
	tests := []struct {
		name        string
		ip          string
		wantAddress string
		wantNetwork string
		wantErr     bool
	}{
		{name: "OKIPv4", ip: "203.0.113.77", wantAddress: "203.0.113.77/32", wantNetwork: "203.0.113.0/24"},
		{name: "OKIPv4Mapped", ip: "::ffff:203.0.113.77", wantAddress: "203.0.113.77/32", wantNetwork: "203.0.113.0/24"},
		{name: "OKIPv6", ip: "2001:db8:aaaa:bbbb:cccc::1", wantAddress: "2001:db8:aaaa:bbbb::/64", wantNetwork: "2001:db8:aaaa::/48"},
		{name: "OKIPv6SameHousehold", ip: "2001:db8:aaaa:bbbb:ffff::9", wantAddress: "2001:db8:aaaa:bbbb::/64", wantNetwork: "2001:db8:aaaa::/48"},
		{name: "OKIPv6Zone", ip: " fe80::1%eth0 ", wantAddress: "fe80::/64", wantNetwork: "fe80::/48"},
		{name: "ErrEmpty", ip: "", wantErr: true},
		{name: "ErrWithPort", ip: "203.0.113.77:443", wantErr: true},
		{name: "ErrName", ip: "example.com", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, network, err := spam.RateKeys(tt.ip)
			if (err != nil) != tt.wantErr {
				t.Fatalf("RateKeys(%q) error = %v, want error %v", tt.ip, err, tt.wantErr)
			}
			if addr != tt.wantAddress || network != tt.wantNetwork {
				t.Errorf("RateKeys(%q) = %q, %q; want %q, %q", tt.ip, addr, network, tt.wantAddress, tt.wantNetwork)
			}
		})
	}
}
