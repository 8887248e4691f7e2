package redirects

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kiosque/kiosque/internal/access"
	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/clock"
)

// Store keeps the redirects. Implementations return apperr errors:
// NotFound when a finder or a write matches nothing, Conflict when two
// redirects would share a Key, Internal otherwise.
type Store interface {
	// Redirect returns one redirect.
	Redirect(ctx context.Context, id int64) (*Redirect, error)
	// Redirects returns the page of redirects matching f, by From, and
	// how many match.
	Redirects(ctx context.Context, f Filter) ([]*Redirect, int, error)
	// AllRedirects returns every redirect, by From.
	AllRedirects(ctx context.Context) ([]*Redirect, error)
	// SaveRedirect inserts r when its ID is 0 (and sets it) or updates its
	// From, Key, To and Code; in the same transaction it points the
	// redirects listed in repoint at r.To, and records e.
	SaveRedirect(ctx context.Context, r *Redirect, repoint []int64, e *audit.Entry) error
	// DeleteRedirect removes a redirect and records e.
	DeleteRedirect(ctx context.Context, id int64, e *audit.Entry) error
	// ImportRedirects inserts rs, or updates the To, Code and Source of
	// those whose Key is already in the table, in one transaction, and
	// records e.
	ImportRedirects(ctx context.Context, rs []*Redirect, e *audit.Entry) error
	// AddHits adds counted uses; it sends no change notice, as no page
	// shows them.
	AddHits(ctx context.Context, hits []Hit) error
}

// The audit log's actions on redirects.
const (
	ActionSave   = "redirect_save"
	ActionDelete = "redirect_delete"
	ActionImport = "redirect_import"
)

// Bounds of a redirect's addresses.
const maxAddr = 2000

// Input is a redirect as the back office submits it.
type Input struct {
	From string
	To   string
	// Code is 0 for Permanent.
	Code int
}

// Service keeps the table of redirects and answers the public site's
// lookups from memory.
type Service struct {
	store Store
	clock clock.Clock
	log   *slog.Logger

	// table is the whole table by Key, nil once a change made it stale;
	// gen counts the changes, so that a load that raced with one is used
	// once but not kept.
	table  atomic.Pointer[map[string]*Redirect]
	gen    atomic.Uint64
	loadMu sync.Mutex

	hitsMu sync.Mutex
	hits   map[int64]*Hit
}

// NewService returns a service over store.
func NewService(store Store, c clock.Clock, log *slog.Logger) *Service {
	if c == nil {
		c = clock.System{}
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, clock: c, log: log, hits: map[int64]*Hit{}}
}

// Invalidate drops the table held in memory: the next lookup loads it
// again. The app calls it on every change notice about redirects.
func (s *Service) Invalidate() {
	s.gen.Add(1)
	s.table.Store(nil)
}

// current returns the table, loading it when a change made it stale.
func (s *Service) current(ctx context.Context) (map[string]*Redirect, error) {
	if t := s.table.Load(); t != nil {
		return *t, nil
	}
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	if t := s.table.Load(); t != nil {
		return *t, nil
	}
	g := s.gen.Load()
	all, err := s.store.AllRedirects(ctx)
	if err != nil {
		return nil, fmt.Errorf("load redirects: %w", err)
	}
	t := make(map[string]*Redirect, len(all))
	for _, r := range all {
		t[r.Key] = r
	}
	if s.gen.Load() == g {
		s.table.CompareAndSwap(nil, &t)
	}
	return t, nil
}

// Lookup returns the redirect answering a request for path (decoded, as
// in URL.Path) with query, and counts the use. A WordPress query address
// ("/?p=12") is tried before the path. ok is false when none answers; the
// table is in memory, so a miss costs no query.
func (s *Service) Lookup(ctx context.Context, path string, query url.Values) (r Redirect, ok bool, err error) {
	t, err := s.current(ctx)
	if err != nil {
		return Redirect{}, false, err
	}
	for _, k := range requestKeys(path, query) {
		if r, ok := t[k]; ok {
			s.hit(r.ID)
			return *r, true, nil
		}
	}
	return Redirect{}, false, nil
}

func (s *Service) hit(id int64) {
	now := s.clock.Now()
	s.hitsMu.Lock()
	defer s.hitsMu.Unlock()
	h := s.hits[id]
	if h == nil {
		h = &Hit{ID: id}
		s.hits[id] = h
	}
	h.Count++
	h.Last = now
}

