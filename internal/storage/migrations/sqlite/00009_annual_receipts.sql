-- +goose Up
-- One issued summary receipt per donor and year for monthly gifts: two
-- runs of the January job at once cannot both issue one.
CREATE UNIQUE INDEX receipts_annual ON receipts (donor_id, year) WHERE donation_id IS NULL AND status = 'issued';

-- +goose Down
DROP INDEX receipts_annual;
