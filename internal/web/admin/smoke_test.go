package admin_test

import (
	"net/http"
	"testing"

	"github.com/kiosque/kiosque/internal/app/apptest"
	"github.com/kiosque/kiosque/internal/users"
)

func TestHarness(t *testing.T) {
	s := newSite(t, apptest.Options{})
	for _, r := range []users.Role{users.RoleAdmin, users.RoleContributor} {
		b := as(t, s, r)
		resp, body := b.get("/admin/")
		mustStatus(t, "dashboard", resp, body, http.StatusOK)
	}
}
