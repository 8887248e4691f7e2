package cli

import (
	"errors"

	"github.com/kiosque/kiosque/internal/app"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/locale"
)

// describeApp returns the catalogue message of a domain error in English,
// or the error itself when it is internal.
func describeApp(a *app.App, err error) string {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Kind != apperr.Internal && a.Catalog != nil {
		key, args := apperr.Message(err)
		return a.Catalog.Printer(locale.English).T(key, args...)
	}
	return err.Error()
}
