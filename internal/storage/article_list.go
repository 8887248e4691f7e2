package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kiosque/kiosque/internal/content"
)

// whereBuilder accumulates SQL conditions and their numbered arguments.
type whereBuilder struct {
	conds []string
	args  []any
}

// arg adds v and returns its placeholder.
func (w *whereBuilder) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *whereBuilder) add(cond string) { w.conds = append(w.conds, cond) }

func (w *whereBuilder) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Articles implements content.Store.
func (s *ContentStore) Articles(ctx context.Context, f content.ArticleFilter) ([]*content.Article, int, error) {
	var w whereBuilder
	from := "articles a"
	order := "a.published_at DESC, a.id DESC"
	if f.ByUpdate {
		order = "a.updated_at DESC, a.id DESC"
	}
	if !f.Search.Empty() {
		if s.db.dialect == SQLite {
			from = "articles a JOIN (SELECT rowid AS id, bm25(article_fts) AS rank FROM article_fts WHERE article_fts MATCH " +
				w.arg(f.Search.FTS5()) + ") s ON s.id = a.id"
			order = "s.rank, " + order
		} else {
			p := w.arg(f.Search.TSQuery())
			w.add("a.search_vector @@ to_tsquery('simple', " + p + ")")
			order = "ts_rank(a.search_vector, to_tsquery('simple', " + p + ")) DESC, " + order
		}
	}
	if !f.VisibleAt.IsZero() {
		w.add(visibleCond + w.arg(f.VisibleAt.UTC()))
	}
	if f.Kind != "" {
		w.add("a.kind = " + w.arg(string(f.Kind)))
	}
	if f.Status != "" {
		w.add("a.status = " + w.arg(string(f.Status)))
	}
	if f.NotTrashed {
		w.add("a.status <> 'trash'")
	}
	if f.AuthorID != 0 {
		w.add("EXISTS (SELECT 1 FROM article_authors aa WHERE aa.article_id = a.id AND aa.user_id = " + w.arg(f.AuthorID) + ")")
	}
	if f.CategoryID != 0 {
		w.add("EXISTS (SELECT 1 FROM article_categories ac WHERE ac.article_id = a.id AND ac.category_id = " + w.arg(f.CategoryID) + ")")
	}
	if f.Featured != nil {
		w.add("a.featured = " + w.arg(*f.Featured))
	}
	if f.CategorySlug != "" {
		w.add("EXISTS (SELECT 1 FROM article_categories ac JOIN categories c ON c.id = ac.category_id WHERE ac.article_id = a.id AND c.slug = " + w.arg(f.CategorySlug) + ")")
	}
	if f.TagSlug != "" {
		w.add("EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = a.id AND t.slug = " + w.arg(f.TagSlug) + ")")
	}
	if f.AuthorSlug != "" {
		w.add("EXISTS (SELECT 1 FROM article_authors aa JOIN users u ON u.id = aa.user_id WHERE aa.article_id = a.id AND u.slug = " + w.arg(f.AuthorSlug) + ")")
	}
	if f.Year > 0 {
		loc := f.Location
		if loc == nil {
			loc = time.UTC
		}
		var start, end time.Time
		if f.Month >= 1 && f.Month <= 12 {
			start = time.Date(f.Year, f.Month, 1, 0, 0, 0, 0, loc)
			end = start.AddDate(0, 1, 0)
		} else {
			start = time.Date(f.Year, 1, 1, 0, 0, 0, 0, loc)
			end = start.AddDate(1, 0, 0)
		}
		w.add("a.published_at >= " + w.arg(start.UTC()) + " AND a.published_at < " + w.arg(end.UTC()))
	}
	if len(f.ExcludeIDs) > 0 {
		ph := make([]string, len(f.ExcludeIDs))
		for i, id := range f.ExcludeIDs {
			ph[i] = w.arg(id)
		}
		w.add("a.id NOT IN (" + strings.Join(ph, ", ") + ")")
	}
	limit := f.Limit
	if limit <= 0 || limit > content.MaxPageSize {
		limit = content.MaxPageSize
	}
	where := w.sql()
	cols := articleListColumns
	if f.WithBody {
		cols = articleColumns
	}
	q := s.db.reader()
	// The total comes from its own COUNT, which SQLite answers from the
	// index; a COUNT(*) OVER () window would read and sort every match.
	total := 0
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM "+from+where, w.args...).Scan(&total); err != nil {
		return nil, 0, normalize(fmt.Errorf("count articles: %w", err))
	}
	if total == 0 || f.Offset >= total {
		return nil, total, nil
	}
	query := "SELECT " + cols + " FROM " + from + where +
		" ORDER BY " + order + " LIMIT " + w.arg(limit) + " OFFSET " + w.arg(max(f.Offset, 0))
	rs, err := q.query(ctx, query, w.args...)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("list articles: %w", err))
	}
	defer rs.Close()
	arts := make([]*content.Article, 0, min(limit, total))
	for rs.Next() {
		a, err := scanArticle(rs)
		if err != nil {
			return nil, 0, normalize(fmt.Errorf("scan article: %w", err))
		}
		arts = append(arts, a)
	}
	if err := rs.Err(); err != nil {
		return nil, 0, normalize(fmt.Errorf("list articles: %w", err))
	}
	rs.Close()
	if err := loadRelations(ctx, q, arts, true); err != nil {
		return nil, 0, err
	}
	return arts, total, nil
}

