package app

import (
	"errors"
	"fmt"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/locale"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/web"
	"github.com/kiosque/kiosque/internal/wpimport"
)

// WordPressImporter returns the importer of WordPress exports, writing
// through the app's services; its report explains refusals in English,
// the language of the command line.
func (a *App) WordPressImporter() *wpimport.Importer {
	en := a.Catalog.Printer(locale.English)
	return wpimport.New(wpimport.Deps{
		Store:        storage.NewWordPressStore(a.DB),
		Content:      a.Content,
		Users:        a.Users,
		Media:        a.Media,
		Redirects:    a.Redirects,
		CommentStyle: func() textproc.Style { return a.Settings.Get().Style() },
		ArticlePath: func(art *content.Article) string {
			if art.Kind == content.KindPage {
				return web.PagePath(art.Slug)
			}
			return web.ArticlePath(art, a.Settings.Get().Location())
		},
		Clock: a.clock,
		Log:   a.Log.With("component", "wordpress-import"),
		Explain: func(err error) string {
			var ae *apperr.Error
			if errors.As(err, &ae) && ae.Key != "" && en.Has(ae.Key) {
				msg := en.T(ae.Key, ae.Args...)
				if ae.Field != "" {
					msg = fmt.Sprintf("%s (field %s)", msg, ae.Field)
				}
				return msg
			}
			return err.Error()
		},
	})
}
