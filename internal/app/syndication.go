package app

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"mime"
	"path"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/httpclient"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/media"
	"github.com/kiosque/kiosque/internal/secretbox"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/syndication"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/web"
)

// buildSyndication makes the social auto-publishing service: accounts
// whose secrets are sealed with the configured key, and a client per
// network.
func (a *App) buildSyndication(clk clock.Clock) error {
	key, err := secretbox.LoadKey(a.Config.SecretKey, a.Config.Data)
	if err != nil {
		return err
	}
	box, err := secretbox.New(key)
	if err != nil {
		return err
	}
	hc := httpclient.New(httpclient.Options{UserAgent: "kiosque (+" + a.Config.PublicBaseURL() + ")",
		AllowPrivate: a.Config.AllowPrivateNetworks})
	a.Syndication = syndication.NewService(syndication.Deps{
		Store:      storage.NewSocialStore(a.DB),
		Sealer:     box,
		Publishers: publishers(hc),
		Articles:   socialArticles{a: a},
		Location:   func() *time.Location { return a.Settings.Get().Location() },
		Site: func() syndication.Site {
			st := a.Settings.Get()
			return syndication.Site{Title: st.Title, URL: a.Config.PublicBaseURL() + "/", Language: string(st.Lang())}
		},
		Clock: clk,
		Log:   a.Log.With("component", "syndication"),
	})
	return nil
}

// socialArticles gives the outbox the articles as it needs them.
type socialArticles struct{ a *App }

// maxSocialImage bounds an image read for upload (Bluesky takes 1 MB).
const maxSocialImage = 5 << 20

// Article implements syndication.Articles.
func (s socialArticles) Article(ctx context.Context, id int64) (*syndication.Article, error) {
	art, err := s.a.Content.ArticleByID(ctx, id)
	if err != nil {
		return nil, err
	}
	st := s.a.Settings.Get()
	loc := st.Location()
	base := s.a.Config.PublicBaseURL()
	now := s.a.Content.Now()
	out := &syndication.Article{ID: art.ID, Version: art.Version, Page: art.Kind == content.KindPage, Featured: art.Featured,
		Visible:     art.Status == content.StatusPublished && !art.PublishedAt.After(now),
		PublishedAt: art.PublishedAt, Description: typo(st, cmp.Or(art.SEODescription, art.Excerpt)), ImageAlt: art.ImageAlt,
		Language: string(st.Lang())}
	link := base + web.ArticlePath(art, loc)
	if art.Kind == content.KindPage {
		link = base + web.PagePath(art.Slug)
	}
	// The site's typography (« l’article », « titre : suite »), as on its
	// pages; the body's text has it already.
	v := syndication.Vars{Title: typo(st, art.Title), Permalink: link, Excerpt: typo(st, art.Excerpt),
		Content: textproc.PlainText(art.BodyHTML), BlogTitle: typo(st, st.Title), ID: art.ID,
		PublishDate: s.a.Catalog.Printer(st.Lang()).Date(art.PublishedAt.In(loc), locale.DateLong)}
	if len(art.Authors) > 0 {
		v.AuthorSlug, v.AuthorName = art.Authors[0].Slug, art.Authors[0].Name
	}
	for _, c := range art.Categories {
		v.Categories = append(v.Categories, c.Name)
		out.CategoryIDs = append(out.CategoryIDs, c.ID)
	}
	for _, t := range art.Tags {
		v.Tags = append(v.Tags, t.Name)
	}
	out.Vars = v
	if img := art.ImageURL; img != "" {
		out.ImageURL = img
		if strings.HasPrefix(img, "/") {
			out.ImageURL = base + img
		}
		if p, ok := strings.CutPrefix(img, media.URLPrefix); ok {
			out.LoadImage = func(context.Context) ([]byte, string, error) { return s.readMedia(p) }
		}
	}
	return out, nil
}

// readMedia reads a stored image of the media library.
func (s socialArticles) readMedia(name string) ([]byte, string, error) {
	f, err := s.a.Media.Blobs().Open(name)
	if err != nil {
		return nil, "", fmt.Errorf("read image %s: %w", name, err)
	}
	defer func() { _ = f.Close() }()
	b, err := io.ReadAll(io.LimitReader(f, maxSocialImage+1))
	if err != nil {
		return nil, "", fmt.Errorf("read image %s: %w", name, err)
	}
	if len(b) > maxSocialImage {
		return nil, "", fmt.Errorf("read image %s: larger than %d bytes", name, maxSocialImage)
	}
	return b, mime.TypeByExtension(path.Ext(name)), nil
}
