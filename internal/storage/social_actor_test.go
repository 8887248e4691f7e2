package storage_test

import (
	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/users"
)

// admin is who changes social accounts in these tests: an administrator
// with no account row, so that the audit log names no user.
var admin = access.Actor{Name: "Claire Morel", Role: users.RoleAdmin, IP: "192.0.2.1"}
