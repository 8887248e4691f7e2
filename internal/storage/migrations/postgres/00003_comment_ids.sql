-- +goose Up
-- Nothing to do on PostgreSQL: an identity column never hands out an id
-- twice, so the legal log's entries of an erased comment can never be
-- taken for those of a newer one. SQLite's version of this migration
-- makes its comment ids behave the same; the two sets keep the same
-- version numbers.

-- +goose Down
