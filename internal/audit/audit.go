// Package audit records who did what and when in the back office: the
// actions an administrator may have to account for (publication, deletion,
// role and setting changes, logins).
package audit

import (
	"context"
	"time"
)

// Actions recorded.
const (
	ActionLogin            = "login"
	ActionLoginFailed      = "login_failed"
	ActionLogout           = "logout"
	ActionPasswordReset    = "password_reset"
	ActionTOTPEnabled      = "totp_enabled"
	ActionTOTPDisabled     = "totp_disabled"
	ActionArticleCreate    = "article_create"
	ActionArticleUpdate    = "article_update"
	ActionArticleSubmit    = "article_submit"
	ActionArticlePublish   = "article_publish"
	ActionArticleSchedule  = "article_schedule"
	ActionArticleUnpublish = "article_unpublish"
	ActionArticleTrash     = "article_trash"
	ActionArticleRestore   = "article_restore"
	ActionArticleRevert    = "article_revert"
	ActionSettings         = "settings_update"
	ActionUserCreate       = "user_create"
	ActionUserRole         = "user_role"
	ActionUserDisable      = "user_disable"
	ActionTaxonomy         = "taxonomy_update"
	ActionMediaUpload      = "media_upload"
	ActionMediaDelete      = "media_delete"
	// ActionCommenterErase erased a commenter's data (GDPR); its target
	// is the person's record, which keeps only its number.
	ActionCommenterErase = "commenter_erase"
	// ActionCommenterExport downloaded everything stored about a
	// commenter (GDPR art. 15 and 20): a read of personal data, logged
	// as the shop's customer export and the donor export are.
	ActionCommenterExport = "commenter_export"
)

// Entry is one recorded action.
type Entry struct {
	ID         int64
	At         time.Time
	UserID     int64
	UserName   string
	Action     string
	TargetType string
	TargetID   int64
	// Summary says in a few words what changed ("role editor → admin").
	Summary string
	IP      string
}

// Store reads the log; entries are written by the stores of the changes
// they record, in the same transaction.
type Store interface {
	// AuditEntries returns entries newest first, before the entry beforeID
	// (0: from the newest), at most limit.
	AuditEntries(ctx context.Context, beforeID int64, limit int) ([]Entry, error)
	// RecordAudit writes an entry on its own, for actions with no data
	// change of their own (a login).
	RecordAudit(ctx context.Context, e Entry) error
}

// Recorder writes entries on their own, for actions that change no data
// (an export of personal data); *storage.AuditStore implements it.
type Recorder interface {
	RecordAudit(ctx context.Context, e Entry) error
}
