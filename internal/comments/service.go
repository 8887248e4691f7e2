package comments

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/settings"
	"github.com/kiosque/kiosque/internal/textproc"
)

// Target is what the comments service needs to know of an article.
type Target struct {
	ID    int64
	Title string
	// URL is the article's absolute address (for Akismet and emails).
	URL string
	// Visible reports whether readers can see the article now.
	Visible bool
	// Open is the article's own "comments open" switch.
	Open        bool
	PublishedAt time.Time
}

// Articles finds the article a comment is posted under; an adapter over
// package content implements it.
type Articles interface {
	CommentTarget(ctx context.Context, id int64) (*Target, error)
}

// Akismet asks an Akismet-compatible service for its opinion; nil when no
// key is configured.
type Akismet interface {
	// IsSpam reports the service's verdict on c, posted under t.
	IsSpam(ctx context.Context, c *Comment, t *Target, userAgent, referrer string) (bool, error)
	// Submit teaches the service a moderator's decision: c is spam, or
	// (spam false) a legitimate comment it had taken for spam.
	Submit(ctx context.Context, c *Comment, t *Target, spam bool) error
}

// Deps are what a Service works with.
type Deps struct {
	Store    Store
	Articles Articles
	Clock    clock.Clock
	// Settings returns the current site settings (policy, typography).
	Settings func() *settings.Site
	// Stamper signs and checks the comment form's timestamp.
	Stamper *spam.Stamper
	// Secret signs what readers are handed: the cookie listing their
	// comments, avatar keys, unsubscribe links (see tokens.go).
	Secret []byte
	// Akismet is optional.
	Akismet Akismet
	// Mails writes notification emails; nil sends none.
	Mails Mails
	// ReportMails writes the emails of notices and decisions (report.go);
	// nil sends none.
	ReportMails ReportMails
	// Moderators returns the addresses of the people who moderate.
	Moderators func(ctx context.Context) ([]string, error)
	// Audit records the back office's exports of a commenter's data;
	// without it, exports are refused.
	Audit audit.Recorder
	Log   *slog.Logger
}

// Service is the readers' side of comments: posting, and reading threads.
type Service struct {
	Deps
}

// NewService returns a Service on d.
func NewService(d Deps) *Service {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Service{Deps: d}
}

// Limits on the author fields, in characters.
const (
	MaxNameLen  = 100
	MaxEmailLen = 254
	MaxURLLen   = 500
)

// NewComment is what a reader posted through the form, with what the
// server knows of the request.
type NewComment struct {
	ArticleID int64
	// ParentID is the comment answered, 0 for a new thread.
	ParentID int64
	Name     string
	Email    string
	URL      string
	Text     string
	// Consent is the box agreeing to the storage of these data.
	Consent bool
	// NotifyReplies asks for an email when someone answers.
	NotifyReplies bool
	// Honeypot is the field hidden from people; Stamp the signed time the
	// form was shown.
	Honeypot, Stamp string
	IP              string
	Port            int
	UserAgent       string
	Referrer        string
}

// Stamp returns the signed time to put in the form of an article's comments.
func (s *Service) Stamp(articleID int64) string {
	return s.Stamper.Stamp(articleID, s.Clock.Now())
}

// PageStamp is the stamp written in an article page: the time rounded
// down to the minute, so that a page rendered at every request (page
// cache off) keeps one ETag for a minute and browsers revalidate it. The
// minimum time between form and post loses at most that minute; the form's
// script asks for an exact Stamp as soon as the reader starts writing.
func (s *Service) PageStamp(articleID int64) string {
	return s.Stamper.Stamp(articleID, s.Clock.Now().Truncate(time.Minute))
}

// KeepStamp returns the stamp to put back in a form shown again after a
// refused post: the posted one while it is genuine and fresh, so that the
// minimum time still counts from when the reader first saw the form (a
// reader fixing their email in two seconds is not a bot), else a new one.
func (s *Service) KeepStamp(articleID int64, posted string) string {
	if posted != "" {
		if _, err := s.Stamper.Check(posted, articleID, s.Clock.Now()); err == nil {
			return posted
		}
	}
	return s.PageStamp(articleID)
}

