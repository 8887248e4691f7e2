-- +goose Up
-- Notices about comments (DSA art. 16) and the decisions taken on them
-- (art. 17). comment_id has no foreign key, as in comment_log: a report
-- is the record of a notice received and acted upon, and must outlive
-- its comment when the author's data are erased or the article deleted.
-- A foreign key would either delete the report with the comment (CASCADE)
-- or forget which comment it named (SET NULL); comment ids are never
-- given twice (00003), so the id stays that of the comment reported.
CREATE TABLE comment_reports (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    comment_id  INTEGER NOT NULL,
    reason      TEXT NOT NULL CHECK (reason IN ('hate', 'defamation', 'harassment', 'child_abuse', 'terrorism',
        'privacy', 'intellectual_property', 'spam', 'other')),
    -- The notifier's substantiated reasons, and the exact address of the
    -- comment as they gave it.
    explanation TEXT NOT NULL,
    url         TEXT NOT NULL,
    -- Empty for an anonymous notice of child sexual abuse.
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    good_faith  BOOLEAN NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'removed', 'kept')),
    -- The moderator's grounds, sent to the notifier and the author.
    note        TEXT NOT NULL DEFAULT '',
    decided_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    decided_at  TEXT,
    -- Where the notice came from, and its spam.RateKeys for the limits.
    ip          TEXT NOT NULL DEFAULT '',
    port        INTEGER NOT NULL DEFAULT 0,
    address     TEXT NOT NULL DEFAULT '',
    network     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
-- The back office's list, open reports first, and their count.
CREATE INDEX comment_reports_status ON comment_reports (status, created_at DESC, id DESC);
-- The open reports of a comment, decided together.
CREATE INDEX comment_reports_comment ON comment_reports (comment_id, status);
CREATE INDEX comment_reports_address ON comment_reports (address, created_at);
CREATE INDEX comment_reports_network ON comment_reports (network, created_at);

-- +goose Down
DROP TABLE comment_reports;
