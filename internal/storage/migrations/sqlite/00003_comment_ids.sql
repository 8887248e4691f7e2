-- +goose Up
-- A comment's id must never be given to another comment: the legal log
-- keeps the entries of an erased comment (GDPR erasure, an article
-- deleted) for a year, by comment_id, without a foreign key. SQLite gives
-- a new row the largest id plus one, so erasing the newest comments would
-- hand their ids, and their log entries, to the next comments; with
-- AUTOINCREMENT it never reuses an id. SQLite cannot change a primary key
-- in place: the table is rebuilt. The new table refers to itself under
-- its new name, so dropping the old one (an implicit DELETE, with foreign
-- keys on) touches no other row, and the rename carries the reference
-- over. Nothing else refers to comments.
CREATE TABLE comments_new (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id      INTEGER REFERENCES comments_new (id) ON DELETE SET NULL,
    person_id      INTEGER REFERENCES people (id) ON DELETE SET NULL,
    -- The staff account of a reply written as the newsroom.
    user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name    TEXT NOT NULL,
    author_email   TEXT NOT NULL DEFAULT '',
    author_url     TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    -- The spam scorer's estimate and the codes of the rules that fired.
    score          REAL NOT NULL DEFAULT 0,
    reasons        TEXT NOT NULL DEFAULT '',
    -- What the classifier learnt from this comment ('', 'spam', 'ham')
    -- and from which tokens, so a reversed decision moves exactly those
    -- counts, even after the text was edited.
    trained        TEXT NOT NULL DEFAULT '' CHECK (trained IN ('', 'spam', 'ham')),
    trained_tokens TEXT NOT NULL DEFAULT '',
    notify_replies BOOLEAN NOT NULL DEFAULT FALSE,
    -- spam.Fingerprint of the body: the same text posted again is spam.
    fingerprint    TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    -- Long texts last (see articles).
    body           TEXT NOT NULL,
    body_html      TEXT NOT NULL
);
INSERT INTO comments_new (id, article_id, parent_id, person_id, user_id, author_name, author_email, author_url, status,
    score, reasons, trained, trained_tokens, notify_replies, fingerprint, created_at, updated_at, body, body_html)
SELECT id, article_id, parent_id, person_id, user_id, author_name, author_email, author_url, status,
    score, reasons, trained, trained_tokens, notify_replies, fingerprint, created_at, updated_at, body, body_html
FROM comments;
-- The ids the log still names, of comments already gone, stay out of
-- reach too.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'comments_new', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'comments_new');
UPDATE sqlite_sequence SET seq = MAX(seq, (SELECT COALESCE(MAX(comment_id), 0) FROM comment_log))
WHERE name = 'comments_new';
DROP TABLE comments;
ALTER TABLE comments_new RENAME TO comments;
CREATE INDEX comments_article ON comments (article_id, status, created_at, id);
CREATE INDEX comments_status ON comments (status, created_at DESC, id DESC);
CREATE INDEX comments_person ON comments (person_id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_fingerprint ON comments (fingerprint, created_at);

-- +goose Down
CREATE TABLE comments_old (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id      INTEGER REFERENCES comments_old (id) ON DELETE SET NULL,
    person_id      INTEGER REFERENCES people (id) ON DELETE SET NULL,
    user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name    TEXT NOT NULL,
    author_email   TEXT NOT NULL DEFAULT '',
    author_url     TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
    score          REAL NOT NULL DEFAULT 0,
    reasons        TEXT NOT NULL DEFAULT '',
    trained        TEXT NOT NULL DEFAULT '' CHECK (trained IN ('', 'spam', 'ham')),
    trained_tokens TEXT NOT NULL DEFAULT '',
    notify_replies BOOLEAN NOT NULL DEFAULT FALSE,
    fingerprint    TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    body           TEXT NOT NULL,
    body_html      TEXT NOT NULL
);
INSERT INTO comments_old (id, article_id, parent_id, person_id, user_id, author_name, author_email, author_url, status,
    score, reasons, trained, trained_tokens, notify_replies, fingerprint, created_at, updated_at, body, body_html)
SELECT id, article_id, parent_id, person_id, user_id, author_name, author_email, author_url, status,
    score, reasons, trained, trained_tokens, notify_replies, fingerprint, created_at, updated_at, body, body_html
FROM comments;
DROP TABLE comments;
ALTER TABLE comments_old RENAME TO comments;
CREATE INDEX comments_article ON comments (article_id, status, created_at, id);
CREATE INDEX comments_status ON comments (status, created_at DESC, id DESC);
CREATE INDEX comments_person ON comments (person_id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_fingerprint ON comments (fingerprint, created_at);
