package syndication

import (
	"strings"
	"testing"
)

func TestCount(t *testing.T) {
	long := "https://le-veilleur.example/2026/11/28/un-titre-tres-long-pour-une-adresse-qui-depasse-vingt-trois-caracteres"
	tests := []struct {
		name    string
		network Network
		text    string
		want    int
	}{
		{"ascii on Mastodon", Mastodon, "Bonjour", 7},
		{"a link counts 23 on Mastodon", Mastodon, "Lire " + long, 5 + 23},
		{"a link counts as typed on Bluesky", Bluesky, "Lire " + long, 5 + len(long)},
		{"a combining accent is one grapheme", Mastodon, "e\u0301te\u0301", 3},
		{"a family emoji is one grapheme", Bluesky, "👨‍👩‍👧", 1},
		{"a flag is one grapheme", Bluesky, "🇫🇷", 1},
		{"French on X weighs 1 a character", X, "élection à Nîmes", 16},
		{"a link counts 23 on X", X, long, 23},
		{"an emoji weighs 2 on X", X, "🎉", 2},
		{"an emoji sequence weighs 2 on X", X, "👨‍👩‍👧", 2},
		{"a combining accent normalizes on X", X, "e\u0301", 1},
		{"CJK weighs 2 on X", X, "日本", 4},
		{"an ellipsis weighs 2 and a curly apostrophe 1 on X", X, "…’", 3},
		{"an emoji is two UTF-16 units on Telegram", Telegram, "a🎉", 3},
		{"an emoji counts its bytes on Threads", Threads, "é🎉", 1 + 4},
		{"a heart with its selector counts 6 on Threads", Threads, "❤️", 6},
		{"runes on LinkedIn", LinkedIn, "é🎉", 2},
		{"a trailing full stop is not part of a link", X, "Lire " + long + ".", 5 + 23 + 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.network.Limit().Count(tt.text); got != tt.want {
				t.Errorf("Count(%q) on %s = %d, want %d", tt.text, tt.network, got, tt.want)
			}
		})
	}
}

func TestShorten(t *testing.T) {
	link := "https://le-veilleur.example/2026/11/28/palmyre-la-cite-retrouvee"
	words := strings.Repeat("Les archéologues reviennent à Palmyre après dix ans d’absence. ", 20)
	tests := []struct {
		name    string
		network Network
		text    string
	}{
		{"excerpt before the link", X, "Palmyre, la cité retrouvée\n\n" + words + "\n\n" + link},
		{"text after the link", Mastodon, link + "\n\n" + words + words},
		{"bytes on Bluesky", Bluesky, "Palmyre\n\n" + strings.Repeat("🇫🇷é ", 200) + "\n\n" + link},
		{"graphemes on Bluesky", Bluesky, "Palmyre\n\n" + words + "\n\n" + link + " #Palmyre #Syrie"},
		{"emoji on X", X, strings.Repeat("🎉 fête ", 100) + link},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := tt.network.Limit()
			got, ok := l.Shorten(tt.text)
			if !ok || !l.Fits(got) {
				t.Fatalf("Shorten = %q (%d), ok %v: does not fit %d", got, l.Count(got), ok, l.Max)
			}
			if !strings.Contains(got, link) {
				t.Errorf("the link was cut: %q", got)
			}
			if !strings.Contains(got, Ellipsis) {
				t.Errorf("no ellipsis: %q", got)
			}
			// Cut on a word boundary: what precedes the ellipsis is a
			// whole word of the original.
			before, _, _ := strings.Cut(got, Ellipsis)
			fields := strings.Fields(before)
			if lastWord := fields[len(fields)-1]; !strings.Contains(tt.text, lastWord+" ") && !strings.Contains(tt.text, lastWord+"\n") {
				t.Errorf("cut inside a word: %q", lastWord)
			}
			if l.Remaining(got) > 30 && tt.network != Bluesky {
				t.Errorf("cut too much: %d left", l.Remaining(got))
			}
		})
	}
	t.Run("fits already", func(t *testing.T) {
		if got, ok := X.Limit().Shorten("Court " + link); !ok || got != "Court "+link {
			t.Errorf("Shorten = %q, %v", got, ok)
		}
	})
	t.Run("links alone too long", func(t *testing.T) {
		many := strings.Repeat(link+" ", 20)
		if _, ok := X.Limit().Shorten(many); ok {
			t.Error("twenty links fit in 280")
		}
	})
}

func TestRender(t *testing.T) {
	v := Vars{Title: "Palmyre, la cité retrouvée", Permalink: "https://le-veilleur.example/p", Excerpt: "Dix ans après.",
		BlogTitle: "Le Veilleur", AuthorSlug: "claire-morel", AuthorName: "Claire Morel", ID: 42, PublishDate: "28 novembre 2026",
		Tags: []string{"Palmyre", "moyen-orient", "2026"}, Categories: []string{"International", "Moyen-Orient"}}
	tests := []struct {
		name, tmpl, want string
		err              bool
	}{
		{"default", DefaultTemplate, "Palmyre, la cité retrouvée\n\nDix ans après.\n\nhttps://le-veilleur.example/p\n\n#Palmyre #MoyenOrient #International", false},
		{"all of them", "{BLOG_TITLE} {POST_ID} {USER_NICENAME} {USER_DISPLAY_NAME} {POST_PUBLISH_DATE} {CATEGORIES}",
			"Le Veilleur 42 claire-morel Claire Morel 28 novembre 2026 International, Moyen-Orient", false},
		{"an empty line collapses", "{POST_TITLE}\n\n{POST_CONTENT}\n\n{PERMALINK}", "Palmyre, la cité retrouvée\n\nhttps://le-veilleur.example/p", false},
		{"unknown placeholder", "{POST_TITLE} {TITRE}", "", true},
		{"lower case braces are text", "{POST_TITLE} {ok}", "Palmyre, la cité retrouvée {ok}", false},
		{"empty", "  ", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Render(tt.tmpl, v)
			if (err != nil) != tt.err || got != tt.want {
				t.Errorf("Render = %q, %v; want %q, error %v", got, err, tt.want, tt.err)
			}
		})
	}
}
