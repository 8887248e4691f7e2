-- +goose Up
-- What the donor received in return for a gift (a book offered), at its
-- value: above a small yearly ceiling per donor, no tax receipt.
ALTER TABLE donations ADD COLUMN counterpart_cents BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE donations DROP COLUMN counterpart_cents;
