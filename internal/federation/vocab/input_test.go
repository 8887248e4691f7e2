package vocab_test

import (
	"errors"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// TestNewPersonInput checks that bad actor input is refused.
func TestNewPersonInput(t *testing.T) {
	tests := []struct {
		name   string
		modify func(in *vocab.ActorInput)
	}{
		{"ErrMissingID", func(in *vocab.ActorInput) { in.ID = "" }},
		{"ErrRelativeInbox", func(in *vocab.ActorInput) { in.Inbox = "/boite" }},
		{"ErrMissingUsername", func(in *vocab.ActorInput) { in.Username = "" }},
		{"ErrBadKey", func(in *vocab.ActorInput) {
			in.PublicKeyPEM = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"
		}},
		{"ErrPrivateKeyBlock", func(in *vocab.ActorInput) {
			in.PublicKeyPEM = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
		}},
		{"ErrIconURL", func(in *vocab.ActorInput) { in.Icon = &vocab.ImageInput{URL: "logo.png"} }},
		{"ErrFieldName", func(in *vocab.ActorInput) { in.Fields = []vocab.ProfileField{{URL: site}} }},
		{"ErrFieldURL", func(in *vocab.ActorInput) {
			in.Fields = []vocab.ProfileField{{Name: "Site", URL: "javascript:alert(1)"}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := actorInput(t)
			tt.modify(&in)
			if _, err := vocab.NewPerson(in); !errors.Is(err, vocab.ErrInvalidInput) {
				t.Errorf("error = %v, want ErrInvalidInput", err)
			}
		})
	}
}

// TestNewObjectInput checks that bad article input is refused, and the
// defaults: Article when no type is given, no updated before the first edit.
func TestNewObjectInput(t *testing.T) {
	tests := []struct {
		name   string
		modify func(in *vocab.ArticleInput)
		typ    vocab.ObjectType
	}{
		{"ErrMissingTitle", func(in *vocab.ArticleInput) { in.Title = " " }, ""},
		{"ErrMissingPublished", func(in *vocab.ArticleInput) { in.Published = time.Time{} }, ""},
		{"ErrRelativeURL", func(in *vocab.ArticleInput) { in.URL = "/2026/11/article" }, ""},
		{"ErrTagURL", func(in *vocab.ArticleInput) { in.Tags = []vocab.TagInput{{Label: "Lyon", URL: "sujets/lyon"}} }, ""},
		{"ErrImageURL", func(in *vocab.ArticleInput) { in.Images = []vocab.ImageInput{{URL: ""}} }, ""},
		{"ErrType", func(in *vocab.ArticleInput) {}, "Page"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := articleInput()
			tt.modify(&in)
			if _, err := vocab.NewObject(in, tt.typ); !errors.Is(err, vocab.ErrInvalidInput) {
				t.Errorf("error = %v, want ErrInvalidInput", err)
			}
		})
	}

	o := mustObject(t, secondArticle(), "")
	if o.Type != "Article" || o.Updated != "" || o.Image != nil || len(o.Tag) != 0 || o.Replies != nil {
		t.Errorf("default object = %+v", o)
	}
	if _, err := vocab.NewUpdate(o); !errors.Is(err, vocab.ErrInvalidInput) {
		t.Errorf("Update of a never edited article: error = %v, want ErrInvalidInput", err)
	}
}

// TestActivityIDs checks that activity ids are stable for a version and
// differ between versions, so receivers neither take a retry for news nor
// drop an edit as already seen.
func TestActivityIDs(t *testing.T) {
	in := articleInput()
	a1 := must(vocab.NewCreate(mustObject(t, in, vocab.TypeArticle)))
	a2 := must(vocab.NewCreate(mustObject(t, in, vocab.TypeArticle)))
	in.Updated = in.Updated.Add(time.Hour)
	a3 := must(vocab.NewCreate(mustObject(t, in, vocab.TypeArticle)))
	u3 := must(vocab.NewUpdate(mustObject(t, in, vocab.TypeArticle)))
	if a1.ID != a2.ID {
		t.Errorf("same version, ids %q and %q", a1.ID, a2.ID)
	}
	if a1.ID == a3.ID || a3.ID == u3.ID {
		t.Errorf("ids %q, %q, %q should differ", a1.ID, a3.ID, u3.ID)
	}

	first := must(vocab.ParseActivity([]byte(followJSON)))
	again := must(vocab.ParseActivity([]byte(followJSON)))
	if id1, id2 := must(vocab.NewAccept(actorID, first)).ID, must(vocab.NewAccept(actorID, again)).ID; id1 != id2 {
		t.Errorf("two Accepts of one Follow have ids %q and %q", id1, id2)
	}
	undo := must(vocab.ParseActivity([]byte(`{"id":"https://m.exemple/1","type":"Undo","actor":"https://m.exemple/u","object":"https://m.exemple/f"}`)))
	if _, err := vocab.NewAccept(actorID, undo); !errors.Is(err, vocab.ErrInvalidInput) {
		t.Errorf("Accept of an Undo: error = %v, want ErrInvalidInput", err)
	}
}

// TestHashtagName checks the hashtags made of French tag labels.
func TestHashtagName(t *testing.T) {
	tests := []struct{ label, want string }{
		{"Lyon", "#Lyon"},
		{"Élections municipales", "#ÉlectionsMunicipales"},
		{"l’économie", "#lÉconomie"},
		{"Saint-Étienne", "#SaintÉtienne"},
		{"#déjà", "#déjà"},
		{"COP 30", "#COP30"},
		{"2026", ""},
		{"« »", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := vocab.HashtagName(tt.label); got != tt.want {
			t.Errorf("HashtagName(%q) = %q, want %q", tt.label, got, tt.want)
		}
	}
}
