-- +goose Up
-- A donor's erasure (GDPR art. 17): the record stays, blanked, so that the
-- gifts and the tax receipts that point to it keep their amounts and dates
-- for the accounts; erased_at says when, and leaves it out of the lists.
ALTER TABLE donors ADD COLUMN erased_at TEXT;

-- +goose Down
ALTER TABLE donors DROP COLUMN erased_at;