// Rules turns the newsroom's comment policy into the spam scorer's rules.
func Rules(p settings.CommentPolicy) spam.Rules {
	r := spam.DefaultRules()
	r.MaxLinks = p.MaxLinks
	r.BannedWords, r.SpamWords = p.HoldWords, p.BannedWords
	r.SpamAddresses = p.BannedAddresses
	if p.MinLength > 0 {
		r.MinLength = p.MinLength
	}
	if p.MaxLength > 0 {
		r.MaxLength = p.MaxLength
	}
	return r
}

// Post checks a reader's comment and stores it where the policy and the
// spam defences say: published, in the moderation queue, or in the spam
// folder. What the reader must fix (a missing name, a text too long, a
// closed discussion, too many comments at once) comes back as an apperr
// error naming the field, and nothing is stored.
func (s *Service) Post(ctx context.Context, in NewComment) (*Comment, error) {
	now := s.Clock.Now()
	st := s.Settings()
	policy := st.CommentPolicy
	rules := Rules(policy)
	in.Name, in.Email, in.URL = strings.TrimSpace(in.Name), strings.ToLower(strings.TrimSpace(in.Email)), strings.TrimSpace(in.URL)
	in.Text = strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
	if err := validate(in, rules); err != nil {
		return nil, err
	}

	t, err := s.Articles.CommentTarget(ctx, in.ArticleID)
	if err != nil || !t.Visible {
		if err == nil || apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.NotFound, "error.comment.no_article")
		}
		return nil, fmt.Errorf("post comment: %w", err)
	}
	if Closed(policy, t.Open, t.PublishedAt, now) {
		return nil, apperr.New(apperr.Forbidden, "error.comment.closed")
	}
	if in.ParentID != 0 {
		p, err := s.Store.Comment(ctx, in.ParentID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, fmt.Errorf("post comment: %w", err)
		}
		if err != nil || p.ArticleID != in.ArticleID || p.Status != StatusApproved {
			return nil, apperr.New(apperr.Invalid, "error.comment.bad_parent").InField("parent")
		}
	}

	address, network, err := spam.RateKeys(in.IP)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "error.comment.bad_request")
	}
	act, err := s.Store.RecentActivity(ctx, spam.Fingerprint(in.Text), now.Add(-spam.RepeatWindow), address, network, now.Add(-spam.RateWindow))
	if err != nil {
		return nil, fmt.Errorf("post comment: %w", err)
	}
	if err := spam.CheckRate(act.FromAddress, act.FromNetwork, rules); err != nil {
		return nil, apperr.Wrap(err, apperr.Throttled, "error.comment.too_many")
	}

	text, err := textproc.RenderComment(in.Text, st.Style())
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) {
			return nil, ae.InField("text")
		}
		return nil, fmt.Errorf("post comment: %w", err)
	}
	c := &Comment{ArticleID: in.ArticleID, ParentID: in.ParentID, AuthorName: in.Name, AuthorEmail: in.Email,
		AuthorURL: in.URL, Body: in.Text, BodyHTML: text.HTML, NotifyReplies: in.NotifyReplies, CreatedAt: now, IP: in.IP}

	elapsed, stampErr := s.Stamper.Check(in.Stamp, in.ArticleID, now)
	links := text.Links
	if in.URL != "" {
		links = append(links[:len(links):len(links)], in.URL)
	}
	tokens := spam.Tokens(in.Text, links)
	totals, counts, err := s.Store.SpamCounts(ctx, tokens)
	if err != nil {
		return nil, fmt.Errorf("post comment: %w", err)
	}
	var akismet *bool
	if s.Akismet != nil {
		if yes, err := s.Akismet.IsSpam(ctx, c, t, in.UserAgent, in.Referrer); err != nil {
			// The other defences still stand: note it and go on.
			s.Log.Warn("akismet check failed", "error", err)
		} else {
			akismet = &yes
		}
	}
	v := spam.Check(spam.Input{Text: in.Text, Links: text.Links, AuthorName: in.Name, Email: in.Email, URL: in.URL, IP: in.IP,
		Honeypot: in.Honeypot, Elapsed: elapsed, StampErr: stampErr, RecentSame: act.SameText,
		RecentFromAddress: act.FromAddress, RecentFromNetwork: act.FromNetwork,
		Bayes: spam.Probability(totals, counts, tokens), Akismet: akismet}, rules)
	c.Score = v.Score
	for _, r := range v.Reasons {
		c.Reasons = append(c.Reasons, string(r.Code))
	}
	verdict := Clean
	switch v.Decision {
	case spam.Spam:
		verdict = Spam
	case spam.Hold:
		verdict = Suspect
	}
	known := false
	if verdict == Clean && policy.Moderation == settings.ModerateFirstTime {
		if known, err = s.Store.KnownCommenter(ctx, in.Email); err != nil {
			return nil, fmt.Errorf("post comment: %w", err)
		}
	}
	c.Status = Decide(policy.Moderation, verdict, known, false)
	err = s.Store.CreateComment(ctx, c, LogEntry{Operation: OpCreate, IP: in.IP, Port: in.Port, Address: address, Network: network, At: now},
		s.notifyOnCreate(policy.Notify))
	if err != nil {
		return nil, fmt.Errorf("post comment: %w", err)
	}
	return c, nil
}

