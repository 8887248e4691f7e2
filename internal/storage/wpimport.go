package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/comments/spam"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/wpimport"
)

// WordPressStore implements wpimport.Store: the import's record of what
// it brought over, and its batches of posts with their comments.
type WordPressStore struct{ db *DB }

// NewWordPressStore returns the WordPress import store of db.
func NewWordPressStore(db *DB) *WordPressStore { return &WordPressStore{db: db} }

var _ wpimport.Store = (*WordPressStore)(nil)

// Mapping implements wpimport.Store.
func (s *WordPressStore) Mapping(ctx context.Context, source string) (wpimport.Mapping, error) {
	rs, err := s.db.reader().query(ctx, "SELECT kind, wp_key, local_id FROM wp_import_map WHERE source = $1", source)
	if err != nil {
		return nil, normalize(fmt.Errorf("wordpress mapping of %s: %w", source, err))
	}
	defer rs.Close()
	m := wpimport.Mapping{}
	for rs.Next() {
		var kind, key string
		var id int64
		if err := rs.Scan(&kind, &key, &id); err != nil {
			return nil, normalize(fmt.Errorf("scan wordpress mapping of %s: %w", source, err))
		}
		m[wpimport.Key{Kind: wpimport.Kind(kind), Key: key}] = id
	}
	if err := rs.Err(); err != nil {
		return nil, normalize(fmt.Errorf("wordpress mapping of %s: %w", source, err))
	}
	return m, nil
}

// SaveMapping implements wpimport.Store.
func (s *WordPressStore) SaveMapping(ctx context.Context, source string, k wpimport.Key, id int64) error {
	return s.db.inTx(ctx, func(tx *Tx) error {
		return saveWPMapping(ctx, tx.q, source, k, id, "", time.Now())
	})
}

