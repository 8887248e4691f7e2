package receipts

import (
	"math"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{
		{0, "zéro euro"},
		{1, "un centime"},
		{50, "cinquante centimes"},
		{100, "un euro"},
		{101, "un euro et un centime"},
		{200, "deux euros"},
		{1000, "dix euros"},
		{1100, "onze euros"},
		{1600, "seize euros"},
		{1700, "dix-sept euros"},
		{2000, "vingt euros"},
		{2100, "vingt et un euros"},
		{2200, "vingt-deux euros"},
		{3100, "trente et un euros"},
		{4100, "quarante et un euros"},
		{5100, "cinquante et un euros"},
		{6100, "soixante et un euros"},
		{7000, "soixante-dix euros"},
		{7100, "soixante et onze euros"},
		{7200, "soixante-douze euros"},
		{7700, "soixante-dix-sept euros"},
		{8000, "quatre-vingts euros"},
		{8100, "quatre-vingt-un euros"},
		{8900, "quatre-vingt-neuf euros"},
		{9000, "quatre-vingt-dix euros"},
		{9100, "quatre-vingt-onze euros"},
		{9999, "quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes"},
		{10000, "cent euros"},
		{10100, "cent un euros"},
		{12000, "cent vingt euros"},
		{15000, "cent cinquante euros"},
		{15099, "cent cinquante euros et quatre-vingt-dix-neuf centimes"},
		{18000, "cent quatre-vingts euros"},
		{18100, "cent quatre-vingt-un euros"},
		{20000, "deux cents euros"},
		{20100, "deux cent un euros"},
		{22000, "deux cent vingt euros"},
		{28000, "deux cent quatre-vingts euros"},
		{30080, "trois cents euros et quatre-vingts centimes"},
		{99900, "neuf cent quatre-vingt-dix-neuf euros"},
		{100000, "mille euros"},
		{100100, "mille un euros"},
		{120000, "mille deux cents euros"},
		{150050, "mille cinq cents euros et cinquante centimes"},
		{200000, "deux mille euros"},
		{2100000, "vingt et un mille euros"},
		{8000000, "quatre-vingt mille euros"},
		{8100000, "quatre-vingt-un mille euros"},
		{10000000, "cent mille euros"},
		{20000000, "deux cent mille euros"},
		{20100000, "deux cent un mille euros"},
		{28000000, "deux cent quatre-vingt mille euros"},
		{99999999, "neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf euros et quatre-vingt-dix-neuf centimes"},
		{100000000, "un million d'euros"},
		{100000050, "un million d'euros et cinquante centimes"},
		{100000100, "un million un euros"},
		{120000000, "un million deux cent mille euros"},
		{200000000, "deux millions d'euros"},
		{8000000000, "quatre-vingts millions d'euros"},
		{20000000000, "deux cents millions d'euros"},
		{20100000000, "deux cent un millions d'euros"},
		{100000000000, "un milliard d'euros"},
		{123456789012, "un milliard deux cent trente-quatre millions cinq cent soixante-sept mille huit cent quatre-vingt-dix euros et douze centimes"},
		{100000000000000, "un billion d'euros"},
		{-100, "moins un euro"},
		{-15099, "moins cent cinquante euros et quatre-vingt-dix-neuf centimes"},
		{math.MaxInt64, "quatre-vingt-douze mille deux cent trente-trois billions sept cent vingt milliards trois cent soixante-huit millions cinq cent quarante-sept mille sept cent cinquante-huit euros et sept centimes"},
		{math.MinInt64, "moins quatre-vingt-douze mille deux cent trente-trois billions sept cent vingt milliards trois cent soixante-huit millions cinq cent quarante-sept mille sept cent cinquante-huit euros et huit centimes"},
	}
	for _, tt := range tests {
		if got := Words(tt.cents); got != tt.want {
			t.Errorf("Words(%d) = %q, want %q", tt.cents, got, tt.want)
		}
	}
}

func TestFramed(t *testing.T) {
	tests := []struct {
		cents int64
		want  string
	}{
		{0, "***0,00***"},
		{1, "***0,01***"},
		{99, "***0,99***"},
		{100, "***1,00***"},
		{15000, "***150,00***"},
		{15099, "***150,99***"},
		{125000000, "***1250000,00***"},
		{-1005, "***-10,05***"},
		{math.MaxInt64, "***92233720368547758,07***"},
		{math.MinInt64, "***-92233720368547758,08***"},
	}
	for _, tt := range tests {
		if got := Framed(tt.cents); got != tt.want {
			t.Errorf("Framed(%d) = %q, want %q", tt.cents, got, tt.want)
		}
	}
}

func TestEncode(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"ASCII", "Reçu n° 42", "Re\xe7u n\xb0 42"},
		{"French", "« œuvre » Œ € ’ … à é è ê ë î ï ô ù û ü ç É", "\xab \x9cuvre \xbb \x8c \x80 \x92 \x85 \xe0 \xe9 \xe8 \xea \xeb \xee \xef \xf4 \xf9 \xfb \xfc \xe7 \xc9"},
		{"NarrowNoBreakSpace", "«\u202ftexte\u202f» 1\u202f234\u00a0€", "\xab\xa0texte\xa0\xbb 1\xa0234\xa0\x80"},
		{"ThinSpace", "a\u2009b", "a\xa0b"},
		{"Hyphens", "Jean\u2011Noël \u2212 x", "Jean-No\xebl - x"},
		{"Diacritics", "Łukasz Wąsowski Nguyễn Dvořák đ ı", "Lukasz Wasowski Nguyen Dvor\xe1k d i"},
		{"Unknown", "漢字 ☺", "?? ?"},
		{"Controls", "a\tb\rc\nd", "a b c\nd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encode(tt.in); got != tt.want {
				t.Errorf("encode(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
