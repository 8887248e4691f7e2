package comments_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/comments"
)

func TestOwnToken(t *testing.T) {
	s := comments.NewService(comments.Deps{Secret: []byte("a secret of the site")})
	other := comments.NewService(comments.Deps{Secret: []byte("another site")})
	tok := s.AddOwn(s.AddOwn("", 12), 40)
	if got := s.OwnIDs(tok); !slices.Equal(got, []int64{12, 40}) {
		t.Fatalf("OwnIDs = %v", got)
	}
	many := ""
	for id := range int64(30) {
		many = s.AddOwn(many, id+1)
	}
	if got := s.OwnIDs(many); len(got) != comments.MaxOwn || got[0] != 11 || got[len(got)-1] != 30 {
		t.Errorf("the cookie keeps the last %d: %v", comments.MaxOwn, got)
	}
	list, sig, _ := strings.Cut(tok, "~")
	cases := []struct{ name, token string }{
		{"ErrEmpty", ""},
		{"ErrNoSignature", list},
		{"ErrOtherSite", other.OwnToken([]int64{12, 40})},
		{"ErrAddedID", list + ".99~" + sig},
		{"ErrNotNumbers", "a.b~" + sig},
		{"ErrNegative", s.OwnToken([]int64{-5})},
		{"ErrHuge", strings.Repeat("1", 1000) + "~" + sig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := s.OwnIDs(c.token); got != nil {
				t.Errorf("OwnIDs(%q) = %v, want nil", c.token, got)
			}
		})
	}
}

func TestAvatarKey(t *testing.T) {
	s := comments.NewService(comments.Deps{Secret: []byte("a secret of the site")})
	keyer := s.AvatarKeyer()
	for _, email := range []string{"ines@example.org", " Ines@Example.org ", "daniel@example.org", "ines@example.org", ""} {
		if got, want := keyer(email), s.AvatarKey(email); got != want {
			t.Errorf("AvatarKeyer(%q) = %q, AvatarKey = %q", email, got, want)
		}
	}
	if s.AvatarKey("ines@example.org") == s.AvatarKey("daniel@example.org") {
		t.Error("two commenters share an avatar key")
	}
	other := comments.NewService(comments.Deps{Secret: []byte("another site")})
	if s.AvatarKey("ines@example.org") == other.AvatarKey("ines@example.org") {
		t.Error("the key does not depend on the site's secret")
	}
}
