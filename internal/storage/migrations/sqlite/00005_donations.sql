-- +goose Up
-- Readers' support. A donor is a person (people, by email) with what a
-- tax receipt needs: full names and postal address.
CREATE TABLE donors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    -- Lower-cased; empty once the donor asked to be erased (their gifts
    -- stay, anonymous, for the accounts).
    email       TEXT NOT NULL,
    first_names TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT 'FR',
    -- Left out of public counts (the campaign's number of donors).
    anonymous   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX donors_email ON donors (email) WHERE email <> '';

CREATE TABLE campaigns (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT NOT NULL,
    goal_cents INTEGER NOT NULL CHECK (goal_cents > 0),
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX campaigns_dates ON campaigns (starts_at, ends_at);

-- Monthly gifts: one row per standing order, each payment a donation.
CREATE TABLE subscriptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    donor_id     INTEGER REFERENCES donors (id) ON DELETE SET NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    currency     TEXT NOT NULL DEFAULT 'eur',
    provider     TEXT NOT NULL,
    -- The provider's id (sub_…), known once the first payment is made.
    provider_id  TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'active', 'cancelled')),
    started_at   TEXT,
    cancelled_at TEXT,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX subscriptions_provider ON subscriptions (provider, provider_id) WHERE provider_id <> '';

CREATE TABLE donations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The id given to the payment provider, unguessable.
    reference       TEXT NOT NULL UNIQUE,
    donor_id        INTEGER REFERENCES donors (id) ON DELETE SET NULL,
    subscription_id INTEGER REFERENCES subscriptions (id) ON DELETE SET NULL,
    campaign_id     INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    currency        TEXT NOT NULL DEFAULT 'eur',
    frequency       TEXT NOT NULL CHECK (frequency IN ('one_off', 'monthly')),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'refunded')),
    method          TEXT NOT NULL CHECK (method IN ('card', 'cheque', 'transfer', 'cash', 'other')),
    provider        TEXT NOT NULL,
    session_id      TEXT NOT NULL DEFAULT '',
    payment_id      TEXT NOT NULL DEFAULT '',
    invoice_id      TEXT NOT NULL DEFAULT '',
    refunded_cents  INTEGER NOT NULL DEFAULT 0,
    note            TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    -- When the money reached the association: a receipt's date.
    paid_at         TEXT,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX donations_session ON donations (session_id) WHERE session_id <> '';
-- A monthly payment is recorded once, whatever the deliveries.
CREATE UNIQUE INDEX donations_invoice ON donations (provider, invoice_id) WHERE invoice_id <> '';
CREATE INDEX donations_payment ON donations (payment_id) WHERE payment_id <> '';
CREATE INDEX donations_status ON donations (status, paid_at);
CREATE INDEX donations_donor ON donations (donor_id);
CREATE INDEX donations_campaign ON donations (campaign_id, status);

-- The provider events applied, each once.
CREATE TABLE payment_events (
    provider    TEXT NOT NULL,
    id          TEXT NOT NULL,
    type        TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (provider, id)
);

-- +goose Down
DROP TABLE payment_events;
DROP TABLE donations;
DROP TABLE subscriptions;
DROP TABLE campaigns;
DROP TABLE donors;
