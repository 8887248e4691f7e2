-- +goose Up
-- People who are not staff, one per email: commenters now, donors and
-- customers later, so that one GDPR export or erasure finds everything.
CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    -- Lower-cased; empty once the person asked to be erased.
    email      TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    url        TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX people_email ON people (email) WHERE email <> '';

CREATE TABLE comments (
    id             INTEGER PRIMARY KEY,
    article_id     INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    parent_id      INTEGER REFERENCES comments (id) ON DELETE SET NULL,
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
-- An article's thread, and its count of approved comments, from the index.
CREATE INDEX comments_article ON comments (article_id, status, created_at, id);
-- The moderation queue, newest first per tab.
CREATE INDEX comments_status ON comments (status, created_at DESC, id DESC);
CREATE INDEX comments_person ON comments (person_id);
CREATE INDEX comments_parent ON comments (parent_id);
CREATE INDEX comments_fingerprint ON comments (fingerprint, created_at);

-- The legal log of comment operations (LCEN, décret 2021-1362): the
-- address and port each was made from, kept one year, then purged by a
-- daily job. No foreign key: the log outlives an erased comment.
CREATE TABLE comment_log (
    id         INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL,
    operation  TEXT NOT NULL CHECK (operation IN ('create', 'modify', 'delete')),
    person_id  INTEGER,
    user_id    INTEGER,
    ip         TEXT NOT NULL DEFAULT '',
    port       INTEGER NOT NULL DEFAULT 0,
    -- spam.RateKeys of the address (its /32 or /64) and of its network
    -- block (/24 or /48), for the rate limits.
    address    TEXT NOT NULL DEFAULT '',
    network    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
);
CREATE INDEX comment_log_at ON comment_log (at);
CREATE INDEX comment_log_comment ON comment_log (comment_id);
CREATE INDEX comment_log_address ON comment_log (address, at);
CREATE INDEX comment_log_network ON comment_log (network, at);

-- The spam classifier: in how many spam and legitimate comments each
-- token appeared. The row of the empty token holds the message totals.
CREATE TABLE spam_tokens (
    token TEXT PRIMARY KEY,
    spam  INTEGER NOT NULL DEFAULT 0,
    ham   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- +goose Down
DROP TABLE spam_tokens;
DROP TABLE comment_log;
DROP TABLE comments;
DROP TABLE people;
