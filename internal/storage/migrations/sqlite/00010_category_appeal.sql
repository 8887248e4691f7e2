-- +goose Up
-- The donation appeal can be switched off under a category's articles
-- (press releases, obituaries).
ALTER TABLE categories ADD COLUMN no_appeal BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE categories DROP COLUMN no_appeal;
