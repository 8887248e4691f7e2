package vocab_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// nested returns an activity whose object holds n levels of arrays, so the
// document is n+1 levels deep.
func nested(n int) string {
	return `{"id":"https://a.exemple/1","type":"Like","actor":"https://a.exemple/u","object":"https://b.exemple/n","x":` +
		strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
}

// TestParseActivityLimits checks the limits and the required members, and
// the forms JSON-LD allows for the others.
func TestParseActivityLimits(t *testing.T) {
	const like = `"type":"Like","actor":"https://a.exemple/u","object":"https://b.exemple/n"`
	big := `{"id":"https://a.exemple/1",` + like + `,"content":"` + strings.Repeat("é", vocab.MaxDocumentSize/2) + `"}`
	tests := []struct {
		name    string
		data    string
		wantErr error
		check   func(t *testing.T, a *vocab.Activity)
	}{
		{name: "OK", data: `{"id":"https://a.exemple/1",` + like + `}`},
		{name: "OKAtMaxDepth", data: nested(vocab.MaxDepth - 1)},
		{name: "OKContextString", data: `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.exemple/1",` + like + `}`},
		{name: "OKContextObject", data: `{"@context":{"@vocab":"https://www.w3.org/ns/activitystreams"},"id":"https://a.exemple/1",` + like + `}`},
		{name: "OKHTTP", data: `{"id":"http://a.exemple/1",` + like + `}`},
		{
			name: "OKActorObject",
			data: `{"id":"https://a.exemple/1","type":"Follow","actor":{"type":"Person","id":"https://a.exemple/u"},"object":"https://b.exemple/acteur"}`,
			check: func(t *testing.T, a *vocab.Activity) {
				if a.Actor != "https://a.exemple/u" {
					t.Errorf("actor = %q", a.Actor)
				}
			},
		},
		{
			name: "OKActorAndObjectArraysOfLinks",
			data: `{"id":"https://a.exemple/1","type":"Announce","actor":[{"type":"Link","href":"https://a.exemple/u"}],"object":[{"type":"Link","href":"https://b.exemple/n"}],"to":"as:Public","cc":[{"id":"https://a.exemple/u/followers"}]}`,
			check: func(t *testing.T, a *vocab.Activity) {
				if a.Actor != "https://a.exemple/u" || a.Object.ID != "https://b.exemple/n" {
					t.Errorf("actor %q, object %q", a.Actor, a.Object.ID)
				}
				if !a.IsPublic() || len(a.Cc) != 1 || a.Cc[0] != "https://a.exemple/u/followers" {
					t.Errorf("to %v, cc %v", a.To, a.Cc)
				}
			},
		},
		{
			name: "OKTypeArray",
			data: `{"id":"https://a.exemple/1","type":["Like"],"actor":"https://a.exemple/u","object":"https://b.exemple/n","unknown":{"a":[1,2,{"b":null}]}}`,
			check: func(t *testing.T, a *vocab.Activity) {
				if a.Type != "Like" {
					t.Errorf("type = %q", a.Type)
				}
			},
		},
		{name: "ErrTooLarge", data: big, wantErr: vocab.ErrTooLarge},
		{name: "ErrTooDeep", data: nested(vocab.MaxDepth), wantErr: vocab.ErrTooDeep},
		{name: "ErrTooDeepUnclosed", data: `{"a":` + strings.Repeat("[", 10000), wantErr: vocab.ErrTooDeep},
		{name: "ErrMalformed", data: `{"id":"https://a.exemple/1",`, wantErr: vocab.ErrMalformed},
		{name: "ErrMalformedEmpty", data: ``, wantErr: vocab.ErrMalformed},
		{name: "ErrMalformedArray", data: `[{"id":"https://a.exemple/1",` + like + `}]`, wantErr: vocab.ErrMalformed},
		{name: "ErrMalformedTrailing", data: `{"id":"https://a.exemple/1",` + like + `} {}`, wantErr: vocab.ErrMalformed},
		{name: "ErrMissingID", data: `{` + like + `}`, wantErr: vocab.ErrMissingID},
		{name: "ErrMissingIDNotString", data: `{"id":{"href":"https://a.exemple/1"},` + like + `}`, wantErr: vocab.ErrMissingID},
		{name: "ErrRelativeID", data: `{"id":"/activities/1",` + like + `}`, wantErr: vocab.ErrInvalidID},
		{name: "ErrSchemeID", data: `{"id":"ftp://a.exemple/1",` + like + `}`, wantErr: vocab.ErrInvalidID},
		{name: "ErrHostlessID", data: `{"id":"https:///1",` + like + `}`, wantErr: vocab.ErrInvalidID},
		{name: "ErrUnknownType", data: `{"id":"https://a.exemple/1","type":"Move","actor":"https://a.exemple/u","object":"https://a.exemple/u"}`, wantErr: vocab.ErrUnknownType},
		{name: "ErrUnknownTypeMissing", data: `{"id":"https://a.exemple/1","actor":"https://a.exemple/u","object":"https://b.exemple/n"}`, wantErr: vocab.ErrUnknownType},
		{name: "ErrMissingActor", data: `{"id":"https://a.exemple/1","type":"Like","object":"https://b.exemple/n"}`, wantErr: vocab.ErrMissingActor},
		{name: "ErrRelativeActor", data: `{"id":"https://a.exemple/1","type":"Like","actor":"/u","object":"https://b.exemple/n"}`, wantErr: vocab.ErrInvalidID},
		{name: "ErrMissingObject", data: `{"id":"https://a.exemple/1","type":"Like","actor":"https://a.exemple/u","object":null}`, wantErr: vocab.ErrMissingObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := vocab.ParseActivity([]byte(tt.data))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				if a != nil {
					t.Errorf("activity = %+v with an error", a)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.check != nil {
				tt.check(t, a)
			}
		})
	}
}

