package vocab

import (
	"net/url"
	"strings"
)

// isAbsoluteURL reports whether s is an absolute http or https URL with a
// host: what an ActivityPub id must be to be dereferenced and compared.
func isAbsoluteURL(s string) bool {
	if s == "" || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	return (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// checkURL returns an ErrInvalidInput error naming field when v is empty or
// not an absolute http(s) URL.
func checkURL(field, v string) error {
	if v == "" {
		return invalidInput(field, "is required")
	}
	if !isAbsoluteURL(v) {
		return invalidInput(field, "is not an absolute http(s) URL: "+v)
	}
	return nil
}

// checkOptionalURL is checkURL for a field that may be left empty.
func checkOptionalURL(field, v string) error {
	if v == "" {
		return nil
	}
	return checkURL(field, v)
}
