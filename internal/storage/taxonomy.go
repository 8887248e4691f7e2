package storage

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/audit"
	"github.com/kiosque/kiosque/internal/content"
)

// Categories implements content.Store.
func (s *ContentStore) Categories(ctx context.Context, now time.Time) ([]content.Category, error) {
	// Counted from the visible articles' index and the categories of each
	// (CROSS JOIN keeps that order in SQLite): no article row is read.
	rs, err := s.db.reader().query(ctx, `SELECT c.id, c.slug, c.name, c.description, c.position, COALESCE(c.parent_id, 0), COALESCE(n.n, 0), c.no_appeal
		FROM categories c
		LEFT JOIN (SELECT ac.category_id, COUNT(*) AS n FROM articles a CROSS JOIN article_categories ac
			WHERE `+visibleCond+`$1 AND ac.article_id = a.id
			GROUP BY ac.category_id) n ON n.category_id = c.id
		ORDER BY c.position, c.name`, now.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("list categories: %w", err))
	}
	defer rs.Close()
	var out []content.Category
	for rs.Next() {
		var c content.Category
		if err := rs.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.Position, &c.ParentID, &c.Count, &c.NoAppeal); err != nil {
			return nil, normalize(fmt.Errorf("scan category: %w", err))
		}
		out = append(out, c)
	}
	return out, normalize(rs.Err())
}

// CategoryBySlug implements content.Store.
func (s *ContentStore) CategoryBySlug(ctx context.Context, slug string) (*content.Category, error) {
	return s.categoryWhere(ctx, "slug = $1", slug)
}

// CategoryByID implements content.Store.
func (s *ContentStore) CategoryByID(ctx context.Context, id int64) (*content.Category, error) {
	return s.categoryWhere(ctx, "id = $1", id)
}

func (s *ContentStore) categoryWhere(ctx context.Context, cond string, arg any) (*content.Category, error) {
	var c content.Category
	err := s.db.reader().queryRow(ctx, "SELECT id, slug, name, description, position, COALESCE(parent_id, 0), no_appeal FROM categories WHERE "+cond, arg).
		Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.Position, &c.ParentID, &c.NoAppeal)
	if err != nil {
		return nil, normalize(fmt.Errorf("category %v: %w", arg, err))
	}
	return &c, nil
}

// AllCategories implements content.Store. The counts come from one pass
// over article_categories, whatever the number of categories.
func (s *ContentStore) AllCategories(ctx context.Context) ([]content.Category, error) {
	rs, err := s.db.reader().query(ctx, `SELECT c.id, c.slug, c.name, c.description, c.position, COALESCE(c.parent_id, 0), COALESCE(n.n, 0), c.no_appeal
		FROM categories c
		LEFT JOIN (SELECT ac.category_id, COUNT(*) AS n FROM article_categories ac
			JOIN articles a ON a.id = ac.article_id AND a.status <> 'trash'
			GROUP BY ac.category_id) n ON n.category_id = c.id
		ORDER BY c.position, c.name, c.id`)
	if err != nil {
		return nil, normalize(fmt.Errorf("list all categories: %w", err))
	}
	defer rs.Close()
	var out []content.Category
	for rs.Next() {
		var c content.Category
		if err := rs.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.Position, &c.ParentID, &c.Count, &c.NoAppeal); err != nil {
			return nil, normalize(fmt.Errorf("scan category: %w", err))
		}
		out = append(out, c)
	}
	return out, normalize(rs.Err())
}

// CreateCategory implements content.Store.
func (s *ContentStore) CreateCategory(ctx context.Context, c *content.Category, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, `INSERT INTO categories (slug, name, description, position, parent_id, created_at, no_appeal)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, c.Slug, c.Name, c.Description, c.Position, nullID(c.ParentID), time.Now().UTC(),
			c.NoAppeal).Scan(&c.ID)
		if err != nil {
			return fmt.Errorf("insert category %q: %w", c.Slug, err)
		}
		if e != nil {
			e.TargetID = c.ID
		}
		tx.changed(Change{Entity: EntityTaxonomy})
		return recordAudit(ctx, tx.q, e)
	})
}

// UpdateCategory implements content.Store.
func (s *ContentStore) UpdateCategory(ctx context.Context, c *content.Category, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE categories SET slug = $2, name = $3, description = $4, position = $5, parent_id = $6, no_appeal = $7
			WHERE id = $1`, c.ID, c.Slug, c.Name, c.Description, c.Position, nullID(c.ParentID), c.NoAppeal)
		if err != nil {
			return fmt.Errorf("update category %d: %w", c.ID, err)
		}
		if n == 0 {
			return fmt.Errorf("update category %d: %w", c.ID, errNoRows)
		}
		tx.changed(Change{Entity: EntityTaxonomy})
		return recordAudit(ctx, tx.q, e)
	})
}

