package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/kiosque/kiosque/internal/content"
)

// Categories implements content.Store.
func (s *ContentStore) Categories(ctx context.Context, now time.Time) ([]content.Category, error) {
	rs, err := s.db.reader().query(ctx, `SELECT c.id, c.slug, c.name, c.description, c.position, COUNT(a.id)
		FROM categories c
		LEFT JOIN article_categories ac ON ac.category_id = c.id
		LEFT JOIN articles a ON a.id = ac.article_id AND `+visibleCond+`$1
		GROUP BY c.id, c.slug, c.name, c.description, c.position
		ORDER BY c.position, c.name`, now.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("list categories: %w", err))
	}
	defer rs.Close()
	var out []content.Category
	for rs.Next() {
		var c content.Category
		if err := rs.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.Position, &c.Count); err != nil {
			return nil, normalize(fmt.Errorf("scan category: %w", err))
		}
		out = append(out, c)
	}
	return out, normalize(rs.Err())
}

// CategoryBySlug implements content.Store.
func (s *ContentStore) CategoryBySlug(ctx context.Context, slug string) (*content.Category, error) {
	var c content.Category
	err := s.db.reader().queryRow(ctx, "SELECT id, slug, name, description, position FROM categories WHERE slug = $1", slug).
		Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.Position)
	if err != nil {
		return nil, normalize(fmt.Errorf("category %q: %w", slug, err))
	}
	return &c, nil
}

// CreateCategory implements content.Store.
func (s *ContentStore) CreateCategory(ctx context.Context, c *content.Category) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO categories (slug, name, description, position, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.Slug, c.Name, c.Description, c.Position, time.Now().UTC()).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("insert category %q: %w", c.Slug, err)
		}
		tx.changed(Change{Entity: EntityTaxonomy})
		return nil
	})
}

// Tags implements content.Store.
func (s *ContentStore) Tags(ctx context.Context, now time.Time) ([]content.Tag, error) {
	rs, err := s.db.reader().query(ctx, `SELECT t.id, t.slug, t.name, COUNT(*)
		FROM tags t
		JOIN article_tags at ON at.tag_id = t.id
		JOIN articles a ON a.id = at.article_id
		WHERE `+visibleCond+`$1
		GROUP BY t.id, t.slug, t.name
		ORDER BY t.name`, now.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("list tags: %w", err))
	}
	defer rs.Close()
	var out []content.Tag
	for rs.Next() {
		var t content.Tag
		if err := rs.Scan(&t.ID, &t.Slug, &t.Name, &t.Count); err != nil {
			return nil, normalize(fmt.Errorf("scan tag: %w", err))
		}
		out = append(out, t)
	}
	return out, normalize(rs.Err())
}

// TagBySlug implements content.Store.
func (s *ContentStore) TagBySlug(ctx context.Context, slug string) (*content.Tag, error) {
	var t content.Tag
	err := s.db.reader().queryRow(ctx, "SELECT id, slug, name FROM tags WHERE slug = $1", slug).Scan(&t.ID, &t.Slug, &t.Name)
	if err != nil {
		return nil, normalize(fmt.Errorf("tag %q: %w", slug, err))
	}
	return &t, nil
}

// Authors implements content.Store.
func (s *ContentStore) Authors(ctx context.Context, now time.Time) ([]content.Author, error) {
	rs, err := s.db.reader().query(ctx, `SELECT u.id, u.slug, u.name, u.bio, COUNT(*)
		FROM users u
		JOIN article_authors aa ON aa.user_id = u.id
		JOIN articles a ON a.id = aa.article_id
		WHERE `+visibleCond+`$1
		GROUP BY u.id, u.slug, u.name, u.bio
		ORDER BY u.name`, now.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("list authors: %w", err))
	}
	defer rs.Close()
	var out []content.Author
	for rs.Next() {
		var a content.Author
		if err := rs.Scan(&a.ID, &a.Slug, &a.Name, &a.Bio, &a.Count); err != nil {
			return nil, normalize(fmt.Errorf("scan author: %w", err))
		}
		out = append(out, a)
	}
	return out, normalize(rs.Err())
}

// AuthorBySlug implements content.Store.
func (s *ContentStore) AuthorBySlug(ctx context.Context, slug string) (*content.Author, error) {
	var a content.Author
	err := s.db.reader().queryRow(ctx, "SELECT id, slug, name, bio FROM users WHERE slug = $1", slug).Scan(&a.ID, &a.Slug, &a.Name, &a.Bio)
	if err != nil {
		return nil, normalize(fmt.Errorf("author %q: %w", slug, err))
	}
	return &a, nil
}
