package spam

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/net/publicsuffix"

	"github.com/kiosque/kiosque/internal/search"
)

// MaxTokens is how many distinct tokens Tokens keeps from one comment: a
// long comment says nothing more about spam after its first 200 words, and
// the store looks up every token.
const MaxTokens = 200

const (
	// minTokenLen and maxTokenLen bound a word token, in runes after
	// folding: one letter says nothing, and longer runs are hashes, base64
	// or keyboard mashing whose exact spelling never repeats.
	minTokenLen = 2
	maxTokenLen = 30
	// maxScanBytes bounds the text the tokenizer, Fingerprint and the word
	// rules read. Comments are refused far below this (see CheckLength);
	// the bound only keeps a caller that forgot from doing unbounded work.
	maxScanBytes = 64 << 10
	// maxHostLen is the longest DNS name.
	maxHostLen = 253
)

// folder splits text into words, lowercased and folded to ASCII (é→e, œ→oe),
// without stemming or stop words: search's analyzer for a language it does
// not know. Reusing it keeps one folding for search and spam. It is never
// modified and is safe for concurrent use.
var folder = search.New("und")

// elidedForms are the French elided words longer than one letter, which the
// folder keeps as words (the one-letter l', d', j'… it drops). They only ever
// appear before an apostrophe and say nothing.
var elidedForms = map[string]bool{
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true,
	"quoiqu": true, "presqu": true, "quelqu": true,
}

// scriptTokens name the non-Latin scripts whose letters Tokens reports, one
// token per script: the folder drops words it cannot fold to ASCII, and text
// in Cyrillic or Han script under a French article is itself a strong clue.
var scriptTokens = []struct {
	token string
	table *unicode.RangeTable
}{
	{"script:cyrillic", unicode.Cyrillic},
	{"script:han", unicode.Han},
	{"script:hiragana", unicode.Hiragana},
	{"script:katakana", unicode.Katakana},
	{"script:hangul", unicode.Hangul},
	{"script:arabic", unicode.Arabic},
	{"script:hebrew", unicode.Hebrew},
	{"script:greek", unicode.Greek},
	{"script:thai", unicode.Thai},
	{"script:devanagari", unicode.Devanagari},
}

// Tokens returns the classifier's tokens for a comment: what Probability
// scores and Retrain counts. links are the URLs of the comment's links, and
// should include the author's website; each gives "host:" tokens for its host
// and for its registrable domain (host:shop.casino.example and
// host:casino.example), so a spammer's new subdomain is still recognised.
//
// Words are lowercased and folded to ASCII (« Viágra » and « VIAGRA » give
// viagra), split on apostrophes and hyphens with French elisions dropped
// (« l'argent », « qu'il » give argent, il), and kept when 2 to 30 runes
// long. Digits are bucketed to '#' (« 0612345678 » gives ##########,
// « 500€ » gives ###), so a phone number or a price is a shape, not a value.
// Letters of a non-Latin script give one "script:" token per script. Each
// token appears once, in order of first appearance, hosts first, and at most
// MaxTokens are returned.
//
// The store keeps counts by token, so changing what this function returns
// invalidates the training: retrain from the stored decisions if it does.
func Tokens(text string, links []string) []string {
	text = truncate(text)
	out := make([]string, 0, 64)
	seen := make(map[string]struct{}, 64)
	add := func(t string) {
		if len(out) >= MaxTokens {
			return
		}
		if _, ok := seen[t]; ok {
			return
		}
		seen[t] = struct{}{}
		out = append(out, t)
	}
	for _, l := range links {
		host := linkHost(l)
		if host == "" {
			continue
		}
		add("host:" + host)
		if d := registrableDomain(host); d != "" && d != host {
			add("host:" + d)
		}
	}
	for _, t := range folder.Terms(text) {
		if len(t) < minTokenLen || len(t) > maxTokenLen || elidedForms[t] {
			continue
		}
		add(bucketDigits(t))
	}
	for _, s := range scriptsOf(text) {
		add(s)
	}
	return out
}

// bucketDigits returns t with every ASCII digit replaced by '#'.
func bucketDigits(t string) string {
	if strings.IndexFunc(t, isASCIIDigit) < 0 {
		return t
	}
	b := []byte(t)
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '#'
		}
	}
	return string(b)
}

// isASCIIDigit reports whether r is 0 to 9.
func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

// scriptsOf returns the "script:" tokens of text, in scriptTokens order, and
// "script:other" for letters of any other script that is not Latin.
func scriptsOf(text string) []string {
	var found []string
	var mask uint32
	const otherBit = 1 << 31
	for _, r := range text {
		// Latin letters, accented ones included, all sit below U+0250 or in
		// Latin Extended Additional; skipping them keeps French text cheap.
		if r < 0x250 || !unicode.IsLetter(r) || unicode.Is(unicode.Latin, r) {
			continue
		}
		bit, token := uint32(otherBit), "script:other"
		for i, s := range scriptTokens {
			if unicode.Is(s.table, r) {
				bit, token = 1<<i, s.token
				break
			}
		}
		if mask&bit == 0 {
			mask |= bit
			found = append(found, token)
		}
	}
	return found
}

// linkHost returns the host of a link, lowercased, in ASCII (IDNA) form,
// without its port, trailing dot or "www." prefix; or "" when the link has
// none. A link without a scheme ("example.com/page") is read as http.
func linkHost(link string) string {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || u.Host == "" {
		u, err = url.Parse("http://" + link)
		if err != nil {
			return ""
		}
	}
	return normalizeHost(u.Hostname())
}

// normalizeHost returns host lowercased, in ASCII (IDNA) form, without a
// trailing dot or a "www." prefix; "" when it is not a plausible host name
// or IP address.
func normalizeHost(host string) string {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	if host == "" || len(host) > maxHostLen {
		return ""
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return a.WithZone("").Unmap().String()
	}
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	} else if !utf8.ValidString(host) || strings.ContainsAny(host, " /\\@") {
		return ""
	}
	return strings.TrimPrefix(host, "www.")
}

// registrableDomain returns the domain under which host was registered
// (shop.casino.example.co.uk gives example.co.uk), from the public suffix
// list compiled into golang.org/x/net; "" for IP addresses and hosts that
// are a public suffix themselves.
func registrableDomain(host string) string {
	if _, err := netip.ParseAddr(host); err == nil {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return ""
	}
	return d
}

// Fingerprint returns a digest that comments with the same words share,
// whatever their case, accents, spacing and punctuation: the store keeps it
// for each comment and counts, for Input.RecentSame, the comments of the last
// RepeatWindow with the same fingerprint. It is 32 hexadecimal characters
// (128 bits of SHA-256). Unlike Tokens, it keeps every word, repeated ones
// included, and the digits as written.
func Fingerprint(text string) string {
	h := sha256.New()
	for i, t := range folder.Terms(truncate(text)) {
		if i > 0 {
			h.Write([]byte{' '})
		}
		h.Write([]byte(t))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// truncate returns the first maxScanBytes of text, cut at a rune boundary.
func truncate(text string) string {
	if len(text) <= maxScanBytes {
		return text
	}
	cut := maxScanBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut]
}
