-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    bio           TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    -- TOTP second factor: the base32 secret, and whether it is confirmed.
    totp_secret   TEXT NOT NULL DEFAULT '',
    totp_enabled  BOOLEAN NOT NULL DEFAULT FALSE,
    -- A disabled account cannot log in; its articles keep their author.
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Staff sessions: the cookie holds a random token, the table its SHA-256,
-- so a leaked database does not leak live sessions.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    -- Set while a password was right but the second factor is awaited.
    mfa_pending BOOLEAN NOT NULL DEFAULT FALSE,
    ip          TEXT NOT NULL DEFAULT '',
    user_agent  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Password reset links: single use (used_at), expiring.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Failed logins by key ("account:…" or "address:…") in a window, shared by
-- every instance so throttling holds behind a load balancer.
CREATE TABLE login_failures (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    locked_until TEXT
);

-- Who did what and when, for admins.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    user_name   TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL DEFAULT '',
    target_id   INTEGER,
    summary     TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at DESC);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    -- Categories nest one under another.
    parent_id   INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE tags (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    excerpt         TEXT NOT NULL DEFAULT '',
    -- post: a dated article; page: a static page (About, Legal notice…).
    kind            TEXT NOT NULL DEFAULT 'post' CHECK (kind IN ('post', 'page')),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'pending', 'scheduled', 'published', 'trash')),
    -- The status before it was trashed, to restore it.
    trashed_from    TEXT NOT NULL DEFAULT '',
    featured        BOOLEAN NOT NULL DEFAULT FALSE,
    comments_open   BOOLEAN NOT NULL DEFAULT TRUE,
    published_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    seo_title       TEXT NOT NULL DEFAULT '',
    seo_description TEXT NOT NULL DEFAULT '',
    image_url       TEXT NOT NULL DEFAULT '',
    image_alt       TEXT NOT NULL DEFAULT '',
    reading_minutes INTEGER NOT NULL DEFAULT 1,
    version         INTEGER NOT NULL DEFAULT 1,
    -- The long texts come last: SQLite reads a row's columns in order,
    -- so the lists and counts that filter on the columns above never walk
    -- the overflow pages of a body (a list of 10,000 articles was 4x
    -- slower with the bodies first).
    body            TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    search_terms    TEXT NOT NULL DEFAULT ''
);
-- Lists and counts read these indexes alone, never the rows (whose bodies
-- make each one a page or more): visible articles by date, with the kind
-- and update time their filters and feeds ask for; and the back office's
-- list, by update time.
CREATE INDEX articles_status_published ON articles (status, published_at DESC, id DESC, kind, updated_at);
CREATE INDEX articles_updated ON articles (kind, updated_at DESC, id DESC, status);

-- Every save keeps a revision; autosaves keep one per article and writer.
CREATE TABLE article_revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    autosave   BOOLEAN NOT NULL DEFAULT FALSE,
    user_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title      TEXT NOT NULL,
    excerpt    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX article_revisions_article ON article_revisions (article_id, id DESC);

-- Uploaded images: the files live in the data directory (or object
-- storage), named from the ID; variants are the responsive sizes.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY,
    sha256       TEXT NOT NULL,
    filename     TEXT NOT NULL,
    alt          TEXT NOT NULL DEFAULT '',
    caption      TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    bytes        INTEGER NOT NULL,
    path         TEXT NOT NULL,
    variants     TEXT NOT NULL DEFAULT '[]',
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX media_created ON media (created_at DESC, id DESC);
CREATE INDEX media_sha256 ON media (sha256);
CREATE UNIQUE INDEX media_path ON media (path);

CREATE TABLE article_authors (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    position   INTEGER NOT NULL DEFAULT 0,
    -- Clustered by article then position: an article's relations come
    -- out in order without sorting.
    PRIMARY KEY (article_id, position),
    UNIQUE (article_id, user_id)
) WITHOUT ROWID;
CREATE INDEX article_authors_user ON article_authors (user_id, article_id);

CREATE TABLE article_categories (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories (id),
    position    INTEGER NOT NULL DEFAULT 0,
    -- Clustered by article then position: an article's relations come
    -- out in order without sorting.
    PRIMARY KEY (article_id, position),
    UNIQUE (article_id, category_id)
) WITHOUT ROWID;
CREATE INDEX article_categories_category ON article_categories (category_id, article_id);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id),
    position   INTEGER NOT NULL DEFAULT 0,
    -- Clustered by article then position: an article's relations come
    -- out in order without sorting.
    PRIMARY KEY (article_id, position),
    UNIQUE (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags (tag_id, article_id);

-- Search terms come already analyzed by package search (stemmed, folded), so
-- the plain unicode61 tokenizer only splits them on spaces.
CREATE VIRTUAL TABLE article_fts USING fts5 (terms, tokenize = 'unicode61 remove_diacritics 0');

-- The "related articles" of each article, best first, computed when an
-- article is saved (and its neighbours' lists then) and refreshed nightly,
-- so that an article page reads them by key instead of scoring every
-- article of its sections. Readers only see those visible at read time.
CREATE TABLE article_related (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    related_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_related_related ON article_related (related_id);

CREATE TABLE settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- +goose Down
DROP TABLE settings;
DROP TABLE article_related;
DROP TABLE media;
DROP TABLE article_revisions;
DROP TABLE audit_log;
DROP TABLE login_failures;
DROP TABLE password_resets;
DROP TABLE sessions;
DROP TABLE article_fts;
DROP TABLE article_tags;
DROP TABLE article_categories;
DROP TABLE article_authors;
DROP TABLE articles;
DROP TABLE tags;
DROP TABLE categories;
DROP TABLE users;
