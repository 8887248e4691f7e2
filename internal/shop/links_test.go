package shop

import "testing"

func TestSigner(t *testing.T) {
	s := NewSigner([]byte("0123456789abcdef0123456789abcdef"))
	signed := s.Sign(purposeCart, "cart_abc")
	tests := []struct {
		name, purpose, signed string
		ok                    bool
	}{
		{"OK", purposeCart, signed, true},
		{"ErrOtherPurpose", purposeOrder, signed, false},
		{"ErrChangedValue", purposeCart, "cart_abd" + signed[len("cart_abc"):], false},
		{"ErrChangedSignature", purposeCart, signed[:len(signed)-1] + "A", false},
		{"ErrNoSignature", purposeCart, "cart_abc", false},
		{"ErrEmptyValue", purposeCart, "." + s.mac(purposeCart, ""), false},
		{"ErrGarbage", purposeCart, "x.%%%", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := s.Verify(tt.purpose, tt.signed)
			if ok != tt.ok || ok && v != "cart_abc" {
				t.Errorf("Verify(%q) = %q, %v; want ok %v", tt.signed, v, ok, tt.ok)
			}
		})
	}
	if _, ok := NewSigner(nil).Verify(purposeCart, NewSigner(nil).Sign(purposeCart, "x")); ok {
		t.Error("a signer without a secret verified a value")
	}
}
