package wpimport

import (
	"context"
	"fmt"
	"html"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/textproc"
	"github.com/kiosque/kiosque/internal/users"
	"github.com/kiosque/kiosque/internal/wxr"
)

// importAuthors finds or creates the staff account of each author: the
// one an earlier run made, else the account with the author's email,
// else a new contributor without a password. Authors already done are
// passed over, so the call can be repeated for late ones.
func (r *run) importAuthors(ctx context.Context, authors []wxr.Author) error {
	if r.authors == nil {
		r.authors, r.authorIDs = map[string]int64{}, map[int64]int64{}
	}
	var known map[int64]*users.User
	for i := range authors {
		a := &authors[i]
		if _, done := r.authors[a.Login]; done {
			continue
		}
		if known == nil {
			list, err := r.im.d.Users.List(ctx)
			if err != nil {
				return fmt.Errorf("list accounts: %w", err)
			}
			known = make(map[int64]*users.User, len(list))
			for _, u := range list {
				known[u.ID] = u
			}
		}
		ref := headerRef("wp:author", a.Line, a.ID, a.Login)
		id, err := r.author(ctx, a, known)
		if err != nil {
			if apperr.Is(err, apperr.Internal) || apperr.Is(err, apperr.Unavailable) {
				return fmt.Errorf("%s: %w", ref, err)
			}
			if err := r.fail(ref, r.describe(err)); err != nil {
				return err
			}
			r.authors[a.Login] = 0
			continue
		}
		r.authors[a.Login] = id
		if a.ID != 0 {
			r.authorIDs[a.ID] = id
		}
	}
	return nil
}

// author returns the local account of a, creating it when needed.
func (r *run) author(ctx context.Context, a *wxr.Author, known map[int64]*users.User) (int64, error) {
	key := Key{KindAuthor, a.Login}
	if id, ok := r.mapping[key]; ok && known[id] != nil {
		r.rep.Authors.Unchanged++
		return id, nil
	}
	email := authorEmail(a)
	for _, u := range known {
		if strings.EqualFold(u.Email, email) {
			r.rep.Authors.Matched++
			return u.ID, r.remember(ctx, key, u.ID)
		}
	}
	name := authorName(a)
	if r.opts.DryRun {
		if _, err := users.NormalizeEmail(email); err != nil {
			return 0, err
		}
		r.rep.Authors.Created++
		return 0, nil
	}
	u, err := r.im.d.Users.CreateImported(ctx, email, name, "")
	if err != nil {
		return 0, err
	}
	known[u.ID] = u
	r.rep.Authors.Created++
	if strings.HasSuffix(email, invalidDomain) {
		r.rep.note(fmt.Sprintf("author %q", a.Login), "no usable email in the export: the account was given "+email+", to change before sending it a password link")
	}
	return u.ID, r.remember(ctx, key, u.ID)
}

// remember records a mapping, outside a dry run.
func (r *run) remember(ctx context.Context, k Key, id int64) error {
	r.mapping[k] = id
	if r.opts.DryRun {
		return nil
	}
	if err := r.im.d.Store.SaveMapping(ctx, r.source, k, id); err != nil {
		return fmt.Errorf("record the import of %s %s: %w", k.Kind, k.Key, err)
	}
	return nil
}

// invalidDomain is the reserved domain (RFC 2606) of the addresses given
// to authors whose export has none: no mail is ever sent there.
const invalidDomain = "@wordpress.invalid"

// authorEmail returns a's email, or one on invalidDomain made from its
// login when the export has none that is usable.
func authorEmail(a *wxr.Author) string {
	if e, err := users.NormalizeEmail(a.Email); err == nil {
		return e
	}
	local := textproc.Slugify(a.Login)
	if local == "" {
		local = fmt.Sprintf("author-%d", a.ID)
	}
	return local + invalidDomain
}

// authorName returns the name a's articles are signed with: the display
// name, else the first and last names, else the login.
func authorName(a *wxr.Author) string {
	for _, n := range []string{a.DisplayName, strings.TrimSpace(a.FirstName + " " + a.LastName), a.Login} {
		if n = strings.TrimSpace(html.UnescapeString(n)); n != "" {
			return n
		}
	}
	return "?"
}

// authorOf returns the local account of an item's creator, importing an
// author the export did not list (WXR 1.0 has no wp:author).
func (r *run) authorOf(ctx context.Context, login string) (int64, error) {
	if login == "" {
		return 0, nil
	}
	if id, ok := r.authors[login]; ok {
		return id, nil
	}
	if err := r.importAuthors(ctx, []wxr.Author{{Login: login}}); err != nil {
		return 0, err
	}
	return r.authors[login], nil
}
