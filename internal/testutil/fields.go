package testutil

import (
	"errors"

	"github.com/kiosque/kiosque/internal/apperr"
)

// Fields returns the form fields named by the apperr errors err is or
// joins, in order: what a form would mark as invalid.
func Fields(err error) []string {
	list := apperr.Split(err)
	var out []string
	for _, e := range list {
		var ae *apperr.Error
		if errors.As(e, &ae) {
			out = append(out, ae.Field)
		}
	}
	return out
}
