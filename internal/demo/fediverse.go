package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/content"
)

// seedFediverse gives the publication followers on fictitious instances,
// a follow request to approve, a blocked instance, and likes and boosts
// of its newest articles.
func seedFediverse(ctx context.Context, s Services, now time.Time) (followers, reactions int, err error) {
	page, err := s.Content.PublicList(ctx, content.ArticleFilter{}, 1, 5)
	if err != nil {
		return 0, 0, fmt.Errorf("demo fediverse: %w", err)
	}
	ids := make([]int64, 0, len(page.Articles))
	for _, a := range page.Articles {
		ids = append(ids, a.ID)
	}
	return s.Federation.SeedDemo(ctx, ids, now)
}