// TestUnknownTypeError checks that the type refused can be read from the error.
func TestUnknownTypeError(t *testing.T) {
	_, err := vocab.ParseActivity([]byte(`{"id":"https://a.exemple/1","type":"EmojiReact","actor":"https://a.exemple/u","object":"https://b.exemple/n"}`))
	var ute *vocab.UnknownTypeError
	if !errors.As(err, &ute) || ute.Type != "EmojiReact" {
		t.Fatalf("error = %v, want an UnknownTypeError for EmojiReact", err)
	}
}

// TestOtherParsersLimits checks that ParseActor, ParseObject and ParseKey
// apply the same limits and refuse documents of the wrong kind.
func TestOtherParsersLimits(t *testing.T) {
	deep := `{"id":"https://a.exemple/u","type":"Person","inbox":"https://a.exemple/i","x":` + strings.Repeat("[", vocab.MaxDepth) + strings.Repeat("]", vocab.MaxDepth) + `}`
	note := `{"id":"https://a.exemple/n","type":"Note","content":"<p>Bonjour</p>"}`
	person := `{"id":"https://a.exemple/u","type":"Person","inbox":"https://a.exemple/i"}`
	tests := []struct {
		name    string
		parse   func([]byte) error
		data    string
		wantErr error
	}{
		{"ActorOK", parseActorErr, person, nil},
		{"ActorErrTooDeep", parseActorErr, deep, vocab.ErrTooDeep},
		{"ActorErrNotActor", parseActorErr, note, vocab.ErrUnknownType},
		{"ActorErrMissingInbox", parseActorErr, `{"id":"https://a.exemple/u","type":"Person"}`, vocab.ErrMissingInbox},
		{"ActorErrRelativeInbox", parseActorErr, `{"id":"https://a.exemple/u","type":"Person","inbox":"/inbox"}`, vocab.ErrMissingInbox},
		{"ActorErrMissingID", parseActorErr, `{"type":"Person","inbox":"https://a.exemple/i"}`, vocab.ErrMissingID},
		{"ObjectOK", parseObjectErr, note, nil},
		{"ObjectErrTombstone", parseObjectErr, `{"id":"https://a.exemple/n","type":"Tombstone"}`, vocab.ErrUnknownType},
		{"ObjectErrRelativeID", parseObjectErr, `{"id":"n/1","type":"Note"}`, vocab.ErrInvalidID},
		{"ObjectErrTooLarge", parseObjectErr, `{"content":"` + strings.Repeat("a", vocab.MaxDocumentSize) + `"}`, vocab.ErrTooLarge},
		{"KeyErrMalformed", func(b []byte) error { _, err := vocab.ParseKey(b, ""); return err }, `"key"`, vocab.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.parse([]byte(tt.data))
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func parseActorErr(b []byte) error  { _, err := vocab.ParseActor(b); return err }
func parseObjectErr(b []byte) error { _, err := vocab.ParseObject(b); return err }
