package vocab_test

import (
	"testing"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// TestEmittedParse reads kiosque's own documents back with its parsers,
// as another kiosque would: what one emits, the other accepts.
func TestEmittedParse(t *testing.T) {
	docs := emitted(t)
	data := func(name string) []byte {
		b, err := vocab.Marshal(docs[name])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	actor, err := vocab.ParseActor(data("actor"))
	if err != nil {
		t.Fatal(err)
	}
	if actor.ID != actorID || actor.PreferredUsername != "leveilleur" || actor.SharedInbox != site+"/federation/boite" ||
		actor.URL != site+"/" || actor.IconURL != site+"/media/marque/logo-carre.png" || actor.Type != "Person" {
		t.Errorf("actor = %+v", actor)
	}
	if k, ok := actor.Key(vocab.MainKeyID(actorID)); !ok || k.Owner != actorID {
		t.Errorf("key = %+v, %v", k, ok)
	}

	for _, name := range []string{"create-article", "create-note", "update-article"} {
		a, err := vocab.ParseActivity(data(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		o, err := vocab.ParseObject(a.Object.Raw)
		if err != nil {
			t.Fatalf("%s object: %v", name, err)
		}
		if a.Actor != actorID || !a.IsPublic() || o.ID != articleID || o.URL != articleURL || o.Language != "fr" ||
			o.AttributedTo != actorID || len(o.Tags) != 2 || len(o.Attachments) != 1 {
			t.Errorf("%s: activity %+v, object %+v", name, a, o)
		}
	}

	for _, name := range []string{"delete-article", "accept", "reject", "update-actor"} {
		a, err := vocab.ParseActivity(data(name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a.Actor != actorID {
			t.Errorf("%s actor = %q", name, a.Actor)
		}
	}
	accept, err := vocab.ParseActivity(data("accept"))
	if err != nil {
		t.Fatal(err)
	}
	follow, err := accept.EmbeddedActivity()
	if err != nil {
		t.Fatal(err)
	}
	if follow.ID != "https://mastodon.exemple/users/camille#follows/4242" || follow.Object.ID != actorID {
		t.Errorf("accepted Follow = %+v", follow)
	}
}
