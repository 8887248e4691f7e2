package wpimport

import (
	"slices"
	"testing"
	"time"

	"github.com/kiosque/kiosque/internal/redirects"
)

func TestUntitled(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"OK", "<p>Le marché <em>rouvre</em> ce matin</p>", "Le marché rouvre ce matin"},
		{"OKLong", "<p>un deux trois quatre cinq six sept huit neuf</p>", "un deux trois quatre cinq six sept huit…"},
		{"OKEntities", "<p>Tom &amp; Jerry</p>", "Tom & Jerry"},
		{"OKEmpty", `<figure><img src="/a.jpg" alt="x"></figure>`, "Sans titre 42"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := untitled(tc.body, 42); got != tc.want {
				t.Errorf("untitled(%q) = %q, want %q", tc.body, got, tc.want)
			}
		})
	}
}

func TestPrepareRedirects(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		in    []redirects.Redirect
		want  []string // From → To of the prepared redirects
		notes int
	}{
		{"OK", []redirects.Redirect{
			{From: "/?p=1", To: "/a/", Code: redirects.Permanent},
			{From: "/2020/01/a/", To: "/a/", Code: redirects.Permanent},
		}, []string{"/?p=1 → /a/", "/2020/01/a/ → /a/"}, 0},
		{"OKLastWins", []redirects.Redirect{
			{From: "/old/", To: "/a/", Code: redirects.Permanent},
			{From: "/OLD", To: "/b/", Code: redirects.Permanent},
		}, []string{"/OLD → /b/"}, 0},
		{"ErrInvalidLeftOut", []redirects.Redirect{
			{From: "/?p=1", To: "/a/", Code: redirects.Permanent},
			{From: "not-a-path", To: "/b/", Code: redirects.Permanent},
			{From: "/c/", To: "/b/", Code: redirects.Permanent},
			{From: "/C", To: "/d/", Code: redirects.Permanent},
		}, []string{"/?p=1 → /a/", "/C → /d/"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &run{im: New(Deps{}), rep: &Report{}, now: now}
			out := r.prepareRedirects(tc.in)
			var got []string
			for _, x := range out {
				got = append(got, x.From+" → "+x.To)
				if !x.CreatedAt.Equal(now) || x.Source != redirects.SourceWordPress || x.Key == "" {
					t.Errorf("%s: created %v, source %q, key %q", x.From, x.CreatedAt, x.Source, x.Key)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if len(r.rep.Notes) != tc.notes {
				t.Errorf("notes = %v, want %d", r.rep.Notes, tc.notes)
			}
		})
	}
}
