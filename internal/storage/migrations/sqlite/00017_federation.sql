-- +goose Up
-- ActivityPub federation: the publication and its authors as fediverse
-- actors. Who follows them, what the site knows of remote actors and
-- instances, what it received and sent, and the likes and boosts its
-- articles got. Bodies are kept as bytes: a received activity is stored as
-- it came (its digest was checked on those bytes), and PostgreSQL's TEXT
-- would refuse the invalid UTF-8 that JSON decoders let through.

-- The accounts that follow one of the site's actors. One row per actor
-- followed and follower: a second Follow updates it.
CREATE TABLE ap_followers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The actor followed: '' for the publication, else an author's slug.
    local_actor  TEXT NOT NULL,
    -- The follower's actor URL, and what the back office shows of it.
    actor_id     TEXT NOT NULL,
    handle       TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    -- The actor URL's host: the unit of domain blocks and of delivery
    -- backoff.
    host         TEXT NOT NULL,
    -- Where activities go: the shared inbox when the instance has one,
    -- so an instance with a thousand followers gets one delivery.
    inbox        TEXT NOT NULL,
    shared_inbox TEXT NOT NULL DEFAULT '',
    -- The Follow as received, which the Accept or Reject carries back,
    -- and its id, which an Undo names.
    follow_id    TEXT NOT NULL DEFAULT '',
    follow_json  BLOB NOT NULL,
    -- pending waits for the newsroom's approval (a locked actor).
    state        TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    created_at   TEXT NOT NULL,
    UNIQUE (local_actor, actor_id)
);
-- A domain block removes every follower of the instance.
CREATE INDEX ap_followers_host ON ap_followers (host);
-- An account block or deletion removes the actor's follows of every
-- local actor.
CREATE INDEX ap_followers_actor ON ap_followers (actor_id);
-- The back office's list and the followers collection, newest first.
CREATE INDEX ap_followers_recent ON ap_followers (local_actor, created_at DESC, id DESC);

-- Remote actors as last fetched: their public key checks the signatures
-- of what they send without fetching them again for each activity.
CREATE TABLE ap_actors (
    id             TEXT PRIMARY KEY,
    -- A signature names its key, not its actor: the verifier looks the
    -- key up by its id.
    key_id         TEXT NOT NULL DEFAULT '',
    public_key_pem TEXT NOT NULL DEFAULT '',
    inbox          TEXT NOT NULL DEFAULT '',
    shared_inbox   TEXT NOT NULL DEFAULT '',
    handle         TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    url            TEXT NOT NULL DEFAULT '',
    icon_url       TEXT NOT NULL DEFAULT '',
    -- The actor answered 410 or sent its own Delete: its account is gone.
    gone           INTEGER NOT NULL DEFAULT 0,
    -- When to fetch it again.
    fetched_at     TEXT NOT NULL
);
CREATE INDEX ap_actors_key ON ap_actors (key_id);

-- Accounts (by actor URL) and instances (by host) whose activities are
-- dropped and which receive nothing.
CREATE TABLE ap_blocks (
    kind       TEXT NOT NULL CHECK (kind IN ('actor', 'domain')),
    value      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, value)
) WITHOUT ROWID;

-- Activities received, kept from their arrival to their processing by a
-- job (the request answers at once), then for a while so that a second
-- delivery of one id is dropped. AUTOINCREMENT: the job names the row
-- by id, which a purged row must never give to another.
CREATE TABLE ap_inbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  TEXT NOT NULL UNIQUE,
    -- The signature's key owner, checked before the row is written.
    actor_id     TEXT NOT NULL,
    type         TEXT NOT NULL,
    body         BLOB NOT NULL,
    received_at  TEXT NOT NULL,
    -- What processing made of it; '' until processed.
    outcome      TEXT NOT NULL DEFAULT '',
    processed_at TEXT
);
-- The purge deletes the oldest.
CREATE INDEX ap_inbox_received ON ap_inbox (received_at);

-- Activities the site sent, stored once whatever the number of inboxes,
-- and served at their id. No foreign key to articles: the Delete of a
-- deleted article must outlive it.
CREATE TABLE ap_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id TEXT NOT NULL UNIQUE,
    type        TEXT NOT NULL,
    -- NULL for an activity about no article (an Accept, a Reject).
    article_id  INTEGER,
    -- The sender: '' for the publication, else an author's slug.
    local_actor TEXT NOT NULL DEFAULT '',
    body        BLOB NOT NULL,
    created_at  TEXT NOT NULL
);
-- The outbox collection: an actor's Creates, newest first.
CREATE INDEX ap_outbox_actor ON ap_outbox (local_actor, type, created_at DESC);
-- An article's activities: the outbox shows only its latest Create.
CREATE INDEX ap_outbox_article ON ap_outbox (article_id, type);

-- What the fediverse was last told of each article, so an edit sends an
-- Update only for a new version, and a Delete names the type the article
-- was sent as. No foreign key: the row of a deleted article says so.
CREATE TABLE ap_articles (
    article_id  INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL,
    deleted     INTEGER NOT NULL DEFAULT 0,
    -- 'Article' or 'Note'.
    object_type TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One outgoing activity to one inbox, with its own job and retries. The
-- unique key makes each inbox get an activity once. AUTOINCREMENT: the
-- job names the row by id.
CREATE TABLE ap_deliveries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    outbox_id  INTEGER NOT NULL REFERENCES ap_outbox (id) ON DELETE CASCADE,
    inbox      TEXT NOT NULL,
    -- The instance, whose health (ap_instances) paces the retries.
    host       TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dropped')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (outbox_id, inbox)
);
-- The deliveries pending or dropped: the back office's counts, and a
-- sweep of those whose job was lost.
CREATE INDEX ap_deliveries_state ON ap_deliveries (state);

-- Each remote instance's health: after a failure its deliveries wait
-- until retry_at, so a dead instance costs one attempt per backoff step,
-- not one per follower or activity.
CREATE TABLE ap_instances (
    host       TEXT PRIMARY KEY,
    failures   INTEGER NOT NULL DEFAULT 0,
    retry_at   TEXT,
    last_ok_at TEXT,
    last_error TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;

-- Likes and boosts of the articles, by the id of the Like or Announce
-- that an Undo names. They go with their article.
CREATE TABLE ap_reactions (
    activity_id TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('like', 'announce')),
    actor_id    TEXT NOT NULL,
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
-- The counts under articles, from the index alone: one account counts
-- once however many Likes it sent.
CREATE INDEX ap_reactions_article ON ap_reactions (article_id, kind, actor_id);
-- A deleted account's reactions go with it.
CREATE INDEX ap_reactions_actor ON ap_reactions (actor_id);

-- A reply from the fediverse becomes a comment: its ActivityPub id finds
-- it again when its author edits or deletes it, and keeps a redelivered
-- reply from being stored twice. NULL for the site's own comments.
ALTER TABLE comments ADD COLUMN remote_id TEXT;
CREATE UNIQUE INDEX comments_remote_id ON comments (remote_id) WHERE remote_id IS NOT NULL;

-- +goose Down
DROP INDEX comments_remote_id;
ALTER TABLE comments DROP COLUMN remote_id;
DROP TABLE ap_reactions;
DROP TABLE ap_instances;
DROP TABLE ap_deliveries;
DROP TABLE ap_articles;
DROP TABLE ap_outbox;
DROP TABLE ap_inbox;
DROP TABLE ap_blocks;
DROP TABLE ap_actors;
DROP TABLE ap_followers;
