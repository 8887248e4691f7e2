// Package secretbox encrypts the secrets kiosque keeps in its database (the
// social networks' tokens and passwords) with a key that is not in the
// database: a copy of the database alone reveals none of them.
//
// A sealed value is a version byte, a random nonce and the AES-256-GCM
// ciphertext, whose additional data names the value's place ("the
// secrets of social account 12"), so a sealed value copied to another
// row does not open there.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// KeySize is the size of a key: AES-256.
const KeySize = 32

// version prefixes sealed values, so that a later format can be told apart.
const version = 1

// ErrOpen is the cause when a sealed value does not open: another key, a
// value moved to another place, or damaged bytes.
var ErrOpen = errors.New("secret does not open with this key")

// Box seals and opens values with one key. It is safe for concurrent use.
type Box struct{ aead cipher.AEAD }

// New returns a box for key, which must be KeySize bytes.
func New(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secret key: %d bytes, want %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts plaintext for the place named by where.
func (b *Box) Seal(plaintext []byte, where string) []byte {
	nonce := make([]byte, b.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	out := make([]byte, 0, 1+len(nonce)+len(plaintext)+b.aead.Overhead())
	out = append(append(out, version), nonce...)
	return b.aead.Seal(out, nonce, plaintext, []byte(where))
}

// Open decrypts a value Seal made for the same place.
func (b *Box) Open(sealed []byte, where string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < 1+n+b.aead.Overhead() || sealed[0] != version {
		return nil, ErrOpen
	}
	out, err := b.aead.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(where))
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}

// KeyFile is the name of the key kiosque makes in its data directory when
// the configuration gives none.
const KeyFile = "secret.key"

// LoadKey returns the key: configured, as base64 (what `openssl rand
// -base64 32` prints), or else read from KeyFile in dataDir, which is
// made the first time with a new random key, readable by its owner only.
// Several instances on PostgreSQL must share it: configure it, or share
// the data directory (which they already do for media).
func LoadKey(configured, dataDir string) ([]byte, error) {
	if configured != "" {
		return decodeKey(configured, "the configured secret key")
	}
	path := filepath.Join(dataDir, KeyFile)
	b, err := os.ReadFile(path) //nolint:gosec // a path under the configured data directory
	switch {
	case err == nil:
		return decodeKey(string(b), path)
	case !errors.Is(err, os.ErrNotExist):
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	key := make([]byte, KeySize)
	_, _ = rand.Read(key)
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("make secret key: %w", err)
	}
	// O_EXCL: of two processes starting at once, one makes the key and
	// the other reads it.
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) //nolint:gosec // a path under the configured data directory
	if errors.Is(err, os.ErrExist) {
		return LoadKey("", dataDir)
	}
	if err != nil {
		return nil, fmt.Errorf("make secret key: %w", err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	return key, nil
}

func decodeKey(s, from string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(key) != KeySize {
		return nil, fmt.Errorf("%s: want %d random bytes in base64 (openssl rand -base64 32)", from, KeySize)
	}
	return key, nil
}
