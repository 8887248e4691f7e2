package settings

import "testing"

func TestValidVATNumber(t *testing.T) {
	tests := []struct {
		name, n string
		ok      bool
	}{
		{"OKFrench", "FR19812345676", true},
		{"OKGerman", "DE123456789", true},
		{"ErrFrenchKey", "FR20812345676", false},
		{"ErrFrenchSIREN", "FR19812345677", false},
		{"ErrShort", "FR1", false},
		{"ErrLowerCase", "fr19812345676", false},
		{"ErrSymbols", "DE12345678!", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := validVATNumber(tt.n); got != tt.ok {
				t.Errorf("validVATNumber(%q) = %v, want %v", tt.n, got, tt.ok)
			}
		})
	}
}
