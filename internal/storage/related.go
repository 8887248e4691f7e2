package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kiosque/kiosque/internal/content"
)

// Related articles are scored when an article is written, not when it is
// read: the score reads the recent articles of the article's tags and
// sections, which is cheap once at write time and would be a scan on every
// page of a large site. A write refreshes the article's own list and those of
// its most recent neighbours; a nightly job refreshes everything.
const (
	// relatedStored is how many are kept, more than shown, so that
	// unpublished ones filtered out at read time leave enough.
	relatedStored = 8
	// neighboursRefreshed bounds the lists refreshed at once by a write.
	neighboursRefreshed = 20
	// relatedWindow bounds the candidates each shared tag or section
	// brings to its most recent articles (by id), so that a write costs
	// the same on a site of ten thousand articles as on one of a hundred.
	// Ties are broken by recency anyway: only an older article sharing
	// several sections, or a tag of more than relatedWindow articles, can
	// be missed.
	relatedWindow = 200
)

// windowsSQL names, for article $1, each of its tags (tw) and sections
// (cw) with the id from which their relatedWindow most recent articles
// start. Materialized, so the bound is computed once per tag rather than
// once per candidate; both tables index (key, article_id).
var windowsSQL = `WITH tw AS MATERIALIZED (
		SELECT t.tag_id AS id, COALESCE((SELECT w.article_id FROM article_tags w WHERE w.tag_id = t.tag_id
			ORDER BY w.article_id DESC LIMIT 1 OFFSET ` + strconv.Itoa(relatedWindow-1) + `), 0) AS since
		FROM article_tags t WHERE t.article_id = $1),
	cw AS MATERIALIZED (
		SELECT c.category_id AS id, COALESCE((SELECT w.article_id FROM article_categories w WHERE w.category_id = c.category_id
			ORDER BY w.article_id DESC LIMIT 1 OFFSET ` + strconv.Itoa(relatedWindow-1) + `), 0) AS since
		FROM article_categories c WHERE c.article_id = $1)
	`

// storeRelatedSQL scores candidates for article $1 and stores the best $2,
// in one statement (a round trip per article counts on PostgreSQL): a
// shared tag weighs twice a shared category (tags name the story,
// categories only the section). Scheduled articles count; readers only
// see visible ones. Candidates are scored first, then fetched by key: a
// CROSS JOIN makes SQLite keep that order, and PostgreSQL gets a LATERAL
// subquery fenced by OFFSET 0 (see storeRelatedSQL), since with the
// statistics of a table that just grew (an import) it would scan the
// articles for each candidate.
var storeRelatedSQLite = windowsSQL + `INSERT INTO article_related (article_id, position, related_id)
	SELECT $1, ROW_NUMBER() OVER (ORDER BY s.score DESC, a.published_at DESC, a.id DESC) - 1, a.id
	FROM (
		SELECT r.article_id AS id, SUM(r.w) AS score FROM (
			SELECT t2.article_id, 2 AS w FROM tw JOIN article_tags t2 ON t2.tag_id = tw.id AND t2.article_id >= tw.since
			WHERE t2.article_id <> $1
			UNION ALL
			SELECT c2.article_id, 1 AS w FROM cw JOIN article_categories c2 ON c2.category_id = cw.id AND c2.article_id >= cw.since
			WHERE c2.article_id <> $1
		) r GROUP BY r.article_id
	) s CROSS JOIN articles a
	WHERE a.id = s.id AND a.kind = 'post' AND a.status IN ('published', 'scheduled')
	ORDER BY s.score DESC, a.published_at DESC, a.id DESC
	LIMIT $2`

var storeRelatedPostgres = strings.Replace(storeRelatedSQLite, `) s CROSS JOIN articles a
	WHERE a.id = s.id AND a.kind = 'post' AND a.status IN ('published', 'scheduled')`, `) s CROSS JOIN LATERAL (SELECT a.id, a.published_at FROM articles a
		WHERE a.id = s.id AND a.kind = 'post' AND a.status IN ('published', 'scheduled') OFFSET 0) a`, 1)

// storeRelatedSQL returns the statement storing an article's related
// articles, in db's dialect.
func (db *DB) storeRelatedSQL() string {
	if db.dialect == Postgres {
		return storeRelatedPostgres
	}
	return storeRelatedSQLite
}

