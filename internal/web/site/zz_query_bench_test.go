package site_test

import (
	"context"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
)

func BenchmarkQueries(b *testing.B) {
	s := apptest.New(b, apptest.Options{NoCache: true})
	ctx := context.Background()
	a, _ := s.App.Content.PublicArticle(ctx, "l-etat-islamique-reprend-palmyre")
	b.Run("PublicArticle", func(b *testing.B) {
		for b.Loop() {
			_, _ = s.App.Content.PublicArticle(ctx, "l-etat-islamique-reprend-palmyre")
		}
	})
	b.Run("Related", func(b *testing.B) {
		for b.Loop() {
			_, _ = s.App.Content.Related(ctx, a, 4)
		}
	})
}
