package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/media"
)

// MediaStore implements media.Store.
type MediaStore struct{ db *DB }

// NewMediaStore returns the media library store of db.
func NewMediaStore(db *DB) *MediaStore { return &MediaStore{db: db} }

var _ media.Store = (*MediaStore)(nil)

const mediaColumns = `m.id, m.sha256, m.filename, m.alt, m.caption, m.content_type, m.width, m.height, m.bytes,
	m.path, m.variants, COALESCE(m.user_id, 0), COALESCE(u.name, ''), m.created_at`

const mediaFrom = ` FROM media m LEFT JOIN users u ON u.id = m.user_id`

func scanMedia(r interface{ Scan(...any) error }) (*media.Item, error) {
	it := &media.Item{}
	var variants string
	var created dbTime
	if err := r.Scan(&it.ID, &it.SHA256, &it.Filename, &it.Alt, &it.Caption, &it.ContentType, &it.Width, &it.Height,
		&it.Bytes, &it.Path, &variants, &it.UserID, &it.UserName, &created); err != nil {
		return nil, err
	}
	it.CreatedAt = created.t
	if err := json.Unmarshal([]byte(variants), &it.Variants); err != nil {
		return nil, fmt.Errorf("media %d variants: %w", it.ID, err)
	}
	return it, nil
}

// CreateMedia implements media.Store.
func (s *MediaStore) CreateMedia(ctx context.Context, it *media.Item, e audit.Entry) error {
	variants, err := json.Marshal(it.Variants)
	if err != nil {
		return fmt.Errorf("create media: %w", err)
	}
	if it.Variants == nil {
		variants = []byte("[]")
	}
	var userID any
	if it.UserID != 0 {
		userID = it.UserID
	}
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO media (sha256, filename, alt, caption, content_type, width, height, bytes, path, variants, user_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			it.SHA256, it.Filename, it.Alt, it.Caption, it.ContentType, it.Width, it.Height, it.Bytes, it.Path, string(variants),
			userID, it.CreatedAt.UTC()).Scan(&it.ID)
		if err != nil {
			return normalize(fmt.Errorf("create media %q: %w", it.Path, err))
		}
		e.TargetID = it.ID
		return recordAudit(ctx, tx.q, &e)
	})
}

// Media implements media.Store.
func (s *MediaStore) Media(ctx context.Context, id int64) (*media.Item, error) {
	it, err := scanMedia(s.db.reader().queryRow(ctx, "SELECT "+mediaColumns+mediaFrom+" WHERE m.id = $1", id))
	if err != nil {
		return nil, normalize(fmt.Errorf("media %d: %w", id, err))
	}
	return it, nil
}

// MediaBySHA256 implements media.Store.
func (s *MediaStore) MediaBySHA256(ctx context.Context, sum string) (*media.Item, error) {
	it, err := scanMedia(s.db.reader().queryRow(ctx,
		"SELECT "+mediaColumns+mediaFrom+" WHERE m.sha256 = $1 ORDER BY m.id LIMIT 1", sum))
	if err != nil {
		return nil, normalize(fmt.Errorf("media by sha256: %w", err))
	}
	return it, nil
}

// MediaByPath implements media.Store. A variant's name is its original's
// name with "-{width}w" before the extension, so both are found through
// the index on path.
func (s *MediaStore) MediaByPath(ctx context.Context, p string) (*media.Item, error) {
	candidates := []string{p}
	if dot := strings.LastIndexByte(p, '.'); dot > 0 {
		if dash := strings.LastIndexByte(p[:dot], '-'); dash > 0 && strings.HasSuffix(p[:dot], "w") {
			candidates = append(candidates, p[:dash]+p[dot:])
		}
	}
	for _, c := range candidates {
		it, err := scanMedia(s.db.reader().queryRow(ctx, "SELECT "+mediaColumns+mediaFrom+" WHERE m.path = $1", c))
		if err == nil {
			if c == p {
				return it, nil
			}
			for _, v := range it.Variants {
				if v.Path == p {
					return it, nil
				}
			}
			continue
		}
		if err := normalize(err); !apperr.Is(err, apperr.NotFound) {
			return nil, fmt.Errorf("media by path %q: %w", p, err)
		}
	}
	return nil, normalize(fmt.Errorf("media by path %q: %w", p, sql.ErrNoRows))
}

