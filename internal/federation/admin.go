package federation

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/idna"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/federation/vocab"
)

// The back office's actions on the fediverse, as the audit log names them.
const (
	ActionFollowerApprove = "fediverse_follower_approve"
	ActionFollowerReject  = "fediverse_follower_reject"
	ActionFollowerRemove  = "fediverse_follower_remove"
	// ActionBlockActor and ActionBlockDomain block an account or a whole
	// instance; ActionUnblock lifts either.
	ActionBlockActor  = "fediverse_block_actor"
	ActionBlockDomain = "fediverse_block_domain"
	ActionUnblock     = "fediverse_unblock"
)

// The audit log's target types of those actions.
const (
	auditFollower = "fediverse_follower"
	auditBlock    = "fediverse_block"
)

// managePermission guards the fediverse's back office: who follows the
// newsroom, and whom it blocks, are the site settings' business.
const managePermission = access.ManageSettings

func errForbidden() error { return apperr.New(apperr.Forbidden, "error.forbidden.text") }

// entry is the audit entry of actor doing action on a target.
func (s *Service) entry(actor access.Actor, action, targetType string, targetID int64, summary string) *audit.Entry {
	return &audit.Entry{At: s.d.Clock.Now(), UserID: actor.UserID, UserName: actor.Name, Action: action,
		TargetType: targetType, TargetID: targetID, Summary: summary, IP: actor.IP}
}

// ListFollowers returns the page of followers q selects, newest first,
// and how many q selects, for the back office. (Followers is the
// collection the fediverse reads.) Errors: Forbidden unless actor may
// manage the settings.
func (s *Service) ListFollowers(ctx context.Context, actor access.Actor, q FollowerQuery) ([]*Follower, int, error) {
	if !actor.Can(managePermission) {
		return nil, 0, errForbidden()
	}
	q.Search = strings.ToLower(strings.TrimSpace(q.Search))
	return s.d.Store.Followers(ctx, q)
}

// ApproveFollower accepts a follow request held because the account is
// locked: the follower starts receiving the articles, and its server is
// sent the Accept, in the same transaction as the change and its audit
// entry. Errors: Forbidden; NotFound; Conflict when the request was
// answered already.
func (s *Service) ApproveFollower(ctx context.Context, actor access.Actor, id int64) error {
	return s.answerPending(ctx, actor, id, true)
}

// RejectFollower refuses a follow request held for approval: the request
// is deleted and its server is sent the Reject. Errors: as
// ApproveFollower.
func (s *Service) RejectFollower(ctx context.Context, actor access.Actor, id int64) error {
	return s.answerPending(ctx, actor, id, false)
}

func (s *Service) answerPending(ctx context.Context, actor access.Actor, id int64, accept bool) error {
	if !actor.Can(managePermission) {
		return errForbidden()
	}
	f, err := s.d.Store.Follower(ctx, id)
	if err != nil {
		return err
	}
	if f.State != FollowPending {
		return apperr.New(apperr.Conflict, "error.fediverse.not_pending")
	}
	follow, err := vocab.ParseActivity(f.FollowJSON)
	if err != nil {
		return fmt.Errorf("answer the follow of %s: %w", f.ActorID, err)
	}
	send, err := s.answerFollow(f, follow, accept)
	if err != nil {
		return fmt.Errorf("answer the follow of %s: %w", f.ActorID, err)
	}
	state, action := FollowAccepted, ActionFollowerApprove
	if !accept {
		state, action = "", ActionFollowerReject
	}
	return s.setFollowerState(ctx, f, state, send, s.entry(actor, action, auditFollower, f.ID, followerLabel(f)))
}

// RemoveFollower stops sending the articles to a follower. Its server is
// sent a Reject of its Follow, as Mastodon does when an account removes a
// follower, so that the account no longer shows as following; the
// removal and its audit entry are one transaction. Errors: Forbidden;
// NotFound.
func (s *Service) RemoveFollower(ctx context.Context, actor access.Actor, id int64) error {
	if !actor.Can(managePermission) {
		return errForbidden()
	}
	f, err := s.d.Store.Follower(ctx, id)
	if err != nil {
		return err
	}
	var send *Send
	// A Follow that cannot be read back (none was kept) still lets the
	// follower go; its server is then told nothing.
	if follow, err := vocab.ParseActivity(f.FollowJSON); err == nil && f.Inbox != "" {
		if send, err = s.answerFollow(f, follow, false); err != nil {
			send = nil
		}
	}
	return s.setFollowerState(ctx, f, "", send, s.entry(actor, ActionFollowerRemove, auditFollower, f.ID, followerLabel(f)))
}

// setFollowerState stores the follower's new state with send and e. An
// answer the site already sent (the same Follow, answered the same way
// before) is a Conflict of the activity's id: the state still changes,
// and nothing is sent twice.
func (s *Service) setFollowerState(ctx context.Context, f *Follower, state FollowState, send *Send, e *audit.Entry) error {
	err := s.d.Store.SetFollowerState(ctx, f.ID, state, send, e)
	if send != nil && apperr.Is(err, apperr.Conflict) {
		err = s.d.Store.SetFollowerState(ctx, f.ID, state, nil, e)
	}
	return err
}

