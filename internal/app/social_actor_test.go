package app_test

import (
	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/users"
)

// admin is who connects social accounts in these tests.
var admin = access.Actor{Name: "Claire Morel", Role: users.RoleAdmin, IP: "192.0.2.1"}
