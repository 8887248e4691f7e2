package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/apperr"
	"github.com/kiosque/kiosque/internal/content"
)

// ContentStore implements content.Store.
type ContentStore struct{ db *DB }

// NewContentStore returns the content store of db.
func NewContentStore(db *DB) *ContentStore { return &ContentStore{db: db} }

var _ content.Store = (*ContentStore)(nil)

// articleColumns are read for an article page; articleListColumns leave
// the bodies out, which listings never show.
const (
	articleColumns = `a.id, a.kind, a.slug, a.title, a.excerpt, a.body, a.body_html, a.status, a.trashed_from, a.featured,
	a.comments_open, a.published_at, a.created_at, a.updated_at, a.seo_title, a.seo_description,
	a.image_url, a.image_alt, a.reading_minutes, a.version`
	articleViewColumns = `a.id, a.kind, a.slug, a.title, a.excerpt, '', a.body_html, a.status, a.trashed_from, a.featured,
	a.comments_open, a.published_at, a.created_at, a.updated_at, a.seo_title, a.seo_description,
	a.image_url, a.image_alt, a.reading_minutes, a.version`
	articleListColumns = `a.id, a.kind, a.slug, a.title, a.excerpt, '', '', a.status, a.trashed_from, a.featured,
	a.comments_open, a.published_at, a.created_at, a.updated_at, a.seo_title, a.seo_description,
	a.image_url, a.image_alt, a.reading_minutes, a.version`
	// visibleCond keeps the posts the public may read; pages have their own address.
	visibleCond = `a.kind = 'post' AND a.status = 'published' AND a.published_at <= `
	// visibleAnyKind keeps what the public may read, posts and pages.
	visibleAnyKind = `a.status = 'published' AND a.published_at <= `
)

func scanArticle(r row, extra ...any) (*content.Article, error) {
	a := &content.Article{}
	var status, kind, trashedFrom string
	var pub, created, updated dbTime
	dest := []any{&a.ID, &kind, &a.Slug, &a.Title, &a.Excerpt, &a.Body, &a.BodyHTML, &status, &trashedFrom, &a.Featured,
		&a.CommentsOpen, &pub, &created, &updated, &a.SEOTitle, &a.SEODescription,
		&a.ImageURL, &a.ImageAlt, &a.ReadingMinutes, &a.Version}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	a.Status, a.Kind, a.TrashedFrom = content.Status(status), content.Kind(kind), content.Status(trashedFrom)
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = pub.t, created.t, updated.t
	return a, nil
}

// ArticleByID implements content.Store.
func (s *ContentStore) ArticleByID(ctx context.Context, id int64) (*content.Article, error) {
	return s.articleWhere(ctx, "a.id = $1", id)
}

// ArticleBySlug implements content.Store.
func (s *ContentStore) ArticleBySlug(ctx context.Context, slug string) (*content.Article, error) {
	return s.articleWhere(ctx, "a.slug = $1", slug)
}

// VisibleArticleBySlug implements content.Store.
func (s *ContentStore) VisibleArticleBySlug(ctx context.Context, kind content.Kind, slug string, now time.Time, related int) (*content.Article, error) {
	var raw []byte
	a, err := s.oneArticle(ctx, articleViewColumns+", "+s.db.relatedJSON("$2", "$3"), []any{&raw},
		"a.slug = $1 AND a.kind = $4 AND "+visibleAnyKind+"$2", slug, now.UTC(), related, string(kind))
	if err != nil {
		return nil, err
	}
	if a.Related, err = decodeRelated(raw); err != nil {
		return nil, fmt.Errorf("article %q: %w", slug, err)
	}
	return a, nil
}

func (s *ContentStore) articleWhere(ctx context.Context, cond string, arg any) (*content.Article, error) {
	return s.oneArticle(ctx, articleColumns, nil, cond, arg)
}