// followerLabel names a follower in the audit log.
func followerLabel(f *Follower) string { return cmpOr(f.Handle, f.ActorID) }

// Blocks returns every block, newest first. Errors: Forbidden.
func (s *Service) Blocks(ctx context.Context, actor access.Actor) ([]Block, error) {
	if !actor.Can(managePermission) {
		return nil, errForbidden()
	}
	return s.d.Store.Blocks(ctx)
}

// Block blocks an account (kind BlockActor, value its actor URL) or a
// whole instance (BlockDomain, value its host, which may be typed as an
// address or a handle "@user@host"): its activities are dropped, it
// receives nothing, and the followers it covers are removed, in the same
// transaction as the audit entry. Errors: Forbidden; Invalid, on the
// field "value" (or "kind"), for what names no account or instance;
// Conflict when it is blocked already.
func (s *Service) Block(ctx context.Context, actor access.Actor, kind BlockKind, value string) (Block, error) {
	if !actor.Can(managePermission) {
		return Block{}, errForbidden()
	}
	v, err := NormalizeBlock(kind, value)
	if err != nil {
		return Block{}, err
	}
	if own, host := hostname(s.Host()), hostname(v); kind == BlockDomain && (host == own || hasSuffixDomain(own, host)) {
		return Block{}, apperr.New(apperr.Invalid, "error.fediverse.block_own").InField("value")
	}
	b := Block{Kind: kind, Value: v, CreatedAt: s.d.Clock.Now()}
	action := ActionBlockDomain
	if kind == BlockActor {
		action = ActionBlockActor
	}
	defer s.forgetBlocks()
	if err := s.d.Store.SaveBlock(ctx, b, s.entry(actor, action, auditBlock, 0, v)); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return Block{}, apperr.Wrap(err, apperr.Conflict, "error.fediverse.block_exists").InField("value")
		}
		return Block{}, err
	}
	return b, nil
}

// Unblock lifts a block. Errors: Forbidden; Invalid for a value that is
// no block's; NotFound when there is no such block.
func (s *Service) Unblock(ctx context.Context, actor access.Actor, kind BlockKind, value string) error {
	if !actor.Can(managePermission) {
		return errForbidden()
	}
	v, err := NormalizeBlock(kind, value)
	if err != nil {
		return err
	}
	defer s.forgetBlocks()
	return s.d.Store.DeleteBlock(ctx, kind, v, s.entry(actor, ActionUnblock, auditBlock, 0, v))
}

// NormalizeBlock returns the value a block of kind stores for what was
// typed: an actor URL as it is (an absolute http or https address), a
// domain lower-cased and in its ASCII form, without scheme, path, or the
// user of a handle ("@claire@Mastodon.Social" blocks mastodon.social).
// What names no account or instance is Invalid, on the field "value".
func NormalizeBlock(kind BlockKind, value string) (string, error) {
	value = strings.TrimSpace(value)
	switch kind {
	case BlockActor:
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			return "", apperr.New(apperr.Invalid, "error.fediverse.block_actor").InField("value")
		}
		return value, nil
	case BlockDomain:
		host, ok := domainOf(value)
		if !ok {
			return "", apperr.New(apperr.Invalid, "error.fediverse.block_domain").InField("value")
		}
		return host, nil
	}
	return "", apperr.New(apperr.Invalid, "error.fediverse.block_kind").InField("kind")
}

// domainOf returns the host that v names, typed as a host, an address or
// a handle, false when it names none.
func domainOf(v string) (string, bool) {
	v = strings.ToLower(v)
	if i := strings.Index(v, "://"); i >= 0 {
		v = v[i+3:]
	}
	if i := strings.IndexAny(v, "/?#"); i >= 0 {
		v = v[:i]
	}
	if i := strings.LastIndex(v, "@"); i >= 0 {
		v = v[i+1:]
	}
	v = strings.TrimSuffix(v, ".")
	host, port := v, ""
	if i := strings.LastIndex(v, ":"); i >= 0 {
		host, port = v[:i], v[i+1:]
		if port == "" || strings.Trim(port, "0123456789") != "" {
			return "", false
		}
	}
	host, err := idna.Lookup.ToASCII(host)
	if err != nil || !strings.Contains(host, ".") || strings.HasPrefix(host, ".") {
		return "", false
	}
	if strings.ContainsFunc(host, notHostRune) {
		return "", false
	}
	if port != "" {
		host += ":" + port
	}
	return host, true
}

// notHostRune reports whether r may not appear in an ASCII host name.
func notHostRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.':
		return false
	}
	return true
}

// hostname is a host without its port.
func hostname(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

// Reactions returns the likes and boosts of the articles ids, for the
// back office. Errors: Forbidden.
func (s *Service) Reactions(ctx context.Context, actor access.Actor, ids []int64) (map[int64]Reactions, error) {
	if !actor.Can(managePermission) {
		return nil, errForbidden()
	}
	return s.d.Store.ReactionCounts(ctx, ids)
}

// Handle is the publication's fediverse address, "@username@host".
func (s *Service) Handle() string {
	return "@" + s.Config().Username + "@" + s.Host()
}
