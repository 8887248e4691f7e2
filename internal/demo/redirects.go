package demo

import (
	"context"
	"fmt"
	"strconv"

	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/redirects"
	"github.com/kiosque/kiosque/internal/web"
)

// seedRedirects gives the demo the old addresses a newsroom coming from
// WordPress keeps (`kiosque import wordpress` writes them): each published
// article's "/?p=ID" and its month-and-name permalink ("/2016/09/slug/"),
// as if Le Veilleur had run on WordPress before, and the old feed of its
// comments. It returns how many it wrote.
func seedRedirects(ctx context.Context, s Services) (int, error) {
	loc := s.Settings.Get().Location()
	p, err := s.Content.AdminList(ctx, content.ArticleFilter{Kind: content.KindPost, Status: content.StatusPublished}, 1, 500)
	if err != nil {
		return 0, fmt.Errorf("seed demo redirects: %w", err)
	}
	var in []redirects.Redirect
	for i, a := range p.Articles {
		to := web.ArticlePath(a, loc)
		id := strconv.Itoa(1200 + 2*i)
		in = append(in, redirects.Redirect{From: "/?p=" + id, To: to}, redirects.Redirect{From: "/archives/" + id, To: to})
	}
	in = append(in, redirects.Redirect{From: "/comments/feed/", To: "/feed/comments/"})
	if err := s.Redirects.Import(ctx, in); err != nil {
		return 0, fmt.Errorf("seed demo redirects: %w", err)
	}
	return len(in), nil
}
