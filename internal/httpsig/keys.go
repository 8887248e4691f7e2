package httpsig

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// KeyBits is the size of the keys GenerateKey makes: Mastodon's default,
// which every fediverse server accepts.
const KeyBits = 2048

// Key is an actor's private key with the keyId that names its public half:
// what SignRequest needs to sign as that actor.
type Key struct {
	// ID is the keyId remote servers dereference to find the public key;
	// kiosque's actors use Mastodon's form, "https://site/ap/actor#main-key".
	ID string
	// Private signs; its public half is the actor's publicKeyPem.
	Private *rsa.PrivateKey
}

// GenerateKey makes a new RSA key pair of KeyBits bits for an actor.
func GenerateKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, fmt.Errorf("generate rsa key: %w", err)
	}
	return k, nil
}

// PublicKeyPEM encodes pub as an SPKI "PUBLIC KEY" PEM block, the form
// Mastodon publishes in an actor's publicKey.publicKeyPem and every server
// reads.
func PublicKeyPEM(pub *rsa.PublicKey) (string, error) {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("encode public key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// ParsePublicKeyPEM decodes an actor's publicKeyPem: SPKI ("PUBLIC KEY"),
// which Mastodon and GoToSocial publish, or PKCS #1 ("RSA PUBLIC KEY"),
// which some older servers do. Text around the block is ignored.
func ParsePublicKeyPEM(s string) (*rsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("parse public key: no PEM block")
	}
	switch b.Type {
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		pub, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("parse public key: %T is not an RSA key", k)
		}
		return pub, nil
	case "RSA PUBLIC KEY":
		pub, err := x509.ParsePKCS1PublicKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse public key: %w", err)
		}
		return pub, nil
	default:
		return nil, fmt.Errorf("parse public key: unexpected PEM block %q", b.Type)
	}
}

// PrivateKeyPEM encodes k as a PKCS #8 "PRIVATE KEY" PEM block, the form
// kiosque stores its actors' keys in.
func PrivateKeyPEM(k *rsa.PrivateKey) (string, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return "", fmt.Errorf("encode private key: %w", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// ParsePrivateKeyPEM decodes a stored actor key: PKCS #8 ("PRIVATE KEY"),
// which PrivateKeyPEM writes, or PKCS #1 ("RSA PRIVATE KEY"), which
// Mastodon and OpenSSL write, so keys brought from elsewhere load too.
func ParsePrivateKeyPEM(s string) (*rsa.PrivateKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil, errors.New("parse private key: no PEM block")
	}
	switch b.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse private key: %w", err)
		}
		priv, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("parse private key: %T is not an RSA key", k)
		}
		return priv, nil
	case "RSA PRIVATE KEY":
		priv, err := x509.ParsePKCS1PrivateKey(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse private key: %w", err)
		}
		return priv, nil
	default:
		return nil, fmt.Errorf("parse private key: unexpected PEM block %q", b.Type)
	}
}
