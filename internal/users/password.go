package users

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

const (
	argonKeyLen = 32
	saltLen     = 16
)

// PasswordCost is the argon2id work factor of new password hashes. Each
// hash records its own cost, so raising it later breaks no account.
type PasswordCost struct {
	// Time is the number of passes over the memory.
	Time uint32
	// MemoryKiB is the memory filled, in KiB.
	MemoryKiB uint32
	// Threads is the parallelism.
	Threads uint8
}

// DefaultPasswordCost follows RFC 9106's second recommended option
// (64 MiB, 3 passes), scaled to the small servers newsrooms rent: about a
// tenth of a second per login.
func DefaultPasswordCost() PasswordCost {
	return PasswordCost{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}
}

// TestPasswordCost is the cheapest cost argon2id allows. Test suites that
// create hundreds of accounts use it; a real site never should.
func TestPasswordCost() PasswordCost {
	return PasswordCost{Time: 1, MemoryKiB: 8, Threads: 1}
}

// orDefault returns c, or the default cost when c is the zero value.
func (c PasswordCost) orDefault() PasswordCost {
	if c == (PasswordCost{}) {
		return DefaultPasswordCost()
	}
	return c
}

// HashPassword returns an argon2id hash of password at the default cost.
func HashPassword(password string) (string, error) {
	return DefaultPasswordCost().Hash(password)
}

// Hash returns an argon2id hash of password in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$key), which records its parameters so
// they can be raised later without breaking existing hashes.
func (c PasswordCost) Hash(password string) (string, error) {
	c = c.orDefault()
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, c.Time, c.MemoryKiB, c.Threads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.MemoryKiB, c.Time, c.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrMalformedHash is returned for a stored hash that is not an argon2id PHC string.
var ErrMalformedHash = errors.New("malformed password hash")

// CheckPassword reports whether password matches hash, in constant time.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformedHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformedHash
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, ErrMalformedHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformedHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformedHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want))) //nolint:gosec // a key is a few dozen bytes
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// GeneratePassword returns a random password of 20 characters from an
// alphabet without look-alikes, for accounts created from the command line.
func GeneratePassword() (string, error) {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate password: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b), nil
}
