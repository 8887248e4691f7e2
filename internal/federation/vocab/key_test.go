package vocab_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// TestParseKey reads keys from the documents a keyId dereferences to.
func TestParseKey(t *testing.T) {
	stub, err := os.ReadFile(filepath.Join("testdata", "gotosocial-main-key.json"))
	if err != nil {
		t.Fatal(err)
	}
	actor, err := vocab.Marshal(emitted(t)["actor"])
	if err != nil {
		t.Fatal(err)
	}
	pem := publicKeyPEM(t)
	bare := `{"@context":"https://w3id.org/security/v1","id":"https://misskey.exemple/users/9x/publickey","type":"Key","owner":"https://misskey.exemple/users/9x","publicKeyPem":"PEM"}`
	several := `{"id":"https://a.exemple/u","type":"Person","inbox":"https://a.exemple/i","publicKey":[` +
		`{"id":"https://a.exemple/u#ancienne","owner":"https://a.exemple/u","publicKeyPem":"OLD"},` +
		`{"id":"https://a.exemple/u#main-key","publicKeyPem":"NEW"}]}`
	tests := []struct {
		name    string
		data    string
		keyID   string
		want    vocab.PublicKey
		wantErr error
	}{
		{
			name: "OKGoToSocialStub", data: string(stub), keyID: "https://gts.exemple.org/users/marianne/main-key",
			want: vocab.PublicKey{ID: "https://gts.exemple.org/users/marianne/main-key", Owner: "https://gts.exemple.org/users/marianne", PublicKeyPEM: pem},
		},
		{
			name: "OKOurActor", data: string(actor), keyID: vocab.MainKeyID(actorID),
			want: vocab.PublicKey{ID: actorID + "#main-key", Owner: actorID, PublicKeyPEM: pem},
		},
		{
			name: "OKBareKey", data: bare, keyID: "https://misskey.exemple/users/9x/publickey",
			want: vocab.PublicKey{ID: "https://misskey.exemple/users/9x/publickey", Owner: "https://misskey.exemple/users/9x", PublicKeyPEM: "PEM"},
		},
		{
			name: "OKArrayOwnerDefaultsToActor", data: several, keyID: "https://a.exemple/u#main-key",
			want: vocab.PublicKey{ID: "https://a.exemple/u#main-key", Owner: "https://a.exemple/u", PublicKeyPEM: "NEW"},
		},
		{
			name: "OKOnlyKeyWithoutKeyID", data: string(stub),
			want: vocab.PublicKey{ID: "https://gts.exemple.org/users/marianne/main-key", Owner: "https://gts.exemple.org/users/marianne", PublicKeyPEM: pem},
		},
		{name: "ErrNoKeyOtherID", data: string(stub), keyID: "https://gts.exemple.org/users/marianne#main-key", wantErr: vocab.ErrNoKey},
		{name: "ErrNoKeyAmbiguous", data: several, wantErr: vocab.ErrNoKey},
		{name: "ErrNoKeyNone", data: `{"id":"https://a.exemple/u","type":"Person"}`, keyID: "https://a.exemple/u#main-key", wantErr: vocab.ErrNoKey},
		{
			name:  "ErrRelativeOwner",
			data:  `{"id":"https://a.exemple/k","owner":"/u","publicKeyPem":"PEM"}`,
			keyID: "https://a.exemple/k", wantErr: vocab.ErrInvalidID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vocab.ParseKey([]byte(tt.data), tt.keyID)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if *got != tt.want {
				t.Errorf("key = %+v, want %+v", *got, tt.want)
			}
		})
	}
}
