package app

import (
	"context"
	"fmt"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/web"
)

// buildComments makes the comments service. Its form stamps are signed
// with a secret kept in the database, shared by every instance.
func (a *App) buildComments(ctx context.Context, clk clock.Clock) error {
	secret, err := a.DB.Secret(ctx, "comment_stamp")
	if err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	links, err := a.DB.Secret(ctx, "comment_links")
	if err != nil {
		return fmt.Errorf("comments: %w", err)
	}
	ak, err := a.newAkismet()
	if err != nil {
		return err
	}
	a.Comments = comments.NewService(comments.Deps{
		Store:      storage.NewCommentStore(a.DB),
		Articles:   commentTargets{a: a, clock: clk},
		Clock:      clk,
		Settings:   a.Settings.Get,
		Stamper:    spam.NewStamper(secret),
		Secret:     links,
		Mails:      commentMails{a: a},
		Akismet:    ak,
		Moderators: a.moderators,
		Audit:      storage.NewAuditStore(a.DB),
		Log:        a.Log.With("component", "comments"),
	})
	a.Comments.ReportMails = reportMails{a: a}
	return nil
}

// commentTargets tells the comments service about articles.
type commentTargets struct {
	a     *App
	clock clock.Clock
}

// CommentTarget implements comments.Articles.
func (t commentTargets) CommentTarget(ctx context.Context, id int64) (*comments.Target, error) {
	art, err := t.a.Content.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	loc := t.a.Settings.Get().Location()
	return &comments.Target{ID: art.ID, Title: art.Title, URL: t.a.Config.PublicBaseURL() + web.ArticlePath(art, loc),
		Visible: art.VisibleAt(t.clock.Now()) && art.Kind == content.KindPost, Open: art.CommentsOpen, PublishedAt: art.PublishedAt}, nil
}