// oneArticle loads an article and its relations in one query: the
// relations come as JSON arrays built by the database, which saves a
// round trip on every article page.
func (s *ContentStore) oneArticle(ctx context.Context, cols string, extra []any, cond string, args ...any) (*content.Article, error) {
	var authors, cats, tags []byte
	dest := make([]any, 0, len(extra)+3)
	dest = append(dest, extra...)
	dest = append(dest, &authors, &cats, &tags)
	a, err := scanArticle(s.db.reader().queryRow(ctx, "SELECT "+cols+", "+s.db.relationsJSON()+" FROM articles a WHERE "+cond, args...),
		dest...)
	if err != nil {
		return nil, normalize(fmt.Errorf("article %v: %w", args[0], err))
	}
	if err := decodeRelations(a, authors, cats, tags); err != nil {
		return nil, fmt.Errorf("article %v: %w", args[0], err)
	}
	return a, nil
}

// loadRelations fills the authors, categories and (if withTags) tags of
// articles in one query.
func loadRelations(ctx context.Context, q querier, arts []*content.Article, withTags bool) error {
	if len(arts) == 0 {
		return nil
	}
	byID := make(map[int64]*content.Article, len(arts))
	args := make([]any, len(arts))
	for i, a := range arts {
		byID[a.ID] = a
		args[i] = a.ID
	}
	in := placeholders(1, len(arts))
	// Each branch reads its table in primary key order (article, position),
	// so an article's relations arrive in order without a sort.
	query := `SELECT aa.article_id, 'a', u.id, u.slug, u.name, u.bio
		FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id IN (` + in + `)
	UNION ALL
	SELECT ac.article_id, 'c', c.id, c.slug, c.name, c.description
		FROM article_categories ac JOIN categories c ON c.id = ac.category_id WHERE ac.article_id IN (` + in + `)`
	if withTags {
		query += `
	UNION ALL
	SELECT at.article_id, 't', t.id, t.slug, t.name, ''
		FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN (` + in + `)`
	}
	rs, err := q.query(ctx, query, args...)
	if err != nil {
		return normalize(fmt.Errorf("load article relations: %w", err))
	}
	defer rs.Close()
	for _, a := range arts {
		a.Authors, a.Categories, a.Tags = nil, nil, nil
	}
	for rs.Next() {
		var articleID, id int64
		var kind, slug, name, extra string
		if err := rs.Scan(&articleID, &kind, &id, &slug, &name, &extra); err != nil {
			return normalize(fmt.Errorf("scan article relation: %w", err))
		}
		a := byID[articleID]
		switch kind {
		case "a":
			a.Authors = append(a.Authors, content.Author{ID: id, Slug: slug, Name: name, Bio: extra})
		case "c":
			a.Categories = append(a.Categories, content.Category{ID: id, Slug: slug, Name: name, Description: extra})
		case "t":
			a.Tags = append(a.Tags, content.Tag{ID: id, Slug: slug, Name: name})
		}
	}
	return normalize(rs.Err())
}

// placeholders returns "$from, $from+1, …" n times.
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

// ArticleSlugExists implements content.Store.
func (s *ContentStore) ArticleSlugExists(ctx context.Context, slug string, exceptID int64) (bool, error) {
	var n int
	err := s.db.reader().queryRow(ctx, "SELECT COUNT(*) FROM articles WHERE slug = $1 AND id <> $2", slug, exceptID).Scan(&n)
	if err != nil {
		return false, normalize(fmt.Errorf("check article slug: %w", err))
	}
	return n > 0, nil
}

// CreateArticle implements content.Store.
func (s *ContentStore) CreateArticle(ctx context.Context, a *content.Article, terms string, eff content.Effects) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		a.Version = 1
		if a.Kind == "" {
			a.Kind = content.KindPost
		}
		err := tx.q.queryRow(ctx, `INSERT INTO articles (kind, slug, title, excerpt, body, body_html, status, trashed_from, featured,
			comments_open, published_at, created_at, updated_at, seo_title, seo_description, image_url,
			image_alt, reading_minutes, version, search_terms)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
			RETURNING id`,
			string(a.Kind), a.Slug, a.Title, a.Excerpt, a.Body, a.BodyHTML, string(a.Status), string(a.TrashedFrom), a.Featured,
			a.CommentsOpen, nullTime(a.PublishedAt), a.CreatedAt.UTC(), a.UpdatedAt.UTC(), a.SEOTitle, a.SEODescription,
			a.ImageURL, a.ImageAlt, a.ReadingMinutes, a.Version, terms).Scan(&a.ID)
		if err != nil {
			return fmt.Errorf("insert article %q: %w", a.Slug, err)
		}
		return s.afterWrite(ctx, tx, a, terms, eff, false)
	})
}

