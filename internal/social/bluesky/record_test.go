package bluesky

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kiosque/kiosque/internal/social/bluesky/blueskytest"
)

func TestRecordKey(t *testing.T) {
	seen := map[string]string{}
	for i := range 2000 {
		key := fmt.Sprintf("delivery-%d", i)
		got := recordKey(key)
		if !blueskytest.ValidTID(got) {
			t.Fatalf("recordKey(%q) = %q, not a TID", key, got)
		}
		if recordKey(key) != got {
			t.Fatalf("recordKey(%q) changes", key)
		}
		if other, ok := seen[got]; ok {
			t.Fatalf("recordKey(%q) = recordKey(%q) = %q", key, other, got)
		}
		seen[got] = key
		var v uint64
		for _, r := range got {
			v = v<<5 | uint64(strings.IndexRune(tidAlphabet, r))
		}
		if ts := time.UnixMicro(int64(v >> 10)); !ts.Before(time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)) { //nolint:gosec // v < 2^63
			t.Fatalf("recordKey(%q) = %q dates from %v", key, got, ts)
		}
	}
	// The key of a delivery must never change between releases: a retry
	// after an upgrade would post twice.
	if got, want := recordKey("delivery-42"), "37534ihobp3yj"; got != want {
		t.Errorf("recordKey(delivery-42) = %q, want %q", got, want)
	}
}

func TestFacets(t *testing.T) {
	link := func(text, uri string, nth int) facet {
		start := -1
		for range nth + 1 {
			start += 1 + strings.Index(text[start+1:], uri)
		}
		return facet{Index: byteSlice{start, start + len(uri)}, Features: []feature{{Type: linkFeature, URI: uri}}}
	}
	tag := func(text, tag string) facet {
		start := strings.Index(text, "#"+tag)
		return facet{Index: byteSlice{start, start + 1 + len(tag)}, Features: []feature{{Type: tagFeature, Tag: tag}}}
	}
	tests := []struct {
		name string
		text string
		want func(text string) []facet
	}{
		{"OKAccentsAndEmojiBefore", "Été à l’Élysée 🇫🇷👩‍👩‍👧 https://ex.fr/a", func(s string) []facet {
			return []facet{link(s, "https://ex.fr/a", 0)}
		}},
		{"OKLinkWithAccents", "Lire https://ex.fr/été/réforme?q=ç&x=1 maintenant", func(s string) []facet {
			return []facet{link(s, "https://ex.fr/été/réforme?q=ç&x=1", 0)}
		}},
		{"OKSentencePunctuation", "Voir https://ex.fr/a. Puis https://ex.fr/b, https://ex.fr/c… et https://ex.fr/d !", func(s string) []facet {
			return []facet{link(s, "https://ex.fr/a", 0), link(s, "https://ex.fr/b", 0), link(s, "https://ex.fr/c", 0), link(s, "https://ex.fr/d", 0)}
		}},
		{"OKBrackets", "(voir https://fr.wikipedia.org/wiki/Le_Monde_(journal)) et (https://ex.fr/a)", func(s string) []facet {
			return []facet{link(s, "https://fr.wikipedia.org/wiki/Le_Monde_(journal)", 0), link(s, "https://ex.fr/a", 0)}
		}},
		{"OKGuillemets", "« https://ex.fr/a »", func(s string) []facet { return []facet{link(s, "https://ex.fr/a", 0)} }},
		{"OKSameLinkTwice", "https://ex.fr/a et https://ex.fr/a", func(s string) []facet {
			return []facet{link(s, "https://ex.fr/a", 0), link(s, "https://ex.fr/a", 1)}
		}},
		{"OKHashtags", "#Climat : la COP31 s’ouvre. #ÉtéIndien, #Paris! #2026 C#", func(s string) []facet {
			return []facet{tag(s, "Climat"), tag(s, "ÉtéIndien"), tag(s, "Paris")}
		}},
		{"OKFragmentNoTag", "https://ex.fr/a#commentaires #Débat", func(s string) []facet {
			return []facet{link(s, "https://ex.fr/a#commentaires", 0), tag(s, "Débat")}
		}},
		{"OKKeycapNoTag", "#️⃣ numéro un", func(string) []facet { return nil }},
		{"OKNoScheme", "exemple.fr et http:// seul", func(string) []facet { return nil }},
		{"OKTagTooLong", "#" + strings.Repeat("a", 65), func(string) []facet { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := facetsOf(tt.text)
			if diff := cmp.Diff(tt.want(tt.text), got); diff != "" {
				t.Errorf("facetsOf(%q) (-want +got):\n%s", tt.text, diff)
			}
			for _, f := range got {
				covered := tt.text[f.Index.ByteStart:f.Index.ByteEnd]
				if f.Features[0].URI != "" && covered != f.Features[0].URI || f.Features[0].Tag != "" && covered != "#"+f.Features[0].Tag {
					t.Errorf("facet %+v covers %q", f, covered)
				}
			}
		})
	}
}
