// Package access decides who may do what in the back office: the four
// WordPress roles and the rules on articles their authors own. Services
// ask it before acting, so a forbidden action is refused whatever the
// handler or command that asked for it.
package access

import (
	"slices"

	"github.com/kiosque/kiosque/internal/users"
)

// Actor is a person acting in the back office.
type Actor struct {
	UserID int64
	Name   string
	// Email is the account's address: a reply written as the newsroom
	// carries it, as a reader's comment carries theirs.
	Email string
	Role  users.Role
	// IP is the address the request came from, for the audit log.
	IP string
}

// System is the actor of commands and jobs: it may do everything.
var System = Actor{Name: "kiosque", Role: users.RoleAdmin}

// Permission is a capability that does not depend on a particular article.
type Permission int

// The permissions, as WordPress's capabilities group them.
const (
	// ManageSettings edits the site settings.
	ManageSettings Permission = iota
	// ManageUsers creates accounts and changes roles.
	ManageUsers
	// ViewAudit reads the audit log.
	ViewAudit
	// ManageTaxonomies edits categories and tags.
	ManageTaxonomies
	// ManagePages edits static pages.
	ManagePages
	// ModerateComments approves and removes comments.
	ModerateComments
	// EditOthers edits articles written by others.
	EditOthers
	// Publish publishes articles (their own for authors).
	Publish
	// UploadMedia adds images to the library.
	UploadMedia
	// ManageMedia edits and deletes anyone's images.
	ManageMedia
	// ManageDonations sees and edits donors, gifts, campaigns and tax
	// receipts: personal and accounting data, admins only.
	ManageDonations
)

var grants = map[users.Role][]Permission{
	users.RoleAdmin:       {ManageSettings, ManageUsers, ViewAudit, ManageTaxonomies, ManagePages, ModerateComments, EditOthers, Publish, UploadMedia, ManageMedia, ManageDonations},
	users.RoleEditor:      {ManageTaxonomies, ManagePages, ModerateComments, EditOthers, Publish, UploadMedia, ManageMedia},
	users.RoleAuthor:      {Publish, UploadMedia},
	users.RoleContributor: {},
}

// Can reports whether the actor holds permission p.
func (a Actor) Can(p Permission) bool {
	return slices.Contains(grants[a.Role], p)
}

// ArticleState is what the rules need to know about an article.
type ArticleState struct {
	AuthorIDs []int64
	// Published is true for an article already public or scheduled.
	Published bool
}

// Owns reports whether the actor is one of the article's authors.
func (a Actor) Owns(s ArticleState) bool {
	return a.UserID != 0 && slices.Contains(s.AuthorIDs, a.UserID)
}

// CanEdit reports whether the actor may change the article: editors and
// admins any, authors their own, contributors their own until it is
// published (as in WordPress, a published article is out of their hands).
func (a Actor) CanEdit(s ArticleState) bool {
	switch {
	case a.Can(EditOthers):
		return true
	case a.Role == users.RoleContributor:
		return a.Owns(s) && !s.Published
	default:
		return a.Owns(s)
	}
}

// CanPublish reports whether the actor may publish, schedule or unpublish
// the article: editors and admins any, authors their own, contributors never.
func (a Actor) CanPublish(s ArticleState) bool {
	if !a.Can(Publish) {
		return false
	}
	return a.Can(EditOthers) || a.Owns(s)
}

// CanTrash reports whether the actor may move the article to the trash:
// whoever may edit it, except contributors once it is published.
func (a Actor) CanTrash(s ArticleState) bool {
	return a.CanEdit(s)
}