// neighboursSQL lists the most recent articles sharing a tag or a section
// with article $1: the lists a write may have changed.
var neighboursSQL = windowsSQL + `SELECT a.id FROM articles a
	WHERE a.id IN (
		SELECT t2.article_id FROM tw JOIN article_tags t2 ON t2.tag_id = tw.id AND t2.article_id >= tw.since
		UNION
		SELECT c2.article_id FROM cw JOIN article_categories c2 ON c2.category_id = cw.id AND c2.article_id >= cw.since
	) AND a.id <> $1 AND a.status IN ('published', 'scheduled')
	ORDER BY a.published_at DESC, a.id DESC
	LIMIT $2`

// refreshRelated recomputes the stored lists of ids, inside tx.
func (db *DB) refreshRelated(ctx context.Context, q querier, ids []int64) error {
	for _, id := range ids {
		if _, err := q.exec(ctx, "DELETE FROM article_related WHERE article_id = $1", id); err != nil {
			return fmt.Errorf("clear related articles of %d: %w", id, err)
		}
		if _, err := q.exec(ctx, db.storeRelatedSQL(), id, relatedStored); err != nil {
			return fmt.Errorf("store related articles of %d: %w", id, err)
		}
	}
	return nil
}

// refreshAround refreshes the list of article id and of its neighbours,
// and returns the articles refreshed, whose pages now show other links.
func (db *DB) refreshAround(ctx context.Context, q querier, id int64) ([]int64, error) {
	neighbours, err := queryIDs(ctx, q, neighboursSQL, id, neighboursRefreshed)
	if err != nil {
		return nil, fmt.Errorf("neighbours of article %d: %w", id, err)
	}
	ids := append([]int64{id}, neighbours...)
	return ids, db.refreshRelated(ctx, q, ids)
}

func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rs, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var ids []int64
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rs.Err()
}

// RefreshRelated implements content.Store.
func (s *ContentStore) RefreshRelated(ctx context.Context, ids []int64) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		if err := s.db.refreshRelated(ctx, tx.q, ids); err != nil {
			return err
		}
		tx.changed(Change{Entity: EntityArticle, IDs: ids})
		return nil
	})
}

// ArticleIDs implements content.Store.
func (s *ContentStore) ArticleIDs(ctx context.Context, afterID int64, limit int) ([]int64, error) {
	ids, err := queryIDs(ctx, s.db.reader(), `SELECT id FROM articles WHERE id > $1 AND status IN ('published', 'scheduled')
		ORDER BY id LIMIT $2`, afterID, limit)
	if err != nil {
		return nil, normalize(fmt.Errorf("list article ids: %w", err))
	}
	return ids, nil
}

// relatedJSON returns the SQL expression giving, as a JSON array of
// [id, slug, title, published_at, updated_at], the first $limit stored
// related articles of article a that are visible at $now.
func (db *DB) relatedJSON(now, limit string) string {
	if db.dialect == Postgres {
		return `COALESCE((SELECT json_agg(json_build_array(x.id, x.slug, x.title, x.published_at, x.updated_at) ORDER BY x.position)
			FROM (SELECT r.id, r.slug, r.title, r.published_at, r.updated_at, ar.position
				FROM article_related ar JOIN articles r ON r.id = ar.related_id
				WHERE ar.article_id = a.id AND r.status = 'published' AND r.published_at <= ` + now + `
				ORDER BY ar.position LIMIT ` + limit + `) x), '[]')::text`
	}
	// CROSS JOIN: read the article's list by key, then each related
	// article by key; left free, SQLite scans every visible article.
	return `(SELECT json_group_array(json_array(id, slug, title, published_at, updated_at))
		FROM (SELECT r.id, r.slug, r.title, r.published_at, r.updated_at
			FROM article_related ar CROSS JOIN articles r
			WHERE ar.article_id = a.id AND r.id = ar.related_id AND r.status = 'published' AND r.published_at <= ` + now + `
			ORDER BY ar.position LIMIT ` + limit + `))`
}

// decodeRelated parses relatedJSON output into stubs.
func decodeRelated(raw []byte) ([]content.ArticleStub, error) {
	rows, err := parseRows(raw, 4)
	if err != nil {
		return nil, err
	}
	out := make([]content.ArticleStub, 0, len(rows))
	for _, r := range rows {
		var pub, upd dbTime
		if err := pub.parse(r.fields[2]); err != nil {
			return nil, err
		}
		if err := upd.parse(r.fields[3]); err != nil {
			return nil, err
		}
		out = append(out, content.ArticleStub{ID: r.id, Slug: r.fields[0], Title: r.fields[1], PublishedAt: pub.t, UpdatedAt: upd.t})
	}
	return out, nil
}
