package textproc

import (
	"errors"
	"testing"
)

func TestParseStyle(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    Style
		wantErr error
	}{
		{name: "OKEmptyIsNone", in: "", want: StyleNone},
		{name: "OKNone", in: "none", want: StyleNone},
		{name: "OKFrench", in: "fr-FR", want: StyleFrench},
		{name: "OKFrenchLowerCase", in: "fr-fr", want: StyleFrench},
		{name: "OKFrenchCanada", in: "fr-CA", want: StyleFrenchCanada},
		{name: "OKSurroundingSpace", in: " fr-CA\n", want: StyleFrenchCanada},
		{name: "ErrUnknown", in: "fr-BE", wantErr: ErrUnknownStyle},
		{name: "ErrUnderscore", in: "fr_FR", wantErr: ErrUnknownStyle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseStyle(tt.in)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ParseStyle(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("ParseStyle(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestStyleString(t *testing.T) {
	tests := []struct {
		name  string
		style Style
		want  string
	}{
		{name: "OKNone", style: StyleNone, want: "none"},
		{name: "OKFrench", style: StyleFrench, want: "fr-FR"},
		{name: "OKFrenchCanada", style: StyleFrenchCanada, want: "fr-CA"},
		{name: "OKUnknown", style: Style(42), want: "Style(42)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.style.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStyleTextRoundTrip(t *testing.T) {
	for _, want := range []Style{StyleNone, StyleFrench, StyleFrenchCanada} {
		t.Run(want.String(), func(t *testing.T) {
			text, err := want.MarshalText()
			if err != nil {
				t.Fatalf("MarshalText: %v", err)
			}
			var got Style
			if err := got.UnmarshalText(text); err != nil {
				t.Fatalf("UnmarshalText(%q): %v", text, err)
			}
			if got != want {
				t.Errorf("round trip gave %v, want %v", got, want)
			}
		})
	}
	t.Run("ErrMarshalUnknown", func(t *testing.T) {
		if _, err := Style(9).MarshalText(); !errors.Is(err, ErrUnknownStyle) {
			t.Errorf("MarshalText error = %v, want %v", err, ErrUnknownStyle)
		}
	})
	t.Run("ErrUnmarshalUnknown", func(t *testing.T) {
		s := StyleFrench
		if err := s.UnmarshalText([]byte("klingon")); !errors.Is(err, ErrUnknownStyle) {
			t.Errorf("UnmarshalText error = %v, want %v", err, ErrUnknownStyle)
		}
		if s != StyleFrench {
			t.Errorf("failed UnmarshalText changed the style to %v", s)
		}
	})
}