// validate checks the fields a reader fills, and reports every one at
// fault.
func validate(in NewComment, r spam.Rules) error {
	var errs []error
	bad := func(field, key string, args ...any) {
		errs = append(errs, apperr.New(apperr.Invalid, key, args...).InField(field))
	}
	switch {
	case in.Name == "":
		bad("name", "error.comment.name_required")
	case utf8.RuneCountInString(in.Name) > MaxNameLen || !utf8.ValidString(in.Name):
		bad("name", "error.comment.name_too_long", MaxNameLen)
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > MaxEmailLen {
		bad("email", "error.comment.bad_email")
	}
	if in.URL != "" && !validSite(in.URL) {
		bad("url", "error.comment.bad_url")
	}
	switch err := spam.CheckLength(in.Text, r); {
	case errors.Is(err, spam.ErrEmpty):
		bad("text", "error.comment.empty")
	case errors.Is(err, spam.ErrTooShort):
		bad("text", "error.comment.too_short", r.MinLength)
	case errors.Is(err, spam.ErrTooLong):
		bad("text", "error.comment.too_long", r.MaxLength)
	}
	if !in.Consent {
		bad("consent", "error.comment.consent_required")
	}
	return errors.Join(errs...)
}

// validSite accepts an absolute http or https address without credentials.
func validSite(raw string) bool {
	if len(raw) > MaxURLLen || strings.ContainsAny(raw, " \t\n\r\"<>\\") {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Hostname() != "" && u.User == nil
}

// PurgeLog erases the legal log's entries older than LogRetention: the
// law asks to keep them a year, and nothing justifies keeping them longer.
// A daily job calls it.
func (s *Service) PurgeLog(ctx context.Context) (int64, error) {
	n, err := s.Store.PurgeLog(ctx, s.Clock.Now().Add(-LogRetention))
	if err != nil {
		return 0, fmt.Errorf("purge the comment log: %w", err)
	}
	return n, nil
}

// Import stores a comment that already exists elsewhere (a WordPress
// export, the demo) with its own status, date and author: the spam
// defences and the policy do not apply, but the text is rendered and
// checked as a reader's would be, and parent must be a comment of the
// same article. The log entry keeps the address it came from, if known.
func (s *Service) Import(ctx context.Context, c *Comment, ip string) error {
	if !c.Status.Valid() || c.CreatedAt.IsZero() || strings.TrimSpace(c.AuthorName) == "" {
		return apperr.New(apperr.Invalid, "error.comment.bad_import")
	}
	if c.ParentID != 0 {
		p, err := s.Store.Comment(ctx, c.ParentID)
		if err != nil || p.ArticleID != c.ArticleID {
			return apperr.New(apperr.Invalid, "error.comment.bad_parent").InField("parent")
		}
	}
	text, err := textproc.RenderComment(c.Body, s.Settings().Style())
	if err != nil {
		return fmt.Errorf("import comment: %w", err)
	}
	c.BodyHTML = text.HTML
	c.AuthorEmail = strings.ToLower(strings.TrimSpace(c.AuthorEmail))
	log := LogEntry{Operation: OpCreate, IP: ip, At: c.CreatedAt}
	if ip != "" {
		if log.Address, log.Network, err = spam.RateKeys(ip); err != nil {
			return apperr.Wrap(err, apperr.Invalid, "error.comment.bad_import")
		}
	}
	if err := s.Store.CreateComment(ctx, c, log); err != nil {
		return fmt.Errorf("import comment: %w", err)
	}
	return nil
}
