package demo

import (
	"strings"
	"testing"
	"time"
)

func TestDemoArticles(t *testing.T) {
	arts, err := Articles()
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) < 28 {
		t.Fatalf("%d demo articles, want about 30", len(arts))
	}
	slugs := map[string]bool{}
	statuses := map[string]int{}
	palmyra := 0
	for _, a := range arts {
		if a.Title == "" || a.Slug == "" || a.Author == "" || len(a.Categories) == 0 || strings.TrimSpace(a.Body) == "" {
			t.Errorf("%s: incomplete: %+v", a.File, a.frontMatter)
		}
		if slugs[a.Slug] {
			t.Errorf("%s: duplicate slug %q", a.File, a.Slug)
		}
		slugs[a.Slug] = true
		statuses[a.Status]++
		if strings.Contains(a.Title, "Palmyre") && strings.Contains(a.Body, "«") {
			palmyra++
			if paris, _ := time.LoadLocation("Europe/Paris"); a.Published.In(paris).Format("2006-01-02") != "2016-12-11" {
				t.Errorf("Palmyra article dated %v", a.Published)
			}
		}
	}
	if palmyra != 1 {
		t.Errorf("%d wire stories on Palmyra, want 1", palmyra)
	}
	if statuses["draft"] < 1 || statuses["scheduled"] != 1 {
		t.Errorf("statuses = %v, want drafts and one scheduled article", statuses)
	}
}

func TestParseArticleErrors(t *testing.T) {
	for name, src := range map[string]string{
		"no front matter": "# Titre\n",
		"unclosed":        "+++\ntitle = \"x\"\n",
		"bad toml":        "+++\ntitle = \n+++\nbody",
	} {
		if _, err := parseArticle(name, []byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
