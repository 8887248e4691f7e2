package payments_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/payments"
)

func TestEventKind(t *testing.T) {
	tests := []struct {
		name     string
		metadata map[string]string
		want     payments.Kind
	}{
		{"OKOrder", map[string]string{payments.KindKey: "order", "kiosque_reference": "cmd_7"}, payments.KindOrder},
		{"OKDonation", map[string]string{payments.KindKey: "donation"}, payments.KindDonation},
		{"OKNoKind", map[string]string{"kiosque_reference": "don_42"}, ""},
		{"OKNoMetadata", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &payments.Event{Metadata: tt.metadata}
			if got := ev.Kind(); got != tt.want {
				t.Errorf("Kind() = %q, want %q", got, tt.want)
			}
		})
	}
}