// DeleteCategory implements content.Store.
func (s *ContentStore) DeleteCategory(ctx context.Context, id, into int64, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		var parent any
		if err := tx.q.queryRow(ctx, "SELECT parent_id FROM categories WHERE id = $1", id).Scan(&parent); err != nil {
			return fmt.Errorf("delete category %d: %w", id, err)
		}
		if into != 0 {
			// Articles already in into keep one link; the others move.
			if _, err := tx.q.exec(ctx, `UPDATE article_categories SET category_id = $2 WHERE category_id = $1
				AND article_id NOT IN (SELECT article_id FROM article_categories WHERE category_id = $2)`, id, into); err != nil {
				return fmt.Errorf("move articles of category %d: %w", id, err)
			}
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM article_categories WHERE category_id = $1", id); err != nil {
			return fmt.Errorf("unlink category %d: %w", id, err)
		}
		if _, err := tx.q.exec(ctx, "UPDATE categories SET parent_id = $2 WHERE parent_id = $1", id, parent); err != nil {
			return fmt.Errorf("lift subcategories of %d: %w", id, err)
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM categories WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete category %d: %w", id, err)
		}
		tx.changed(Change{Entity: EntityAll})
		return recordAudit(ctx, tx.q, e)
	})
}

// TagByID implements content.Store.
func (s *ContentStore) TagByID(ctx context.Context, id int64) (*content.Tag, error) {
	var t content.Tag
	err := s.db.reader().queryRow(ctx, "SELECT t.id, t.slug, t.name, "+tagCount+" FROM tags t WHERE t.id = $1", id).
		Scan(&t.ID, &t.Slug, &t.Name, &t.Count)
	if err != nil {
		return nil, normalize(fmt.Errorf("tag %d: %w", id, err))
	}
	return &t, nil
}

// AllTags implements content.Store.
func (s *ContentStore) AllTags(ctx context.Context) ([]content.Tag, error) {
	rs, err := s.db.reader().query(ctx, `SELECT t.id, t.slug, t.name, COUNT(at.article_id) FROM tags t
		LEFT JOIN article_tags at ON at.tag_id = t.id GROUP BY t.id, t.slug, t.name ORDER BY t.name`)
	if err != nil {
		return nil, normalize(fmt.Errorf("list tags: %w", err))
	}
	defer rs.Close()
	var out []content.Tag
	for rs.Next() {
		var t content.Tag
		if err := rs.Scan(&t.ID, &t.Slug, &t.Name, &t.Count); err != nil {
			return nil, normalize(err)
		}
		out = append(out, t)
	}
	return out, normalize(rs.Err())
}

// tagCount is the number of articles of tag t not in the trash, read from
// the article_tags index.
const tagCount = `(SELECT COUNT(*) FROM article_tags at JOIN articles a ON a.id = at.article_id
	WHERE at.tag_id = t.id AND a.status <> 'trash')`

