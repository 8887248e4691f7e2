package locale

import (
	"errors"
	"testing"
)

func TestParseLang(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Lang
	}{
		{name: "OK/fr", in: "fr", want: French},
		{name: "OK/fr-FR", in: "fr-FR", want: French},
		{name: "OK/uppercase", in: "FR", want: French},
		{name: "OK/underscore", in: "fr_CA", want: French},
		{name: "OK/three letters", in: "fra", want: French},
		{name: "OK/spaces", in: " fr-BE ", want: French},
		{name: "OK/en", in: "en", want: English},
		{name: "OK/en-GB", in: "en-GB", want: English},
		{name: "OK/en_US", in: "EN_us", want: English},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLang(tt.in)
			if err != nil {
				t.Fatalf("ParseLang(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("ParseLang(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseLangErr(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{name: "ErrEmpty", in: ""},
		{name: "ErrUnsupported", in: "de-DE"},
		{name: "ErrUndetermined", in: "und"},
		{name: "ErrWildcard", in: "*"},
		{name: "ErrNotATag", in: "français"},
		{name: "ErrPrivateUse", in: "x-fr"},
		{name: "ErrNorthFrisian", in: "frr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLang(tt.in)
			if !errors.Is(err, ErrUnsupportedLang) {
				t.Fatalf("ParseLang(%q) = %q, %v; want an error wrapping ErrUnsupportedLang", tt.in, got, err)
			}
		})
	}
}

func TestLangStrings(t *testing.T) {
	tests := []struct {
		name                      string
		lang                      Lang
		wantTag, wantOG, wantName string
		wantSupported             bool
	}{
		{name: "French", lang: French, wantTag: "fr", wantOG: "fr_FR", wantName: "Français", wantSupported: true},
		{name: "English", lang: English, wantTag: "en", wantOG: "en_US", wantName: "English", wantSupported: true},
		{name: "Unsupported", lang: "de", wantTag: "de", wantOG: "", wantName: "de", wantSupported: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := tt.lang.Tag(), tt.wantTag; got != want {
				t.Errorf("Tag() = %q, want %q", got, want)
			}
			if got, want := tt.lang.OGLocale(), tt.wantOG; got != want {
				t.Errorf("OGLocale() = %q, want %q", got, want)
			}
			if got, want := tt.lang.Name(), tt.wantName; got != want {
				t.Errorf("Name() = %q, want %q", got, want)
			}
			if got, want := tt.lang.Supported(), tt.wantSupported; got != want {
				t.Errorf("Supported() = %v, want %v", got, want)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		fallback Lang
		want     Lang
	}{
		{name: "OK/French browser", header: "fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", fallback: English, want: French},
		{name: "OK/English browser", header: "en-GB,en;q=0.9", fallback: French, want: English},
		{name: "OK/skips unsupported", header: "de-CH, de;q=0.9, en;q=0.5, fr;q=0.4", fallback: French, want: English},
		{name: "OK/weights beat order", header: "fr;q=0.3, en;q=0.8", fallback: French, want: English},
		{name: "OK/q=0 excludes", header: "en;q=0, fr;q=0.1", fallback: English, want: French},
		{name: "OK/none supported", header: "de, es", fallback: French, want: French},
		{name: "OK/wildcard", header: "*", fallback: English, want: English},
		{name: "OK/empty", header: "", fallback: French, want: French},
		{name: "OK/malformed", header: "fr;q=abc;;", fallback: English, want: English},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Negotiate(tt.header, tt.fallback), tt.want; got != want {
				t.Errorf("Negotiate(%q, %q) = %q, want %q", tt.header, tt.fallback, got, want)
			}
		})
	}
}
