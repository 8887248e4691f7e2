package users

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash %q", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	// A hash records its cost: one made cheaper still checks.
	cheap, err := TestPasswordCost().Hash("correct horse battery staple")
	if err != nil || !strings.HasPrefix(cheap, "$argon2id$v=19$m=8,t=1,p=1$") {
		t.Fatalf("cheap hash %q, %v", cheap, err)
	}
	tests := []struct {
		name, hash, password string
		want                 bool
		err                  error
	}{
		{"OK", h, "correct horse battery staple", true, nil},
		{"OKWrongPassword", h, "correct horse battery stapl", false, nil},
		{"ErrMalformed", "$2y$10$abcdefghijklmnopqrstuv", "x", false, ErrMalformedHash},
		{"ErrEmpty", "", "x", false, ErrMalformedHash},
		{"ErrBadParams", "$argon2id$v=19$m=x,t=3,p=2$c2FsdA$a2V5", "x", false, ErrMalformedHash},
		{"OKOtherCost", cheap, "correct horse battery staple", true, nil},
		{"OKOtherCostWrongPassword", cheap, "Correct horse battery staple", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPassword(tt.hash, tt.password)
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("CheckPassword = %v, %v; want %v, %v", got, err, tt.want, tt.err)
			}
		})
	}
	p, err := GeneratePassword()
	if err != nil || len(p) != 20 || strings.ContainsAny(p, "0O1lI") {
		t.Errorf("GeneratePassword = %q, %v", p, err)
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, tt := range []struct{ in, want string }{{"Ines@Example.ORG", "ines@example.org"}, {"\ta@b.fr ", "a@b.fr"}} {
		if got, err := NormalizeEmail(tt.in); err != nil || got != tt.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v", tt.in, got, err)
		}
	}
	for _, bad := range []string{"", "nobody", "Inès <ines@example.org>", "a@b.fr, c@d.fr"} {
		if _, err := NormalizeEmail(bad); err == nil {
			t.Errorf("NormalizeEmail(%q): no error", bad)
		}
	}
}