// ArchiveMonths implements content.Store. Months are cut in the site's time
// zone, which SQLite cannot do, so the grouping is done here; it reads one
// timestamp per article and its page is cached.
func (s *ContentStore) ArchiveMonths(ctx context.Context, now time.Time, loc *time.Location) ([]content.MonthCount, error) {
	rs, err := s.db.reader().query(ctx, "SELECT a.published_at FROM articles a WHERE "+visibleCond+"$1 ORDER BY a.published_at DESC", now.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("archive months: %w", err))
	}
	defer rs.Close()
	var out []content.MonthCount
	for rs.Next() {
		var t dbTime
		if err := rs.Scan(&t); err != nil {
			return nil, normalize(fmt.Errorf("scan archive month: %w", err))
		}
		lt := t.t.In(loc)
		if n := len(out); n > 0 && out[n-1].Year == lt.Year() && out[n-1].Month == lt.Month() {
			out[n-1].Count++
			continue
		}
		out = append(out, content.MonthCount{Year: lt.Year(), Month: lt.Month(), Count: 1})
	}
	return out, normalize(rs.Err())
}

// LastModified implements content.Store.
func (s *ContentStore) LastModified(ctx context.Context, now time.Time) (time.Time, error) {
	var upd, pub dbTime
	err := s.db.reader().queryRow(ctx, "SELECT MAX(a.updated_at), MAX(a.published_at) FROM articles a WHERE "+visibleCond+"$1", now.UTC()).Scan(&upd, &pub)
	if err != nil {
		return time.Time{}, normalize(fmt.Errorf("last modified: %w", err))
	}
	if pub.t.After(upd.t) {
		return pub.t, nil
	}
	return upd.t, nil
}

// ArticleStubs implements content.Store.
func (s *ContentStore) ArticleStubs(ctx context.Context, now, since time.Time, offset, limit int) ([]content.ArticleStub, int, error) {
	rs, err := s.db.reader().query(ctx, `SELECT a.id, a.slug, a.title, a.published_at, a.updated_at, COUNT(*) OVER ()
		FROM articles a WHERE `+visibleCond+`$1 AND a.published_at >= $2
		ORDER BY a.published_at DESC, a.id DESC LIMIT $3 OFFSET $4`, now.UTC(), since.UTC(), limit, offset)
	if err != nil {
		return nil, 0, normalize(fmt.Errorf("article stubs: %w", err))
	}
	defer rs.Close()
	var out []content.ArticleStub
	total := 0
	for rs.Next() {
		var st content.ArticleStub
		var pub, upd dbTime
		if err := rs.Scan(&st.ID, &st.Slug, &st.Title, &pub, &upd, &total); err != nil {
			return nil, 0, normalize(fmt.Errorf("scan article stub: %w", err))
		}
		st.PublishedAt, st.UpdatedAt = pub.t, upd.t
		out = append(out, st)
	}
	return out, total, normalize(rs.Err())
}

// StatusCounts implements content.Store.
func (s *ContentStore) StatusCounts(ctx context.Context) (map[content.Status]int, error) {
	rs, err := s.db.reader().query(ctx, "SELECT status, COUNT(*) FROM articles WHERE kind = 'post' GROUP BY status")
	if err != nil {
		return nil, normalize(fmt.Errorf("count articles by status: %w", err))
	}
	defer rs.Close()
	out := map[content.Status]int{}
	for rs.Next() {
		var st string
		var n int
		if err := rs.Scan(&st, &n); err != nil {
			return nil, normalize(err)
		}
		out[content.Status(st)] = n
	}
	return out, normalize(rs.Err())
}

// PublishedTimes implements content.Store.
func (s *ContentStore) PublishedTimes(ctx context.Context, since, now time.Time) ([]time.Time, error) {
	rs, err := s.db.reader().query(ctx, "SELECT a.published_at FROM articles a WHERE "+visibleCond+"$1 AND a.published_at >= $2", now.UTC(), since.UTC())
	if err != nil {
		return nil, normalize(fmt.Errorf("publication times: %w", err))
	}
	defer rs.Close()
	var out []time.Time
	for rs.Next() {
		var t dbTime
		if err := rs.Scan(&t); err != nil {
			return nil, normalize(err)
		}
		out = append(out, t.t)
	}
	return out, normalize(rs.Err())
}
