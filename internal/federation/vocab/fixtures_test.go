package vocab_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// The fixtures describe Le Veilleur, a French local newsroom, on a fixed
// host. Titles and texts carry accents, « guillemets » with non-breaking
// spaces, and the typographic apostrophe ’, to show they go out as UTF-8.
const (
	site       = "https://le-veilleur.exemple.fr"
	actorID    = site + "/federation/acteur"
	followers  = actorID + "/abonnes"
	articleID  = site + "/federation/articles/1842"
	articleURL = site + "/2026/11/municipales-lyon-ecologie-epreuve"
)

// paris is the newsroom's time zone, so that dates are seen converted to UTC.
var paris = time.FixedZone("CET", 3600)

// publicKeyPEM returns the fixed test key of testdata/publickey.pem.
func publicKeyPEM(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "publickey.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// actorInput is the publication's actor as the settings describe it.
func actorInput(t testing.TB) vocab.ActorInput {
	return vocab.ActorInput{
		ID:           actorID,
		Username:     "leveilleur",
		Acct:         "leveilleur@le-veilleur.exemple.fr",
		Name:         "Le Veilleur",
		SummaryHTML:  "<p>L’information locale, indépendante et « sans détour », depuis Lyon.</p>",
		ProfileURL:   site + "/",
		Icon:         &vocab.ImageInput{URL: site + "/media/marque/logo-carre.png", MediaType: "image/png"},
		Header:       &vocab.ImageInput{URL: site + "/media/marque/bandeau.jpg", MediaType: "image/jpeg"},
		Inbox:        actorID + "/boite",
		Outbox:       actorID + "/publications",
		Followers:    followers,
		Following:    actorID + "/abonnements",
		Featured:     actorID + "/a-la-une",
		SharedInbox:  site + "/federation/boite",
		PublicKeyPEM: publicKeyPEM(t),
		Discoverable: true,
		Indexable:    true,
		Published:    time.Date(2026, 9, 1, 9, 0, 0, 0, paris),
		Fields: []vocab.ProfileField{
			{Name: "Site", URL: site + "/"},
			{Name: "Nous écrire", URL: site + "/contact", Text: "Écrire à la rédaction"},
			{Name: "Fondé en", Text: "1944 — « Le Veilleur de Fourvière »"},
		},
	}
}

// articleInput is an edited article with tags and an illustration.
func articleInput() vocab.ArticleInput {
	return vocab.ArticleInput{
		ID:           articleID,
		URL:          articleURL,
		ActorID:      actorID,
		FollowersURL: followers,
		RepliesURL:   articleID + "/reponses",
		Title:        "Municipales\u00a0: à Lyon, l’écologie «\u00a0à l’épreuve\u00a0» du pouvoir",
		Excerpt:      "Six ans après leur victoire, les écologistes défendent leur bilan.\n\nReportage dans les quartiers où l’on attend «\u00a0des actes\u00a0».",
		ContentHTML: "<p>Place des Terreaux, un mardi matin. Les marchands s’installent, et chacun a son avis sur la «\u00a0ville apaisée\u00a0».</p>" +
			"<p>«\u00a0On a gagné des pistes cyclables, mais on a perdu des places de parking\u00a0», résume Hélène, fleuriste depuis vingt ans.</p>",
		Language:  "fr",
		Published: time.Date(2026, 11, 27, 7, 30, 0, 0, paris),
		Updated:   time.Date(2026, 11, 28, 10, 15, 0, 0, paris),
		Tags: []vocab.TagInput{
			{Label: "Élections municipales", URL: site + "/sujets/elections-municipales"},
			{Label: "Lyon", URL: site + "/sujets/lyon"},
			{Label: "2026", URL: site + "/sujets/2026"},
		},
		Images: []vocab.ImageInput{
			{URL: site + "/media/2026/11/hotel-de-ville.jpg", MediaType: "image/jpeg", Alt: "L’hôtel de ville de Lyon, place des Terreaux, un matin de novembre"},
		},
	}
}

// secondArticle is an older article, never edited, without tags or image.
func secondArticle() vocab.ArticleInput {
	return vocab.ArticleInput{
		ID:           site + "/federation/articles/1790",
		URL:          site + "/2026/11/fete-des-lumieres-programme",
		ActorID:      actorID,
		FollowersURL: followers,
		Title:        "Fête des Lumières\u00a0: le programme quartier par quartier",
		Excerpt:      "Quatre jours, trente installations, et un parcours «\u00a0apaisé\u00a0» dans la Presqu’île.",
		ContentHTML:  "<p>La Fête des Lumières revient du 5 au 8 décembre.</p>",
		Language:     "fr",
		Published:    time.Date(2026, 11, 20, 18, 0, 0, 0, paris),
	}
}

// followJSON is a Follow of the publication as a Mastodon server sends it.
const followJSON = `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.exemple/users/camille#follows/4242","type":"Follow","actor":"https://mastodon.exemple/users/camille","object":"` + actorID + `"}`

// mustObject builds an object or fails the test.
func mustObject(t testing.TB, in vocab.ArticleInput, typ vocab.ObjectType) *vocab.Object {
	t.Helper()
	o, err := vocab.NewObject(in, typ)
	if err != nil {
		t.Fatalf("NewObject: %v", err)
	}
	return o
}

// must returns v, or panics on err (failing the test), like
// template.Must: the fixtures are fixed, and an error is a bug in them.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// emitted returns every document kiosque emits, built from the fixtures,
// by golden file name.
func emitted(t testing.TB) map[string]any {
	t.Helper()
	person := must(vocab.NewPerson(actorInput(t)))
	article := mustObject(t, articleInput(), vocab.TypeArticle)
	note := mustObject(t, articleInput(), vocab.TypeNote)
	older := mustObject(t, secondArticle(), vocab.TypeArticle)
	follow := must(vocab.ParseActivity([]byte(followJSON)))
	createArticle := must(vocab.NewCreate(article))
	createOlder := must(vocab.NewCreate(older))
	deleted := time.Date(2026, 11, 29, 8, 0, 0, 0, paris)
	return map[string]any{
		"actor":          person,
		"article":        article,
		"note":           note,
		"create-article": createArticle,
		"create-note":    must(vocab.NewCreate(note)),
		"update-article": must(vocab.NewUpdate(article)),
		"update-actor":   must(vocab.NewUpdatePerson(person, time.Date(2026, 11, 29, 9, 0, 0, 0, paris))),
		"delete-article": must(vocab.NewDelete(vocab.DeleteInput{
			ObjectID: articleID, FormerType: "Article", ActorID: actorID, FollowersURL: followers, Deleted: deleted,
		})),
		"tombstone": must(vocab.NewTombstone(articleID, "Article", deleted)),
		"accept":    must(vocab.NewAccept(actorID, follow)),
		"reject":    must(vocab.NewReject(actorID, follow)),
		"outbox":    must(vocab.NewOrderedCollection(person.Outbox, 12, person.Outbox+"?page=1")),
		"outbox-page": must(vocab.NewOutboxPage(vocab.PageRef{
			ID: person.Outbox + "?page=1", PartOf: person.Outbox, TotalItems: 12, Next: person.Outbox + "?page=2",
		}, []*vocab.OutboxActivity{createArticle, createOlder})),
		"followers": must(vocab.NewCountOnlyCollection(followers, 437)),
		"followers-page": must(vocab.NewIDPage(vocab.PageRef{
			ID: followers + "?page=1", PartOf: followers, TotalItems: 3, Next: followers + "?page=2",
		}, []string{"https://mastodon.exemple/users/camille", "https://piaille.exemple/users/jules", "https://gts.exemple.org/users/marianne"})),
		"featured": must(vocab.NewFeaturedCollection(person.Featured, []*vocab.Object{article})),
		"webfinger": must(vocab.NewWebFinger(vocab.WebFingerInput{
			Username: "leveilleur", Domain: "le-veilleur.exemple.fr", ActorID: actorID, ProfileURL: site + "/",
		})),
		"nodeinfo": must(vocab.NewNodeInfo(vocab.NodeInfoInput{
			SoftwareName: "kiosque", SoftwareVersion: "1.4.0", Homepage: "https://kiosque.exemple.org/",
			Users: 1, ActiveMonth: 1, ActiveHalfyear: 1, LocalPosts: 1842,
			NodeName: "Le Veilleur", NodeDescription: "L’information locale, depuis Lyon.",
		})),
		"nodeinfo-links": must(vocab.NewNodeInfoLinks(site + "/nodeinfo/2.1")),
	}
}