// likePattern makes a LIKE pattern matching s anywhere, case-insensitively
// for ASCII, with its wildcards escaped.
func likePattern(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(s))
	return "%" + s + "%"
}

// ListMedia implements media.Store.
func (s *MediaStore) ListMedia(ctx context.Context, q media.Query) ([]*media.Item, int, error) {
	var where []string
	var args []any
	if q.Search != "" {
		args = append(args, likePattern(q.Search))
		where = append(where, fmt.Sprintf(`lower(m.filename || ' ' || m.alt || ' ' || m.caption) LIKE $%d ESCAPE '\'`, len(args)))
	}
	if q.MissingAlt {
		where = append(where, "m.alt = ''")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.db.reader().queryRow(ctx, "SELECT COUNT(*) FROM media m"+cond, args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count media: %w", err))
	}
	args = append(args, q.PerPage, (q.Page-1)*q.PerPage)
	rs, err := s.db.reader().query(ctx, "SELECT "+mediaColumns+mediaFrom+cond+
		fmt.Sprintf(" ORDER BY m.created_at DESC, m.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list media: %w", err))
	}
	defer rs.Close()
	var items []*media.Item
	for rs.Next() {
		it, err := scanMedia(rs)
		if err != nil {
			return nil, 0, fmt.Errorf("list media: %w", err)
		}
		items = append(items, it)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list media: %w", err))
	}
	return items, total, nil
}

// UpdateMedia implements media.Store.
func (s *MediaStore) UpdateMedia(ctx context.Context, id int64, alt, caption string) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE media SET alt = $1, caption = $2 WHERE id = $3", alt, caption, id)
		if err != nil {
			return normalize(fmt.Errorf("update media %d: %w", id, err))
		}
		if n == 0 {
			return normalize(fmt.Errorf("update media %d: %w", id, sql.ErrNoRows))
		}
		return nil
	})
}

// DeleteMedia implements media.Store.
func (s *MediaStore) DeleteMedia(ctx context.Context, id int64, e audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "DELETE FROM media WHERE id = $1", id)
		if err != nil {
			return normalize(fmt.Errorf("delete media %d: %w", id, err))
		}
		if n == 0 {
			return normalize(fmt.Errorf("delete media %d: %w", id, sql.ErrNoRows))
		}
		return recordAudit(ctx, tx.q, &e)
	})
}

// MediaUsage implements media.Store: articles not in the trash whose
// text or main image names the file (or one of its variants, which share
// its name up to the extension).
func (s *MediaStore) MediaUsage(ctx context.Context, p string) ([]media.Usage, error) {
	stem := p
	if dot := strings.LastIndexByte(p, '.'); dot > 0 {
		stem = p[:dot]
	}
	pattern := likePattern(media.URLPrefix + stem)
	rs, err := s.db.reader().query(ctx, `SELECT id, title FROM articles
		WHERE status <> 'trash' AND (lower(body) LIKE $1 ESCAPE '\' OR lower(image_url) LIKE $1 ESCAPE '\')
		ORDER BY updated_at DESC LIMIT 50`, pattern)
	if err != nil {
		return nil, normalize(fmt.Errorf("media usage %q: %w", p, err))
	}
	defer rs.Close()
	var out []media.Usage
	for rs.Next() {
		var u media.Usage
		if err := rs.Scan(&u.ArticleID, &u.Title); err != nil {
			return nil, fmt.Errorf("media usage %q: %w", p, err)
		}
		out = append(out, u)
	}
	return out, normalize(rs.Err())
}
