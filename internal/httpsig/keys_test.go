package httpsig

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"
)

// TestPublicKeyPEM checks the SPKI encoding against the public key
// draft-cavage-12 Appendix C prints for its test key.
func TestPublicKeyPEM(t *testing.T) {
	priv := loadPrivateKey(t, "testdata/cavage12_private.pem")
	got, err := PublicKeyPEM(&priv.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	published, err := os.ReadFile("testdata/cavage12_public.pem")
	if err != nil {
		t.Fatal(err)
	}
	want := string(published[strings.Index(string(published), "-----BEGIN"):])
	if got != want {
		t.Errorf("PublicKeyPEM =\n%s\nwant\n%s", got, want)
	}
}

func TestParsePublicKeyPEM(t *testing.T) {
	priv := loadPrivateKey(t, "testdata/cavage12_private.pem")
	published, err := os.ReadFile("testdata/cavage12_public.pem")
	if err != nil {
		t.Fatal(err)
	}
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&priv.PublicKey)}))
	tests := []struct {
		name    string
		pem     string
		wantErr bool
	}{
		{name: "OK_SPKIWithText", pem: string(published)},
		{name: "OK_SPKICRLF", pem: strings.ReplaceAll(string(published), "\n", "\r\n")},
		{name: "OK_PKCS1", pem: pkcs1},
		{name: "ErrNoBlock", pem: "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDCFENGw33yGihy92pDjZQhl0C3", wantErr: true},
		{name: "ErrPrivateKey", pem: mustRead(t, "testdata/cavage12_private.pem"), wantErr: true},
		{name: "ErrCorrupt", pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePublicKeyPEM(tt.pem)
			if tt.wantErr {
				if err == nil {
					t.Fatal("ParsePublicKeyPEM succeeded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(&priv.PublicKey) {
				t.Error("another key")
			}
		})
	}
}

// TestPrivateKeyPEM checks that a generated key survives storage, and that
// the key's public half round-trips as an actor publishes it.
func TestPrivateKeyPEM(t *testing.T) {
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	if k.N.BitLen() != KeyBits {
		t.Errorf("%d bits", k.N.BitLen())
	}
	stored, err := PrivateKeyPEM(k)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "-----BEGIN PRIVATE KEY-----\n") {
		t.Errorf("not PKCS #8: %.40s", stored)
	}
	back, err := ParsePrivateKeyPEM(stored)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(k) {
		t.Error("PKCS #8 round trip gave another key")
	}
	pub, err := PublicKeyPEM(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ParsePublicKeyPEM(pub); err != nil || !got.Equal(&k.PublicKey) {
		t.Errorf("public key round trip: %v", err)
	}
	if _, err := ParsePrivateKeyPEM(pub); err == nil {
		t.Error("ParsePrivateKeyPEM took a public key")
	}
	if _, err := ParsePrivateKeyPEM("no key"); err == nil {
		t.Error("ParsePrivateKeyPEM took no key")
	}
}

func TestKeyOwnerURL(t *testing.T) {
	tests := []struct{ keyID, want string }{
		{"https://mastodon.example/users/alice#main-key", "https://mastodon.example/users/alice"},
		{"https://gts.example/users/bob/main-key", "https://gts.example/users/bob/main-key"},
		{"https://blog.example/ap/actor", "https://blog.example/ap/actor"},
		{"https://misskey.example/users/9abc#main-key", "https://misskey.example/users/9abc"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := KeyOwnerURL(tt.keyID); got != tt.want {
			t.Errorf("KeyOwnerURL(%q) = %q, want %q", tt.keyID, got, tt.want)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
