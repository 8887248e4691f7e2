package site

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
)

// maxPage bounds page numbers, so a crawler cannot ask for page 10^18.
const maxPage = 100000

// pageNumber reads the {n} path value: 1 when absent; a redirect to the
// canonical URL for "page/1/"; 404 for anything not a page number.
func pageNumber(r *http.Request, base string) (int, error) {
	s := r.PathValue("n")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPage || strconv.Itoa(n) != s {
		return 0, apperr.New(apperr.NotFound, "error.not_found.text")
	}
	if n == 1 {
		return 0, &redirect{to: base, code: http.StatusMovedPermanently}
	}
	return n, nil
}

// queryPage reads ?page= on pages paged by query (search): 1 when absent,
// 400 with a message when it is not a page number.
func queryPage(r *http.Request) (int, error) {
	s := r.URL.Query().Get("page")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxPage {
		return 0, apperr.New(apperr.Invalid, "error.invalid_page")
	}
	return n, nil
}

// validQuery rejects a query string that is not valid UTF-8 once decoded.
func validQuery(r *http.Request) error {
	for k, vs := range r.URL.Query() {
		if !utf8.ValidString(k) {
			return apperr.New(apperr.Invalid, "error.invalid_encoding")
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return apperr.New(apperr.Invalid, "error.invalid_encoding")
			}
		}
	}
	return nil
}
