-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    bio           TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE categories (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
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
    body            TEXT NOT NULL DEFAULT '',
    body_html       TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'published')),
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
    search_terms    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX articles_status_published ON articles (status, published_at DESC, id DESC);

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
DROP TABLE article_fts;
DROP TABLE article_tags;
DROP TABLE article_categories;
DROP TABLE article_authors;
DROP TABLE articles;
DROP TABLE tags;
DROP TABLE categories;
DROP TABLE users;
