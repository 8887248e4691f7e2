-- +goose Up
-- Social auto-publishing: the newsroom's accounts on the networks, and
-- each article's deliveries to them (the outbox and its log).

CREATE TABLE social_accounts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    network     TEXT NOT NULL,
    name        TEXT NOT NULL,
    -- What is not secret, as a JSON object (see syndication.Network.Fields).
    config      TEXT NOT NULL DEFAULT '{}',
    -- The secrets, a JSON object sealed by package secretbox with a key
    -- that is not in the database.
    secrets     BLOB NOT NULL,
    template    TEXT NOT NULL,
    rules       TEXT NOT NULL DEFAULT '{}',
    enabled     INTEGER NOT NULL DEFAULT 1,
    failing     INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT NOT NULL DEFAULT '',
    profile_name TEXT NOT NULL DEFAULT '',
    profile_url TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One row per article, account, kind and article version: the unique key
-- is the guard against posting one article twice to one account. No
-- foreign key to articles: deleting an article deletes its posts on the
-- networks through these rows, which must outlive it.
CREATE TABLE social_deliveries (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id      INTEGER NOT NULL,
    account_id      INTEGER NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('post', 'update', 'repost', 'delete')),
    version         INTEGER NOT NULL DEFAULT 0,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'retrying', 'sent', 'failed', 'check', 'skipped', 'deleted')),
    idem_key        TEXT NOT NULL,
    checkpoint      TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    remote_id       TEXT NOT NULL DEFAULT '',
    remote_url      TEXT NOT NULL DEFAULT '',
    error           TEXT NOT NULL DEFAULT '',
    error_class     TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    sent_at         TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (article_id, account_id, kind, version)
);
CREATE INDEX social_deliveries_recent ON social_deliveries (updated_at DESC, id DESC);
CREATE INDEX social_deliveries_account ON social_deliveries (account_id, updated_at DESC);

-- An editor's choices for one article and account: skip it, or send
-- another message than the template's.
CREATE TABLE social_overrides (
    article_id INTEGER NOT NULL,
    account_id INTEGER NOT NULL REFERENCES social_accounts (id) ON DELETE CASCADE,
    skip       INTEGER NOT NULL DEFAULT 0,
    message    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, account_id)
);

-- +goose Down
DROP TABLE social_overrides;
DROP TABLE social_deliveries;
DROP TABLE social_accounts;
