package secretbox

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	b, err := New(key)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte(`{"access_token":"tok-123"}`)
	sealed := b.Seal(secret, "social_account:1")
	if bytes.Contains(sealed, []byte("tok-123")) {
		t.Fatal("the secret shows in the sealed value")
	}
	if again := b.Seal(secret, "social_account:1"); bytes.Equal(again, sealed) {
		t.Error("two seals of one value are equal: the nonce is not random")
	}
	got, err := b.Open(sealed, "social_account:1")
	if err != nil || !bytes.Equal(got, secret) {
		t.Fatalf("Open = %q, %v", got, err)
	}
	other, _ := New(bytes.Repeat([]byte{8}, KeySize))
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-1] ^= 1
	for name, try := range map[string]func() ([]byte, error){
		"another place": func() ([]byte, error) { return b.Open(sealed, "social_account:2") },
		"another key":   func() ([]byte, error) { return other.Open(sealed, "social_account:1") },
		"tampered":      func() ([]byte, error) { return b.Open(tampered, "social_account:1") },
		"truncated":     func() ([]byte, error) { return b.Open(sealed[:10], "social_account:1") },
		"empty":         func() ([]byte, error) { return b.Open(nil, "social_account:1") },
	} {
		if _, err := try(); !errors.Is(err, ErrOpen) {
			t.Errorf("%s: err = %v, want ErrOpen", name, err)
		}
	}
	if _, err := New(key[:16]); err == nil {
		t.Error("a 16-byte key was taken")
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadKey("", dir)
	if err != nil || len(k1) != KeySize {
		t.Fatalf("LoadKey = %d bytes, %v", len(k1), err)
	}
	fi, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, fi.Mode())
	}
	k2, err := LoadKey("", dir)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatal("the key changed between two starts")
	}
	if _, err := LoadKey("c2hvcnQ=", dir); err == nil {
		t.Error("a short configured key was taken")
	}
	cfg := "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="
	k3, err := LoadKey(cfg, dir)
	if err != nil || !bytes.Equal(k3, bytes.Repeat([]byte{7}, KeySize)) {
		t.Fatalf("configured key: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, KeyFile), []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey("", dir); err == nil {
		t.Error("a damaged key file was taken")
	}
}
