-- +goose Up
-- Tax receipts (reçus fiscaux, Cerfa n° 11580*05). Numbers run on an
-- unbroken sequence per year: the counter is taken in the transaction
-- that stores the receipt, so a failed issue gives its number back and two
-- issues at once never share one. A receipt is never deleted nor
-- renumbered: cancelling it records the date and keeps the number.
CREATE TABLE receipt_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE receipts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    donor_id     INTEGER REFERENCES donors (id) ON DELETE SET NULL,
    -- The gift of a single receipt; NULL for an annual one.
    donation_id  INTEGER REFERENCES donations (id) ON DELETE SET NULL,
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    method       TEXT NOT NULL,
    -- The donor as the receipt names them, kept as issued.
    donor_name   TEXT NOT NULL,
    donor_address TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('issued', 'annulled')),
    issued_at    TEXT NOT NULL,
    annulled_at  TEXT,
    -- The receipt this one replaces, when a correction was issued.
    replaces_id  INTEGER REFERENCES receipts (id),
    -- The PDF as sent: re-downloads give the same bytes.
    pdf          BLOB NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX receipts_donor ON receipts (donor_id);
CREATE UNIQUE INDEX receipts_donation ON receipts (donation_id) WHERE donation_id IS NOT NULL AND status = 'issued';

-- +goose Down
DROP TABLE receipts;
DROP TABLE receipt_counters;