// FlushHits writes the uses counted since the last flush, in one
// transaction; on failure they are counted again for the next one.
func (s *Service) FlushHits(ctx context.Context) error {
	s.hitsMu.Lock()
	pending := s.hits
	s.hits = map[int64]*Hit{}
	s.hitsMu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	batch := make([]Hit, 0, len(pending))
	for _, h := range pending {
		batch = append(batch, *h)
	}
	if err := s.store.AddHits(ctx, batch); err != nil {
		s.hitsMu.Lock()
		for _, h := range batch {
			cur := s.hits[h.ID]
			if cur == nil {
				s.hits[h.ID] = &h
				continue
			}
			cur.Count += h.Count
			if h.Last.After(cur.Last) {
				cur.Last = h.Last
			}
		}
		s.hitsMu.Unlock()
		return err
	}
	return nil
}

// Run flushes the counted uses every interval until ctx ends, then once
// more: one write per interval, however many readers follow old links.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := s.FlushHits(fctx); err != nil {
				s.log.Warn("flush redirect hits", "error", err)
			}
			return
		case <-t.C:
			if err := s.FlushHits(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("flush redirect hits", "error", err)
			}
		}
	}
}

// validate normalises in into r and checks it; the errors name the form
// field at fault.
func validate(in Input) (*Redirect, error) {
	r := &Redirect{From: strings.TrimSpace(in.From), To: strings.TrimSpace(in.To), Code: in.Code}
	if r.Code == 0 {
		r.Code = Permanent
	}
	var errs []error
	switch key, ok := KeyOf(r.From); {
	case r.From == "":
		errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.from_required").InField("from"))
	case len(r.From) > maxAddr || !ok || strings.ContainsFunc(r.From, isSpaceOrControl):
		if !ok && strings.HasPrefix(r.From, "/") && strings.Contains(r.From, "?") {
			errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.from_query").InField("from"))
		} else {
			errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.from_invalid").InField("from"))
		}
	case isReserved(key):
		errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.from_reserved").InField("from"))
	case key == "/":
		// The home page is always a real page, which wins.
		errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.from_home").InField("from"))
	default:
		r.Key = key
	}
	switch {
	case r.To == "":
		errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.to_required").InField("to"))
	case len(r.To) > maxAddr || !validTo(r.To):
		errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.to_invalid").InField("to"))
	case r.Key != "":
		if k, ok := KeyOf(r.To); ok && k == r.Key {
			errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.loop").InField("to"))
		}
	}
	if r.Code != Permanent && r.Code != Temporary {
		errs = append(errs, apperr.New(apperr.Invalid, "error.redirect.code").InField("code"))
	}
	return r, errors.Join(errs...)
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// resolve follows r.To through the table (no chains: a reader gets one
// redirect, not two) and lists the redirects pointing at r.From, which
// will point at r.To instead.
func resolve(t map[string]*Redirect, r *Redirect) (repoint []int64, err error) {
	for range len(t) + 1 {
		k, ok := KeyOf(r.To)
		if !ok {
			break
		}
		next, ok := t[k]
		if !ok || next.ID == r.ID {
			break
		}
		r.To = next.To
		if k2, ok := KeyOf(r.To); ok && k2 == r.Key {
			return nil, apperr.New(apperr.Invalid, "error.redirect.loop").InField("to")
		}
	}
	for _, o := range t {
		if o.ID == r.ID {
			continue
		}
		if k, ok := KeyOf(o.To); ok && k == r.Key {
			repoint = append(repoint, o.ID)
		}
	}
	return repoint, nil
}

// Save adds a redirect (id 0) or changes one. A To that is the From of
// another redirect is followed to that one's To, and the redirects that
// pointed at this From now point at this To, so no reader is redirected
// twice. Errors: Forbidden for an actor who may not manage settings;
// Invalid (with the field at fault) for a bad address, a loop or a code
// other than 301 or 302; Conflict when another redirect has the same
// From; NotFound for an unknown id.
func (s *Service) Save(ctx context.Context, actor access.Actor, id int64, in Input) (*Redirect, error) {
	if !actor.Can(access.ManageSettings) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	r, err := validate(in)
	if err != nil {
		return nil, err
	}
	r.ID, r.Source, r.CreatedAt = id, SourceManual, s.clock.Now()
	summary := r.From + " → " + r.To
	if id != 0 {
		old, err := s.store.Redirect(ctx, id)
		if err != nil {
			return nil, err
		}
		r.Source, r.CreatedAt, r.Hits, r.LastHitAt = old.Source, old.CreatedAt, old.Hits, old.LastHitAt
		if old.From != r.From || old.To != r.To {
			summary = old.From + " → " + old.To + " ⇒ " + summary
		}
	}
	t, err := s.current(ctx)
	if err != nil {
		return nil, err
	}
	if o, ok := t[r.Key]; ok && o.ID != id {
		return nil, apperr.New(apperr.Conflict, "error.redirect.duplicate", o.From).InField("from")
	}
	repoint, err := resolve(t, r)
	if err != nil {
		return nil, err
	}
	e := &audit.Entry{At: s.clock.Now(), UserID: actor.UserID, UserName: actor.Name, Action: ActionSave,
		TargetType: "redirect", TargetID: id, Summary: summary + " (" + strconv.Itoa(r.Code) + ")", IP: actor.IP}
	if err := s.store.SaveRedirect(ctx, r, repoint, e); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			return nil, apperr.Wrap(err, apperr.Conflict, "error.redirect.duplicate", r.From).InField("from")
		}
		return nil, err
	}
	return r, nil
}

