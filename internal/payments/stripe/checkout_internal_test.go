package stripe

import "testing"

func TestWithSessionID(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		{"OKNoQuery", "https://veilleur.example/merci", "https://veilleur.example/merci?session_id={CHECKOUT_SESSION_ID}"},
		{"OKQuery", "https://veilleur.example/merci?don=42", "https://veilleur.example/merci?don=42&session_id={CHECKOUT_SESSION_ID}"},
		{"OKEmptyQuery", "https://veilleur.example/merci?", "https://veilleur.example/merci?session_id={CHECKOUT_SESSION_ID}"},
		{"OKTrailingAmpersand", "https://veilleur.example/merci?don=42&", "https://veilleur.example/merci?don=42&session_id={CHECKOUT_SESSION_ID}"},
		{"OKFragment", "https://veilleur.example/merci#haut", "https://veilleur.example/merci?session_id={CHECKOUT_SESSION_ID}#haut"},
		{"OKQueryAndFragment", "https://veilleur.example/merci?don=42#haut", "https://veilleur.example/merci?don=42&session_id={CHECKOUT_SESSION_ID}#haut"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withSessionID(tt.url); got != tt.want {
				t.Errorf("withSessionID(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}
