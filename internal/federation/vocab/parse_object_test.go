package vocab_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// TestParseObjectForms checks the forms of url, attributedTo, inReplyTo,
// contentMap and tag that servers write.
func TestParseObjectForms(t *testing.T) {
	const head = `{"id":"https://p.exemple/n/1","type":"Note",`
	tests := []struct {
		name string
		data string
		want vocab.RemoteObject
	}{
		{
			name: "URLString",
			data: head + `"url":"https://p.exemple/@a/1"}`,
			want: vocab.RemoteObject{URL: "https://p.exemple/@a/1"},
		},
		{
			name: "URLLink",
			data: head + `"url":{"type":"Link","href":"https://p.exemple/@a/1","mediaType":"text/html"}}`,
			want: vocab.RemoteObject{URL: "https://p.exemple/@a/1"},
		},
		{
			name: "URLArrayPicksHTML",
			data: head + `"url":[{"type":"Link","href":"https://p.exemple/v/1.mp4","mediaType":"video/mp4"},{"type":"Link","href":"https://p.exemple/w/1","mediaType":"text/html; charset=utf-8"}]}`,
			want: vocab.RemoteObject{URL: "https://p.exemple/w/1"},
		},
		{
			name: "URLArrayPrefersStringOverOtherLinks",
			data: head + `"url":[{"type":"Link","href":"https://p.exemple/v/1.mp4","mediaType":"video/mp4"},"https://p.exemple/w/1"]}`,
			want: vocab.RemoteObject{URL: "https://p.exemple/w/1"},
		},
		{
			name: "AttributedToObjects",
			data: head + `"attributedTo":[{"type":"Person","id":"https://p.exemple/a/anne"},{"type":"Group","id":"https://p.exemple/c/lyon"}],"inReplyTo":{"type":"Article","id":"` + articleID + `"}}`,
			want: vocab.RemoteObject{AttributedTo: "https://p.exemple/a/anne", InReplyTo: articleID},
		},
		{
			name: "ContentMapPrefersFrench",
			data: head + `"contentMap":{"en":"<p>Hello</p>","fr":"<p>Bonjour, l’équipe</p>"}}`,
			want: vocab.RemoteObject{Content: "<p>Bonjour, l’équipe</p>", Language: "fr",
				ContentMap: map[string]string{"en": "<p>Hello</p>", "fr": "<p>Bonjour, l’équipe</p>"}},
		},
		{
			name: "ContentWinsOverContentMap",
			data: head + `"content":"<p>Hallo</p>","contentMap":{"de":"<p>Hallo</p>","fr":"<p>Bonjour</p>"}}`,
			want: vocab.RemoteObject{Content: "<p>Hallo</p>", Language: "de",
				ContentMap: map[string]string{"de": "<p>Hallo</p>", "fr": "<p>Bonjour</p>"}},
		},
		{
			name: "SingleTagAndAttachment",
			data: head + `"tag":{"type":"Hashtag","name":"#Lyon","href":"https://p.exemple/tags/lyon"},"attachment":{"type":"Image","url":"https://p.exemple/m/1.jpg","mediaType":"image/jpeg","name":"La Saône"}}`,
			want: vocab.RemoteObject{
				Tags:        []vocab.RemoteTag{{Type: "Hashtag", Name: "#Lyon", Href: "https://p.exemple/tags/lyon"}},
				Attachments: []vocab.RemoteAttachment{{Type: "Image", URL: "https://p.exemple/m/1.jpg", MediaType: "image/jpeg", Name: "La Saône"}},
			},
		},
		{
			name: "NullsAndWrongTypesIgnored",
			data: head + `"summary":null,"name":["x"],"sensitive":"yes","published":"hier","to":null,"cc":[null,5,"https://p.exemple/a/anne/followers"]}`,
			want: vocab.RemoteObject{Cc: []string{"https://p.exemple/a/anne/followers"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := vocab.ParseObject([]byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.ID, tt.want.Type = "https://p.exemple/n/1", "Note"
			if diff := cmp.Diff(tt.want, *got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("object (-want +got):\n%s", diff)
			}
		})
	}
}
