-- +goose Up
-- The bookshop's catalogue. A book is one title in one format and
-- condition, as an ONIX record, a CSV line or an editor describes it: a
-- used copy is a book of its own that shares the ISBN of the new one.
-- Books are never deleted (orders keep their lines); they are withdrawn.
CREATE TABLE books (
    id             INTEGER PRIMARY KEY,
    -- The sender's stable id of the record (ONIX RecordReference): a
    -- re-import updates the book holding it.
    record_ref     TEXT NOT NULL UNIQUE,
    isbn           TEXT NOT NULL DEFAULT '',
    slug           TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    -- The title lowercased and without accents, for the alphabetical order.
    sort_title     TEXT NOT NULL DEFAULT '',
    subtitle       TEXT NOT NULL DEFAULT '',
    series         TEXT NOT NULL DEFAULT '',
    format         TEXT NOT NULL CHECK (format IN ('print', 'ebook', 'audio', 'other')),
    condition      TEXT NOT NULL CHECK (condition IN ('new', 'used')),
    condition_note TEXT NOT NULL DEFAULT '',
    publisher      TEXT NOT NULL DEFAULT '',
    imprint        TEXT NOT NULL DEFAULT '',
    published_on   TEXT,
    pages          INTEGER NOT NULL DEFAULT 0,
    language       TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    cover_url      TEXT NOT NULL DEFAULT '',
    -- ONIX List 65 code, empty when unknown.
    availability   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('active', 'forthcoming', 'withdrawn')),
    -- Basis points: 550 is 5.5 %.
    vat_rate       INTEGER NOT NULL DEFAULT 0,
    stock          INTEGER NOT NULL DEFAULT 0,
    track_stock    BOOLEAN NOT NULL DEFAULT FALSE,
    reorder_at     INTEGER NOT NULL DEFAULT 0,
    weight_grams   INTEGER NOT NULL DEFAULT 0,
    not_sold_alone BOOLEAN NOT NULL DEFAULT FALSE,
    -- A hash of what the last import stored, so that a re-import skips
    -- the records that did not change; empty forces the next import to
    -- rewrite the book.
    content_hash   TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- Searches, browsing and facets run on the store's index in memory (see
-- shop_catalog_index.go), which reads every book once; SQL finds books by
-- id, slug, record, ISBN and low stock only, and every other index would
-- slow imports down for nothing.
CREATE INDEX books_isbn ON books (isbn);
CREATE INDEX books_low_stock ON books (stock) WHERE track_stock;

-- Contributors, subjects and prices of a book, each in its order: clustered
-- by book, a page's books get theirs in one range read each.
CREATE TABLE book_contributors (
    book_id   INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    -- ONIX List 17: A01 author, B06 translator…
    role      TEXT NOT NULL DEFAULT '',
    name      TEXT NOT NULL,
    sort_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (book_id, seq)
) WITHOUT ROWID;

CREATE TABLE book_subjects (
    book_id INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    -- clil, thema, bisac or keyword.
    scheme  TEXT NOT NULL,
    code    TEXT NOT NULL DEFAULT '',
    heading TEXT NOT NULL DEFAULT '',
    main    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (book_id, seq)
) WITHOUT ROWID;

-- The publisher's prices tax included (the shop's for a used copy), each
-- from a date: the history the law asks to follow.
CREATE TABLE book_prices (
    book_id     INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    cents       INTEGER NOT NULL CHECK (cents >= 0),
    valid_from  TEXT,
    valid_until TEXT,
    PRIMARY KEY (book_id, seq)
) WITHOUT ROWID;

-- Why the stock of a book changed, for the back office.
CREATE TABLE book_stock_moves (
    id          INTEGER PRIMARY KEY,
    book_id     INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    delta       INTEGER NOT NULL,
    stock_after INTEGER NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX book_stock_moves_book ON book_stock_moves (book_id, id DESC);

-- The books an editor picked for an article, in order.
CREATE TABLE article_books (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    book_id    INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, position)
) WITHOUT ROWID;
CREATE INDEX article_books_book ON article_books (book_id);

-- Search terms come already analyzed by package search (stemmed, folded),
-- so the plain unicode61 tokenizer only splits them on spaces. Three
-- columns rank a match in the title above one in the names (contributors,
-- publisher) above one in the rest (subjects, description). The index keeps
-- no copy of the terms (content=''), which the books' fields rebuild.
CREATE VIRTUAL TABLE book_fts USING fts5 (title, names, terms, content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0');

-- +goose Down
DROP TABLE book_fts;
DROP TABLE article_books;
DROP TABLE book_stock_moves;
DROP TABLE book_prices;
DROP TABLE book_subjects;
DROP TABLE book_contributors;
DROP TABLE books;
