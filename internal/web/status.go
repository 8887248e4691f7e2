package web

import (
	"net/http"

	"github.com/kiosque/kiosque/internal/apperr"
)

// StatusOf returns the HTTP status of an error, from its apperr kind, the
// same for pages and the API.
func StatusOf(err error) int {
	switch apperr.KindOf(err) {
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Invalid:
		return http.StatusBadRequest
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.Unauthorized:
		return http.StatusUnauthorized
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}