// saveWPMapping records in q that the object k of source became id.
func saveWPMapping(ctx context.Context, q querier, source string, k wpimport.Key, id int64, guid string, at time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO wp_import_map (source, kind, wp_key, local_id, guid, imported_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (source, kind, wp_key) DO UPDATE SET local_id = excluded.local_id, guid = excluded.guid,
			imported_at = excluded.imported_at`,
		source, string(k.Kind), k.Key, id, guid, at.UTC())
	if err != nil {
		return fmt.Errorf("record wordpress %s %s of %s: %w", k.Kind, k.Key, source, err)
	}
	return nil
}

// SaveBatch implements wpimport.Store. Imports are large (a newspaper's
// archive is tens of thousands of posts and ten times more comments), so
// the batch remembers what it already looked up: tags by slug, comments
// by WordPress id. When it fails, the IDs it gave b's new articles,
// comments and redirects are taken back, since they were rolled back.
func (s *WordPressStore) SaveBatch(ctx context.Context, b *wpimport.Batch) error {
	at := time.Now()
	if b.Audit != nil && !b.Audit.At.IsZero() {
		at = b.Audit.At
	}
	var undo []func()
	err := s.db.inTx(ctx, func(tx *Tx) error {
		w := &wpBatch{db: s.db, q: tx.q, source: b.Source, at: at, tags: map[string]int64{}, comments: map[int64]int64{}}
		defer func() { undo = w.undo }()
		if sqlTx, ok := tx.raw.(*sql.Tx); ok {
			w.sqlTx = sqlTx
			defer w.closeStmts()
		}
		var articles, pages, discussed []int64
		for _, p := range b.Posts {
			if err := w.savePost(ctx, p); err != nil {
				return err
			}
			articles = append(articles, p.Article.ID)
			if p.Article.Kind == content.KindPage {
				pages = append(pages, p.Article.ID)
			}
			if len(p.Comments) > 0 {
				discussed = append(discussed, p.Article.ID)
			}
		}
		for _, r := range b.Redirects {
			w.undo = append(w.undo, func(id int64) func() { return func() { r.ID = id } }(r.ID))
			if err := upsertRedirect(ctx, tx.q, r); err != nil {
				return err
			}
		}
		if err := recordAudit(ctx, tx.q, b.Audit); err != nil {
			return err
		}
		if len(articles) > 0 {
			tx.changed(Change{Entity: EntityArticle, IDs: articles})
		}
		if len(pages) > 0 {
			// Every page's footer lists the static pages.
			tx.changed(Change{Entity: EntityPage, IDs: pages})
		}
		if len(discussed) > 0 {
			tx.changed(Change{Entity: EntityComment, IDs: discussed})
		}
		if len(b.Redirects) > 0 {
			tx.changed(Change{Entity: EntityRedirect})
		}
		return nil
	})
	if err != nil {
		for _, fn := range undo {
			fn()
		}
		return fmt.Errorf("import %d wordpress posts from %s: %w", len(b.Posts), b.Source, err)
	}
	return nil
}

// wpBatch writes one batch inside its transaction.
type wpBatch struct {
	db     *DB
	q      querier
	source string
	// at is when the batch was imported, for the mapping.
	at time.Time
	// tags are the tag IDs by slug the batch has found or created.
	tags map[string]int64
	// comments are the local IDs by WordPress id of the comments the
	// batch has written or looked up; 0 for an id no run imported.
	comments map[int64]int64
	// sqlTx, on SQLite, prepares the statements queryRow runs, in stmts.
	sqlTx *sql.Tx
	stmts map[string]*sql.Stmt
	// undo takes back the IDs the batch gave, should it roll back.
	undo []func()
}

// queryRow runs query as Tx.q.queryRow does, but on SQLite prepares it
// once for the batch: writeStmts keeps only statements run with exec
// prepared, and parsing the INSERT … RETURNING of each comment and
// commenter was a third of an import's time. (PostgreSQL's pgx caches
// statements by itself.)
func (w *wpBatch) queryRow(ctx context.Context, query string, args ...any) row {
	if w.sqlTx == nil {
		return w.q.queryRow(ctx, query, args...)
	}
	st, ok := w.stmts[query]
	if !ok {
		var err error
		if st, err = w.sqlTx.PrepareContext(ctx, query); err != nil {
			return errRow{err}
		}
		if w.stmts == nil {
			w.stmts = map[string]*sql.Stmt{}
		}
		w.stmts[query] = st
	}
	return st.QueryRowContext(ctx, sqliteArgs(args)...)
}

// closeStmts closes the statements queryRow prepared.
func (w *wpBatch) closeStmts() {
	for _, st := range w.stmts {
		_ = st.Close()
	}
}

// savePost writes p's article, then its comments.
func (w *wpBatch) savePost(ctx context.Context, p *wpimport.Post) error {
	a := p.Article
	if p.KeepArticle {
		// Unchanged since the last run, or edited in kiosque since: only
		// its new comments are written.
		return w.saveComments(ctx, a.ID, p.Comments)
	}
	replace := a.ID != 0
	if !replace {
		if err := w.insertArticle(ctx, a, p.SearchTerms); err != nil {
			return err
		}
	} else if err := w.replaceArticle(ctx, a, p.SearchTerms); err != nil {
		return err
	}
	if err := w.writeRelations(ctx, a, replace); err != nil {
		return err
	}
	if w.db.dialect == SQLite {
		if err := indexArticle(ctx, w.q, a.ID, p.SearchTerms); err != nil {
			return err
		}
	}
	k := wpimport.Key{Kind: wpimport.KindPost, Key: strconv.FormatInt(p.WPID, 10)}
	if err := saveWPMapping(ctx, w.q, w.source, k, a.ID, p.GUID, w.at); err != nil {
		return err
	}
	return w.saveComments(ctx, a.ID, p.Comments)
}

// saveComments writes the comments of article articleID, in order.
func (w *wpBatch) saveComments(ctx context.Context, articleID int64, cs []*wpimport.Comment) error {
	for _, c := range cs {
		if err := w.saveComment(ctx, articleID, c); err != nil {
			return err
		}
	}
	return nil
}

// insertArticle inserts a as ContentStore.CreateArticle does.
func (w *wpBatch) insertArticle(ctx context.Context, a *content.Article, terms string) error {
	w.undo = append(w.undo, func() { a.ID, a.Version = 0, 0 })
	a.Version = 1
	if a.Kind == "" {
		a.Kind = content.KindPost
	}
	err := w.queryRow(ctx, `INSERT INTO articles (kind, slug, title, excerpt, body, body_html, status, trashed_from, featured,
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
	return nil
}

// replaceArticle overwrites the stored article a.ID with a, as
// ContentStore.UpdateArticle does but whatever version is stored: the
// import's copy wins. The kind and creation time stay those stored
// (WordPress does not turn a post into a page), and a gets them back
// with its new version.
func (w *wpBatch) replaceArticle(ctx context.Context, a *content.Article, terms string) error {
	kept := *a
	w.undo = append(w.undo, func() { a.Kind, a.CreatedAt, a.Version = kept.Kind, kept.CreatedAt, kept.Version })
	var kind string
	var created dbTime
	err := w.queryRow(ctx, `UPDATE articles SET slug = $2, title = $3, excerpt = $4, body = $5,
		body_html = $6, status = $7, featured = $8, comments_open = $9, published_at = $10,
		updated_at = $11, seo_title = $12, seo_description = $13, image_url = $14, image_alt = $15,
		reading_minutes = $16, search_terms = $17, trashed_from = $18, version = version + 1
		WHERE id = $1 RETURNING kind, created_at, version`,
		a.ID, a.Slug, a.Title, a.Excerpt, a.Body, a.BodyHTML, string(a.Status), a.Featured,
		a.CommentsOpen, nullTime(a.PublishedAt), a.UpdatedAt.UTC(), a.SEOTitle, a.SEODescription,
		a.ImageURL, a.ImageAlt, a.ReadingMinutes, terms, string(a.TrashedFrom)).Scan(&kind, &created, &a.Version)
	if err != nil {
		return fmt.Errorf("update article %d: %w", a.ID, err)
	}
	a.Kind, a.CreatedAt = content.Kind(kind), created.t
	return nil
}

// writeRelations writes a's authors, categories and tags (replacing the
// stored ones when replace), as ContentStore.afterWrite does, finding each
// tag once per batch.
func (w *wpBatch) writeRelations(ctx context.Context, a *content.Article, replace bool) error {
	return writeRelations(ctx, w.q, a, replace, func(t *content.Tag) error {
		if id, ok := w.tags[t.Slug]; ok {
			t.ID = id
			return nil
		}
		err := w.queryRow(ctx, `INSERT INTO tags (slug, name, created_at) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id`, t.Slug, t.Name, a.UpdatedAt.UTC()).Scan(&t.ID)
		if err == nil {
			w.tags[t.Slug] = t.ID
		}
		return err
	})
}

// saveComment inserts or updates one comment of article articleID.
func (w *wpBatch) saveComment(ctx context.Context, articleID int64, wc *wpimport.Comment) error {
	c := wc.Comment
	c.ArticleID = articleID
	c.AuthorEmail = strings.ToLower(strings.TrimSpace(c.AuthorEmail))
	var err error
	if c.ParentID, err = w.parentID(ctx, articleID, wc.WPParent); err != nil {
		return err
	}
	c.UpdatedAt = c.CreatedAt
	if c.ID == 0 && w.db.dialect == Postgres {
		// One round trip instead of four: on PostgreSQL, where each costs
		// a network exchange, the comments are most of an import's time.
		if err := w.insertCommentPG(ctx, wc); err != nil {
			return err
		}
		w.comments[wc.WPID] = c.ID
		return nil
	}
	if c.UserID == 0 && c.AuthorEmail != "" {
		if err := upsertCommenter(ctx, w, c, c.AuthorEmail); err != nil {
			return fmt.Errorf("record commenter of wordpress comment %d: %w", wc.WPID, err)
		}
	}
	if c.ID == 0 {
		if err := w.insertComment(ctx, wc); err != nil {
			return err
		}
	} else {
		n, err := w.q.exec(ctx, `UPDATE comments SET parent_id = $2, person_id = $3, author_name = $4, author_email = $5,
			author_url = $6, status = $7, body = $8, body_html = $9, fingerprint = $10, created_at = $11, updated_at = $11
			WHERE id = $1`, c.ID, nullID(c.ParentID), nullID(c.PersonID), c.AuthorName, c.AuthorEmail,
			c.AuthorURL, string(c.Status), c.Body, c.BodyHTML, spam.Fingerprint(c.Body), c.CreatedAt.UTC())
		if err != nil {
			return fmt.Errorf("update comment %d: %w", c.ID, err)
		}
		if n == 0 {
			return fmt.Errorf("update comment %d: %w", c.ID, errNoRows)
		}
	}
	w.comments[wc.WPID] = c.ID
	k := wpimport.Key{Kind: wpimport.KindComment, Key: strconv.FormatInt(wc.WPID, 10)}
	return saveWPMapping(ctx, w.q, w.source, k, c.ID, "", w.at)
}

// insertCommentPG does on PostgreSQL, in one statement, what the SQLite
// path does in four: the commenter's person record (upsertCommenter), the
// comment (insertCommentRow), its legal log entry and its mapping.
func (w *wpBatch) insertCommentPG(ctx context.Context, wc *wpimport.Comment) error {
	c := wc.Comment
	w.undo = append(w.undo, func() { c.ID, c.PersonID = 0, 0 })
	address, network := logKeys(wc.IP)
	err := w.q.queryRow(ctx, `WITH p AS (
			INSERT INTO people (email, name, url, created_at, updated_at)
			SELECT $5, $4, $6, $12, $12 WHERE $5 <> '' AND $3::bigint IS NULL
			ON CONFLICT (email) WHERE email <> '' DO UPDATE SET name = excluded.name, url = excluded.url, updated_at = excluded.updated_at
			RETURNING id
		), c AS (
			INSERT INTO comments (article_id, parent_id, person_id, user_id, author_name, author_email, author_url,
				status, score, reasons, notify_replies, fingerprint, created_at, updated_at, body, body_html)
			VALUES ($1, $2, (SELECT id FROM p), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)
			RETURNING id, person_id
		), l AS (
			INSERT INTO comment_log (comment_id, operation, person_id, user_id, ip, port, address, network, at)
			SELECT id, 'create', person_id, $3, $15, 0, $16, $17, $12 FROM c
		), m AS (
			INSERT INTO wp_import_map (source, kind, wp_key, local_id, guid, imported_at)
			SELECT $18, 'comment', $19, id, '', $20 FROM c
			ON CONFLICT (source, kind, wp_key) DO UPDATE SET local_id = excluded.local_id, guid = excluded.guid,
				imported_at = excluded.imported_at
		)
		SELECT id, COALESCE(person_id, 0) FROM c`,
		c.ArticleID, nullID(c.ParentID), nullID(c.UserID), c.AuthorName, c.AuthorEmail, c.AuthorURL,
		string(c.Status), c.Score, strings.Join(c.Reasons, " "), c.NotifyReplies, spam.Fingerprint(c.Body),
		c.CreatedAt.UTC(), c.Body, c.BodyHTML, wc.IP, address, network,
		w.source, strconv.FormatInt(wc.WPID, 10), w.at.UTC()).Scan(&c.ID, &c.PersonID)
	if err != nil {
		return fmt.Errorf("insert wordpress comment %d on article %d: %w", wc.WPID, c.ArticleID, err)
	}
	return nil
}

// insertComment inserts wc as CreateComment does, with the legal log's
// entry of its creation.
func (w *wpBatch) insertComment(ctx context.Context, wc *wpimport.Comment) error {
	c := wc.Comment
	w.undo = append(w.undo, func() { c.ID = 0 })
	if err := insertCommentRow(ctx, w, c, c.AuthorEmail); err != nil {
		return fmt.Errorf("insert wordpress comment %d on article %d: %w", wc.WPID, c.ArticleID, err)
	}
	log := comments.LogEntry{CommentID: c.ID, Operation: comments.OpCreate, PersonID: c.PersonID, UserID: c.UserID,
		IP: wc.IP, At: c.CreatedAt}
	log.Address, log.Network = logKeys(wc.IP)
	return recordCommentLog(ctx, w.q, log)
}

// logKeys returns the legal log's address and network keys of an imported
// comment's IP, as comments.Service.Import does; an address WordPress
// garbled is kept as written, without its keys.
func logKeys(ip string) (address, network string) {
	if ip == "" {
		return "", ""
	}
	address, network, _ = spam.RateKeys(ip)
	return address, network
}

// parentID returns the local ID of the comment of article articleID
// whose WordPress id is wpParent: one of this batch, else one an earlier
// run imported and that is still there, else 0.
func (w *wpBatch) parentID(ctx context.Context, articleID, wpParent int64) (int64, error) {
	if wpParent == 0 {
		return 0, nil
	}
	if id, ok := w.comments[wpParent]; ok {
		return id, nil
	}
	var id int64
	err := w.queryRow(ctx, `SELECT m.local_id FROM wp_import_map m JOIN comments c ON c.id = m.local_id
		WHERE m.source = $1 AND m.kind = $2 AND m.wp_key = $3 AND c.article_id = $4`,
		w.source, string(wpimport.KindComment), strconv.FormatInt(wpParent, 10), articleID).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) && !errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("find wordpress comment %d: %w", wpParent, err)
	}
	w.comments[wpParent] = id
	return id, nil
}
