package comments

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
)

// PersonalData is the permission to export and erase what a commenter
// posted: the administrators', who already manage people's accounts. A
// moderator hides a comment; handing out or destroying everything a
// reader wrote answers the reader's GDPR request, which the publisher
// (its administrators) is accountable for.
const PersonalData = access.ManageUsers

// Person is a commenter's record: one per email, shared by all their
// comments.
type Person struct {
	ID    int64
	Email string
	// Name and URL are those of the person's latest comment.
	Name, URL            string
	CreatedAt, UpdatedAt time.Time
}

// PersonData is everything stored about one person.
type PersonData struct {
	Person Person
	// Comments are the person's comments whatever their status, oldest
	// first, with ArticleTitle filled.
	Comments []*Comment
	// Log is the legal log's entries of the person's own operations (the
	// address and port each comment was posted from) while it keeps them,
	// oldest first. It may name comments since removed with their article.
	// Moderators' entries are left out: their addresses are the staff's
	// data, not the person's.
	Log []LogEntry
}

// Export is what a commenter's right of access and to portability
// (GDPR art. 15 and 20) hands them: everything stored about them.
type Export struct {
	// At is when the export was made.
	At time.Time
	PersonData
}

// ErasureReport tells what ErasePerson erased and what it had to keep.
type ErasureReport struct {
	// PersonID is the person's record, left without email, name or
	// address: the legal log and the audit log go on naming the person by
	// this number only.
	PersonID int64
	// Comments is the number of comments deleted, whatever their status,
	// and Articles the articles they were under.
	Comments int
	Articles []int64
	// LogKept is the number of the legal log's entries of the person's
	// own operations that stay until they expire, and LastLogged the time
	// of the newest of them (zero when none is left).
	LogKept    int
	LastLogged time.Time
}

// EraseAudit makes the audit entry of an erasure from what the store
// erased, inside the erasure's transaction; nil records none.
type EraseAudit func(r ErasureReport) *audit.Entry

// LogUntil is when the last entry the erasure kept leaves the legal log,
// zero when none was kept.
func (r ErasureReport) LogUntil() time.Time {
	if r.LastLogged.IsZero() {
		return time.Time{}
	}
	return r.LastLogged.Add(LogRetention)
}

// ExportPerson returns everything stored about the commenter who wrote
// with email: their record, all their comments whatever the status, and
// the addresses the legal log still keeps. Administrators only
// (PersonalData). An address that is not one is Invalid, in the field
// "email"; an address no comment was ever posted with is NotFound.
func (s *Service) ExportPerson(ctx context.Context, actor access.Actor, email string) (*Export, error) {
	if !actor.Can(PersonalData) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	email, err := personEmail(email)
	if err != nil {
		return nil, err
	}
	d, err := s.Store.PersonData(ctx, email)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, errUnknownPerson(err)
		}
		return nil, fmt.Errorf("export a commenter's data: %w", err)
	}
	return &Export{At: s.Clock.Now(), PersonData: *d}, nil
}

// ExportPersonFile is ExportPerson for the file an admin downloads: the
// read of the person's data is recorded in the audit log first, under the
// person's number (the address stays out of the log, as for erasure).
func (s *Service) ExportPersonFile(ctx context.Context, actor access.Actor, email string) (*Export, error) {
	x, err := s.ExportPerson(ctx, actor, email)
	if err != nil {
		return nil, err
	}
	if s.Audit == nil {
		return nil, errors.New("export a commenter's data: no audit log")
	}
	if err := s.Audit.RecordAudit(ctx, audit.Entry{At: x.At, UserID: actor.UserID, UserName: actor.Name,
		Action: audit.ActionCommenterExport, TargetType: "person", TargetID: x.Person.ID,
		Summary: fmt.Sprintf("person %d: %d comments", x.Person.ID, len(x.Comments)), IP: actor.IP}); err != nil {
		return nil, fmt.Errorf("export a commenter's data: %w", err)
	}
	return x, nil
}

// ErasePerson erases the commenter who wrote with email (GDPR art. 17):
// all their comments, whatever the status, and the email, name and
// address of their record, in one transaction with one log entry per
// comment (a deletion by the actor) and an audit entry. The legal log's
// entries of their comments stay until the daily purge removes them a
// year on: the law asks to keep them (décret 2021-1362), and the right to
// erasure yields to a legal obligation (art. 17(3)(b)). Other readers'
// replies to the erased comments stay, shown as new threads. The spam
// classifier keeps what it learnt from them: its counts say how often a
// word appeared in spam, not who wrote it. Same permission and errors as
// ExportPerson.
func (s *Service) ErasePerson(ctx context.Context, actor access.Actor, email string) (ErasureReport, error) {
	if !actor.Can(PersonalData) {
		return ErasureReport{}, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	email, err := personEmail(email)
	if err != nil {
		return ErasureReport{}, err
	}
	now := s.Clock.Now()
	log := LogEntry{Operation: OpDelete, UserID: actor.UserID, IP: actor.IP, At: now}
	report, err := s.Store.ErasePerson(ctx, email, log, func(r ErasureReport) *audit.Entry {
		// The address stays out of the audit log: it would keep what the
		// person asked to erase. The person's number leads to the legal
		// log if the law asks.
		return &audit.Entry{At: now, UserID: actor.UserID, UserName: actor.Name, Action: audit.ActionCommenterErase,
			TargetType: "person", TargetID: r.PersonID,
			Summary: fmt.Sprintf("person %d: %d comments under %d articles", r.PersonID, r.Comments, len(r.Articles)), IP: actor.IP}
	})
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return ErasureReport{}, errUnknownPerson(err)
		}
		return ErasureReport{}, fmt.Errorf("erase a commenter's data: %w", err)
	}
	return report, nil
}

// personEmail normalises the address a person's data is asked for as
// comments store it, and checks it is one.
func personEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > MaxEmailLen {
		return "", apperr.New(apperr.Invalid, "error.commenter.bad_email").InField("email")
	}
	return email, nil
}

func errUnknownPerson(err error) error {
	return apperr.Wrap(err, apperr.NotFound, "error.commenter.unknown").InField("email")
}