// UpdateArticle implements content.Store.
func (s *ContentStore) UpdateArticle(ctx context.Context, a *content.Article, terms string, eff content.Effects) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE articles SET slug = $3, title = $4, excerpt = $5, body = $6,
			body_html = $7, status = $8, featured = $9, comments_open = $10, published_at = $11,
			updated_at = $12, seo_title = $13, seo_description = $14, image_url = $15, image_alt = $16,
			reading_minutes = $17, search_terms = $18, trashed_from = $19, version = version + 1
			WHERE id = $1 AND version = $2`,
			a.ID, a.Version, a.Slug, a.Title, a.Excerpt, a.Body, a.BodyHTML, string(a.Status), a.Featured,
			a.CommentsOpen, nullTime(a.PublishedAt), a.UpdatedAt.UTC(), a.SEOTitle, a.SEODescription,
			a.ImageURL, a.ImageAlt, a.ReadingMinutes, terms, string(a.TrashedFrom))
		if err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		if n == 0 {
			var exists int
			if err := tx.q.queryRow(ctx, "SELECT COUNT(*) FROM articles WHERE id = $1", a.ID).Scan(&exists); err != nil {
				return fmt.Errorf("update article %d: %w", a.ID, err)
			}
			if exists == 0 {
				return apperr.New(apperr.NotFound, "error.not_found.text")
			}
			return apperr.New(apperr.Conflict, "error.article.stale")
		}
		a.Version++
		return s.afterWrite(ctx, tx, a, terms, eff, true)
	})
}

// afterWrite stores the article's relations and search terms, enqueues its
// jobs and records the change, inside tx.
func (s *ContentStore) afterWrite(ctx context.Context, tx *Tx, a *content.Article, terms string, eff content.Effects, replace bool) error {
	err := writeRelations(ctx, tx.q, a, replace, func(t *content.Tag) error {
		return tx.q.queryRow(ctx, `INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id`, t.Slug, t.Name, a.UpdatedAt.UTC()).Scan(&t.ID)
	})
	if err != nil {
		return err
	}
	if s.db.dialect == SQLite {
		if err := indexArticle(ctx, tx.q, a.ID, terms); err != nil {
			return err
		}
	}
	refreshed, err := s.db.refreshAround(ctx, tx.q, a.ID)
	if err != nil {
		return err
	}
	if eff.Jobs != nil {
		if err := tx.enqueue(ctx, eff.Jobs(a)); err != nil {
			return err
		}
	}
	if eff.Revision {
		if err := insertRevision(ctx, tx.q, &content.Revision{ArticleID: a.ID, Version: a.Version, UserID: eff.RevisionBy,
			Title: a.Title, Excerpt: a.Excerpt, Body: a.Body, CreatedAt: a.UpdatedAt}); err != nil {
			return err
		}
		// A save supersedes the writer's autosave.
		if _, err := tx.q.exec(ctx, "DELETE FROM article_revisions WHERE article_id = $1 AND autosave AND user_id IS NOT DISTINCT FROM $2",
			a.ID, nullID(eff.RevisionBy)); err != nil {
			return fmt.Errorf("drop autosave: %w", err)
		}
	}
	if eff.Audit != nil {
		eff.Audit.TargetID = a.ID
		if err := recordAudit(ctx, tx.q, eff.Audit); err != nil {
			return err
		}
	}
	tx.changed(Change{Entity: EntityArticle, IDs: refreshed})
	if a.Kind == content.KindPage {
		// Every page's footer lists the static pages.
		tx.changed(Change{Entity: EntityPage, IDs: []int64{a.ID}})
	}
	return nil
}

// writeRelations stores a's authors, categories and tags in q, after
// deleting the stored ones when replace; tag finds or creates a tag by its
// slug and sets its ID.
func writeRelations(ctx context.Context, q querier, a *content.Article, replace bool, tag func(t *content.Tag) error) error {
	if replace {
		for _, table := range []string{"article_authors", "article_categories", "article_tags"} {
			if _, err := q.exec(ctx, "DELETE FROM "+table+" WHERE article_id = $1", a.ID); err != nil {
				return fmt.Errorf("clear %s of article %d: %w", table, a.ID, err)
			}
		}
	}
	for i, au := range a.Authors {
		if _, err := q.exec(ctx, "INSERT INTO article_authors (article_id, user_id, position) VALUES ($1, $2, $3)", a.ID, au.ID, i); err != nil {
			return fmt.Errorf("add author %d to article %d: %w", au.ID, a.ID, err)
		}
	}
	for i, c := range a.Categories {
		if _, err := q.exec(ctx, "INSERT INTO article_categories (article_id, category_id, position) VALUES ($1, $2, $3)", a.ID, c.ID, i); err != nil {
			return fmt.Errorf("add category %d to article %d: %w", c.ID, a.ID, err)
		}
	}
	for i := range a.Tags {
		t := &a.Tags[i]
		if err := tag(t); err != nil {
			return fmt.Errorf("upsert tag %q: %w", t.Slug, err)
		}
		if _, err := q.exec(ctx, "INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)", a.ID, t.ID, i); err != nil {
			return fmt.Errorf("add tag %q to article %d: %w", t.Slug, a.ID, err)
		}
	}
	return nil
}

// indexArticle replaces the SQLite full-text entry of article id; on
// PostgreSQL the search vector is a generated column.
func indexArticle(ctx context.Context, q querier, id int64, terms string) error {
	if _, err := q.exec(ctx, "DELETE FROM article_fts WHERE rowid = $1", id); err != nil {
		return fmt.Errorf("unindex article %d: %w", id, err)
	}
	if _, err := q.exec(ctx, "INSERT INTO article_fts (rowid, terms) VALUES ($1, $2)", id, terms); err != nil {
		return fmt.Errorf("index article %d: %w", id, err)
	}
	return nil
}

// nullID returns nil for 0, so a missing user is stored as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// DueScheduled implements content.Store.
func (s *ContentStore) DueScheduled(ctx context.Context, now time.Time) ([]int64, error) {
	rs, err := s.db.reader().query(ctx, "SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= $1 ORDER BY published_at", now)
	if err != nil {
		return nil, normalize(fmt.Errorf("due articles: %w", err))
	}
	defer rs.Close()
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, normalize(err)
		}
		ids = append(ids, id)
	}
	return ids, normalize(rs.Err())
}

// PublishScheduled implements content.Store.
func (s *ContentStore) PublishScheduled(ctx context.Context, id int64, now time.Time, jobs content.JobsFunc) (bool, error) {
	done := false
	err := s.db.inTx(ctx, func(tx *Tx) error {
		n, err := tx.q.exec(ctx, `UPDATE articles SET status = 'published', updated_at = $2, version = version + 1
			WHERE id = $1 AND status = 'scheduled' AND published_at <= $2`, id, now)
		if err != nil {
			return fmt.Errorf("publish article %d: %w", id, err)
		}
		if n == 0 {
			return nil
		}
		done = true
		if jobs != nil {
			a, err := scanArticle(tx.q.queryRow(ctx, "SELECT "+articleColumns+" FROM articles a WHERE a.id = $1", id))
			if err != nil {
				return fmt.Errorf("reload article %d: %w", id, err)
			}
			if err := tx.enqueue(ctx, jobs(a)); err != nil {
				return err
			}
		}
		tx.changed(Change{Entity: EntityArticle, IDs: []int64{id}})
		return nil
	})
	return done, err
}
