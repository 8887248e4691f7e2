package spam_test

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/comments/spam"
)

var (
	testSecret = []byte("0123456789abcdef0123456789abcdef")
	testNow    = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
)

func TestStamperCheck(t *testing.T) {
	s := spam.NewStamper(testSecret)
	const article = 4217
	good := s.Stamp(article, testNow)

	flipped := []byte(good)
	// Change one character of the MAC, keeping the token valid base64.
	last := len(flipped) - 3
	if flipped[last] == 'A' {
		flipped[last] = 'B'
	} else {
		flipped[last] = 'A'
	}
	raw, err := base64.RawURLEncoding.DecodeString(good)
	if err != nil {
		t.Fatal(err)
	}
	raw[2] ^= 0x01 // one bit of the issue time
	timeFlipped := base64.RawURLEncoding.EncodeToString(raw)

	tests := []struct {
		name        string
		stamper     *spam.Stamper
		token       string
		article     int64
		now         time.Time
		wantElapsed time.Duration
		wantErr     error
	}{
		{name: "OK", stamper: s, token: good, article: article, now: testNow.Add(42 * time.Second), wantElapsed: 42 * time.Second},
		{name: "OKMilliseconds", stamper: s, token: good, article: article, now: testNow.Add(2500 * time.Millisecond), wantElapsed: 2500 * time.Millisecond},
		{name: "OKSameInstant", stamper: s, token: good, article: article, now: testNow},
		{name: "OKFutureCountsAsNow", stamper: s, token: good, article: article, now: testNow.Add(-time.Minute)},
		{name: "OKAtMaxAge", stamper: s, token: good, article: article, now: testNow.Add(spam.DefaultStampMaxAge), wantElapsed: spam.DefaultStampMaxAge},
		{name: "OKNoMaxAge", stamper: s.WithMaxAge(0), token: good, article: article, now: testNow.Add(90 * 24 * time.Hour), wantElapsed: 90 * 24 * time.Hour},
		{name: "ErrExpired", stamper: s, token: good, article: article, now: testNow.Add(spam.DefaultStampMaxAge + time.Second), wantElapsed: spam.DefaultStampMaxAge + time.Second, wantErr: spam.ErrStampExpired},
		{name: "ErrExpiredShortMaxAge", stamper: s.WithMaxAge(time.Hour), token: good, article: article, now: testNow.Add(2 * time.Hour), wantElapsed: 2 * time.Hour, wantErr: spam.ErrStampExpired},
		{name: "ErrOtherArticle", stamper: s, token: good, article: article + 1, now: testNow, wantErr: spam.ErrStampOtherArticle},
		{name: "ErrMissing", stamper: s, token: "", article: article, now: testNow, wantErr: spam.ErrStampMissing},
		{name: "ErrForgedMACByte", stamper: s, token: string(flipped), article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedTimeBit", stamper: s, token: timeFlipped, article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedOtherSecret", stamper: spam.NewStamper([]byte("another secret of 32 bytes......")), token: good, article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedTruncated", stamper: s, token: good[:len(good)-4], article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedGarbage", stamper: s, token: "not a stamp!", article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedPadded", stamper: s, token: good + "==", article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedLineBreak", stamper: s, token: good[:10] + "\r\n" + good[10:], article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedTooLong", stamper: s, token: strings.Repeat("A", 4096), article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedShort", stamper: s, token: "AQ", article: article, now: testNow, wantErr: spam.ErrStampForged},
		{name: "ErrForgedTimestampOnly", stamper: s, token: "1773480413000", article: article, now: testNow, wantErr: spam.ErrStampForged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.stamper.Check(tt.token, tt.article, tt.now)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("Check() error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.wantElapsed {
				t.Errorf("Check() elapsed = %s, want %s", got, tt.wantElapsed)
			}
		})
	}
}

func TestStamperStamp(t *testing.T) {
	s := spam.NewStamper(testSecret)
	tests := []struct {
		name    string
		article int64
	}{
		{name: "OKSmallID", article: 1},
		{name: "OKZero", article: 0},
		{name: "OKNegative", article: -7},
		{name: "OKLargeID", article: 1<<63 - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := s.Stamp(tt.article, testNow)
			if len(tok) > 44 {
				t.Errorf("Stamp() = %q, %d characters, want at most 44", tok, len(tok))
			}
			if strings.Trim(tok, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
				t.Errorf("Stamp() = %q, want only URL-safe characters", tok)
			}
			if _, err := s.Check(tok, tt.article, testNow.Add(time.Second)); err != nil {
				t.Errorf("Check(Stamp()) error = %v", err)
			}
		})
	}
	if a, b := s.Stamp(1, testNow), s.Stamp(1, testNow.Add(time.Millisecond)); a == b {
		t.Errorf("stamps a millisecond apart are equal: %q", a)
	}
	if a, b := s.Stamp(1, testNow), spam.NewStamper(testSecret).Stamp(1, testNow); a != b {
		t.Errorf("stamps of two stampers with one secret differ: %q, %q", a, b)
	}
}

func TestNewStamperShortSecret(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewStamper(short secret) did not panic")
		}
	}()
	spam.NewStamper([]byte("short"))
}

func TestStamperWithMaxAgeCopies(t *testing.T) {
	s := spam.NewStamper(testSecret)
	_ = s.WithMaxAge(time.Minute)
	tok := s.Stamp(1, testNow)
	if _, err := s.Check(tok, 1, testNow.Add(time.Hour)); err != nil {
		t.Errorf("original stamper changed by WithMaxAge: %v", err)
	}
}

func FuzzStamperCheck(f *testing.F) {
	s := spam.NewStamper(testSecret)
	f.Add(s.Stamp(1, testNow), int64(1))
	f.Add("", int64(0))
	f.Add("AQ", int64(1))
	f.Add("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAA", int64(-1))
	f.Fuzz(func(t *testing.T, token string, article int64) {
		elapsed, err := s.Check(token, article, testNow)
		if err == nil && token != s.Stamp(article, testNow.Add(-elapsed)) {
			// A token is only accepted when it is exactly the one this
			// stamper would have issued.
			t.Errorf("Check(%q) accepted a token Stamp does not produce", token)
		}
	})
}