// Delete removes a redirect. Errors: Forbidden, NotFound.
func (s *Service) Delete(ctx context.Context, actor access.Actor, id int64) error {
	if !actor.Can(access.ManageSettings) {
		return apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	r, err := s.store.Redirect(ctx, id)
	if err != nil {
		return err
	}
	return s.store.DeleteRedirect(ctx, id, &audit.Entry{At: s.clock.Now(), UserID: actor.UserID, UserName: actor.Name,
		Action: ActionDelete, TargetType: "redirect", TargetID: id, Summary: r.From + " → " + r.To, IP: actor.IP})
}

// Redirect returns one redirect. Errors: Forbidden, NotFound.
func (s *Service) Redirect(ctx context.Context, actor access.Actor, id int64) (*Redirect, error) {
	if !actor.Can(access.ManageSettings) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	return s.store.Redirect(ctx, id)
}

// List returns a page of the redirects matching f, and how many match.
// Errors: Forbidden.
func (s *Service) List(ctx context.Context, actor access.Actor, f Filter) ([]*Redirect, int, error) {
	if !actor.Can(access.ManageSettings) {
		return nil, 0, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	f.Search = strings.TrimSpace(f.Search)
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	f.Offset = max(f.Offset, 0)
	return s.store.Redirects(ctx, f)
}

// All returns every redirect, by From (the CSV export). Errors: Forbidden.
func (s *Service) All(ctx context.Context, actor access.Actor) ([]*Redirect, error) {
	if !actor.Can(access.ManageSettings) {
		return nil, apperr.New(apperr.Forbidden, "error.forbidden.text")
	}
	return s.store.AllRedirects(ctx)
}

// Import stores the redirects of an import (the WordPress one) in one
// transaction: a From already in the table gets the new To, so running
// the same import again changes nothing. An invalid item is refused with
// its position and From (Invalid), and nothing is written. Source
// defaults to SourceWordPress.
func (s *Service) Import(ctx context.Context, in []Redirect) error {
	if len(in) == 0 {
		return nil
	}
	now := s.clock.Now()
	batch, err := Prepare(in, now)
	if err != nil {
		return err
	}
	return s.store.ImportRedirects(ctx, batch, &audit.Entry{At: now, UserName: access.System.Name, Action: ActionImport,
		TargetType: "redirect", Summary: strconv.Itoa(len(batch))})
}

// Prepare validates redirects brought by an import and returns them ready
// to store (Key set, CreatedAt now, Source SourceWordPress unless given),
// the last of two with one Key winning, as a second run would. An import
// that writes its redirects in its own transactions calls it, then
// Invalidate once they are stored.
func Prepare(in []Redirect, now time.Time) ([]*Redirect, error) {
	batch := make([]*Redirect, 0, len(in))
	seen := make(map[string]int, len(in))
	for i, x := range in {
		r, err := validate(Input{From: x.From, To: x.To, Code: x.Code})
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "error.redirect.import_item", i+1, x.From)
		}
		r.Source, r.CreatedAt = x.Source, now
		if r.Source == "" {
			r.Source = SourceWordPress
		}
		if j, ok := seen[r.Key]; ok {
			batch[j] = r // the last one wins, as a second run would
			continue
		}
		seen[r.Key] = len(batch)
		batch = append(batch, r)
	}
	return batch, nil
}
