-- +goose Up
-- Old addresses (WordPress permalinks, renamed pages) and where they now
-- lead. The public site holds the whole table in memory, by from_key.

CREATE TABLE redirects (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The old address as typed: a path, or "/?p=123".
    from_path   TEXT NOT NULL,
    -- from_path normalised for matching (redirects.KeyOf): decoded, lower
    -- case, no trailing slash. One redirect per key.
    from_key    TEXT NOT NULL UNIQUE,
    to_url      TEXT NOT NULL,
    code        INTEGER NOT NULL DEFAULT 301 CHECK (code IN (301, 302)),
    source      TEXT NOT NULL CHECK (source IN ('wordpress', 'manual')),
    hits        INTEGER NOT NULL DEFAULT 0,
    last_hit_at TEXT,
    created_at  TEXT NOT NULL
);

-- +goose Down
DROP TABLE redirects;
