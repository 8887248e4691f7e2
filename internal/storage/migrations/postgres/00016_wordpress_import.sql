-- +goose Up
-- What a WordPress import brought over from each site: for a post,
-- comment, author, category, tag or attachment (kind) with its id in
-- WordPress (wp_key; a login or a slug where the export has no id), the
-- local record it became. A second run of the same export reads it to
-- update what the first one wrote instead of adding copies. No foreign
-- key: local_id points into a different table for each kind.
CREATE TABLE wp_import_map (
    -- The site's address: WordPress ids are unique within a site only.
    source      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    wp_key      TEXT NOT NULL,
    local_id    BIGINT NOT NULL,
    -- A post's guid, which WordPress keeps when the post moves.
    guid        TEXT NOT NULL DEFAULT '',
    imported_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, kind, wp_key)
);

-- +goose Down
DROP TABLE wp_import_map;