// TagList implements content.Store. Sorted by slug, the page of tags is
// cut first and only its tags are counted; sorted by count, every tag is
// counted in one pass over article_tags. Neither counts tag by tag in a
// subquery, whose cost would depend on the planner's statistics.
func (s *ContentStore) TagList(ctx context.Context, f content.TagFilter) ([]content.Tag, int, error) {
	var w whereBuilder
	if f.Search != "" {
		cond := "LOWER(t.name) LIKE " + w.arg("%"+escapeLike(strings.ToLower(f.Search))+"%") + ` ESCAPE '\'`
		if f.SearchSlug != "" {
			cond += " OR t.slug LIKE " + w.arg("%"+escapeLike(f.SearchSlug)+"%") + ` ESCAPE '\'`
		}
		w.add("(" + cond + ")")
	}
	if f.Name != "" {
		w.add("t.name = " + w.arg(f.Name))
	}
	where := w.sql()
	q := s.db.reader()
	total := 0
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM tags t"+where, w.args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count tags: %w", err))
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	limit := f.Limit
	if limit <= 0 || limit > content.MaxPageSize {
		limit = content.MaxPageSize
	}
	page := " LIMIT " + w.arg(limit) + " OFFSET " + w.arg(max(f.Offset, 0))
	var query string
	if f.ByCount {
		query = `SELECT t.id, t.slug, t.name, COALESCE(n.n, 0) AS article_count
			FROM tags t
			LEFT JOIN (SELECT at.tag_id, COUNT(*) AS n FROM article_tags at
				JOIN articles a ON a.id = at.article_id AND a.status <> 'trash'
				GROUP BY at.tag_id) n ON n.tag_id = t.id` + where + `
			ORDER BY article_count DESC, t.slug, t.id` + page
	} else {
		query = `SELECT p.id, p.slug, p.name, COUNT(a.id)
			FROM (SELECT t.id, t.slug, t.name FROM tags t` + where + ` ORDER BY t.slug, t.id` + page + `) p
			LEFT JOIN article_tags at ON at.tag_id = p.id
			LEFT JOIN articles a ON a.id = at.article_id AND a.status <> 'trash'
			GROUP BY p.id, p.slug, p.name
			ORDER BY p.slug, p.id`
	}
	rs, err := q.query(ctx, query, w.args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list tags: %w", err))
	}
	defer rs.Close()
	out := make([]content.Tag, 0, min(limit, total))
	for rs.Next() {
		var t content.Tag
		if err := rs.Scan(&t.ID, &t.Slug, &t.Name, &t.Count); err != nil {
			return nil, 0, normalize(fmt.Errorf("scan tag: %w", err))
		}
		out = append(out, t)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list tags: %w", err))
	}
	return out, total, nil
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return likeEscaper.Replace(s)
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// UpdateTag implements content.Store.
func (s *ContentStore) UpdateTag(ctx context.Context, t *content.Tag, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, "UPDATE tags SET slug = $2, name = $3 WHERE id = $1", t.ID, t.Slug, t.Name)
		if err != nil {
			return fmt.Errorf("rename tag %d: %w", t.ID, err)
		}
		if n == 0 {
			return fmt.Errorf("rename tag %d: %w", t.ID, errNoRows)
		}
		tx.changed(Change{Entity: EntityAll})
		return recordAudit(ctx, tx.q, e)
	})
}

// MergeTags implements content.Store.
func (s *ContentStore) MergeTags(ctx context.Context, from, into int64, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, `UPDATE article_tags SET tag_id = $2 WHERE tag_id = $1
			AND article_id NOT IN (SELECT article_id FROM article_tags WHERE tag_id = $2)`, from, into); err != nil {
			return fmt.Errorf("merge tag %d into %d: %w", from, into, err)
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM article_tags WHERE tag_id = $1", from); err != nil {
			return fmt.Errorf("merge tag %d into %d: %w", from, into, err)
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM tags WHERE id = $1", from); err != nil {
			return fmt.Errorf("merge tag %d into %d: %w", from, into, err)
		}
		tx.changed(Change{Entity: EntityAll})
		return recordAudit(ctx, tx.q, e)
	})
}

// DeleteTag implements content.Store.
func (s *ContentStore) DeleteTag(ctx context.Context, id int64, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if _, err := tx.q.exec(ctx, "DELETE FROM article_tags WHERE tag_id = $1", id); err != nil {
			return fmt.Errorf("delete tag %d: %w", id, err)
		}
		if _, err := tx.q.exec(ctx, "DELETE FROM tags WHERE id = $1", id); err != nil {
			return fmt.Errorf("delete tag %d: %w", id, err)
		}
		tx.changed(Change{Entity: EntityAll})
		return recordAudit(ctx, tx.q, e)
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

// EnsureTag implements content.Store.
func (s *ContentStore) EnsureTag(ctx context.Context, t *content.Tag, e *audit.Entry) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		err := tx.q.queryRow(ctx, "SELECT id, name FROM tags WHERE slug = $1", t.Slug).Scan(&t.ID, &t.Name)
		if err == nil {
			return nil
		}
		if err = normalize(err); !apperr.Is(err, apperr.NotFound) {
			return fmt.Errorf("tag %q: %w", t.Slug, err)
		}
		err = tx.q.queryRow(ctx, "INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id",
			t.Slug, t.Name, e.At.UTC()).Scan(&t.ID)
		if err != nil {
			return normalize(fmt.Errorf("create tag %q: %w", t.Slug, err))
		}
		e.TargetID = t.ID
		return recordAudit(ctx, tx.q, e)
	})
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
