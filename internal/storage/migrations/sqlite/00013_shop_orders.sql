-- +goose Up
-- The bookshop's carts, orders and invoices. Books (00012) are only
-- referred to: an order line keeps its own copy of what the invoice
-- needs, so a book edited or withdrawn later changes no past order.

-- A visitor's cart, found by the token of a signed cookie.
CREATE TABLE carts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX carts_updated ON carts (updated_at);

CREATE TABLE cart_lines (
    cart_id    INTEGER NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    book_id    INTEGER NOT NULL REFERENCES books (id) ON DELETE CASCADE,
    -- The order the visitor added the lines in.
    position   INTEGER NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity > 0),
    -- The price last shown for one copy; never charged.
    seen_cents INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cart_id, book_id)
);

CREATE TABLE orders (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    -- Sent to the payment provider and in the customer's link; unguessable.
    reference        TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'preparing', 'shipped', 'delivered', 'cancelled', 'refunded')),
    email            TEXT NOT NULL,
    person_id        INTEGER REFERENCES people (id) ON DELETE SET NULL,
    ship_name        TEXT NOT NULL DEFAULT '',
    ship_company     TEXT NOT NULL DEFAULT '',
    ship_siren       TEXT NOT NULL DEFAULT '',
    ship_line1       TEXT NOT NULL DEFAULT '',
    ship_line2       TEXT NOT NULL DEFAULT '',
    ship_postal_code TEXT NOT NULL DEFAULT '',
    ship_city        TEXT NOT NULL DEFAULT '',
    ship_country     TEXT NOT NULL DEFAULT '',
    ship_phone       TEXT NOT NULL DEFAULT '',
    bill_name        TEXT NOT NULL DEFAULT '',
    bill_company     TEXT NOT NULL DEFAULT '',
    bill_siren       TEXT NOT NULL DEFAULT '',
    bill_line1       TEXT NOT NULL DEFAULT '',
    bill_line2       TEXT NOT NULL DEFAULT '',
    bill_postal_code TEXT NOT NULL DEFAULT '',
    bill_city        TEXT NOT NULL DEFAULT '',
    bill_country     TEXT NOT NULL DEFAULT '',
    bill_phone       TEXT NOT NULL DEFAULT '',
    carrier          TEXT NOT NULL DEFAULT '',
    carrier_name     TEXT NOT NULL DEFAULT '',
    delivery         TEXT NOT NULL DEFAULT '',
    goods_cents      INTEGER NOT NULL CHECK (goods_cents >= 0),
    shipping_cents   INTEGER NOT NULL CHECK (shipping_cents >= 0),
    total_cents      INTEGER NOT NULL CHECK (total_cents >= 0),
    shipping_why     TEXT NOT NULL DEFAULT '',
    vat_mode         TEXT NOT NULL DEFAULT '',
    vat_exemption    TEXT NOT NULL DEFAULT '',
    lang             TEXT NOT NULL DEFAULT '',
    provider         TEXT NOT NULL DEFAULT '',
    session_id       TEXT NOT NULL DEFAULT '',
    payment_id       TEXT NOT NULL DEFAULT '',
    refunded_cents   INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    tracking         TEXT NOT NULL DEFAULT '',
    invoice_number   TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    -- Set once the reserved copies went back to stock, so they go back once.
    stock_released   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TEXT NOT NULL,
    -- When the checkout expires and the copies it holds are released.
    expires_at       TEXT,
    paid_at          TEXT,
    shipped_at       TEXT,
    delivered_at     TEXT,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX orders_session ON orders (provider, session_id) WHERE session_id <> '';
CREATE INDEX orders_payment ON orders (payment_id) WHERE payment_id <> '';
CREATE INDEX orders_status ON orders (status, created_at);
CREATE INDEX orders_expires ON orders (expires_at) WHERE status = 'pending';
CREATE INDEX orders_paid ON orders (paid_at) WHERE paid_at IS NOT NULL;
CREATE INDEX orders_created ON orders (created_at);
CREATE INDEX orders_email ON orders (email);
CREATE INDEX orders_person ON orders (person_id);

CREATE TABLE order_lines (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    book_id         INTEGER REFERENCES books (id) ON DELETE SET NULL,
    isbn            TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL,
    format          TEXT NOT NULL,
    condition       TEXT NOT NULL,
    publisher_cents INTEGER NOT NULL,
    unit_cents      INTEGER NOT NULL CHECK (unit_cents >= 0),
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    vat_rate        INTEGER NOT NULL,
    -- The copies taken off the book's stock when the order was placed (0
    -- for a book ordered on demand): what releasing gives back.
    reserved        INTEGER NOT NULL DEFAULT 0 CHECK (reserved >= 0)
);
CREATE INDEX order_lines_order ON order_lines (order_id, position);
CREATE INDEX order_lines_book ON order_lines (book_id);

-- The VAT breakdown per rate, shipping included: base + vat = total.
CREATE TABLE order_vat (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    rate        INTEGER NOT NULL,
    base_cents  INTEGER NOT NULL,
    vat_cents   INTEGER NOT NULL,
    total_cents INTEGER NOT NULL,
    PRIMARY KEY (order_id, rate)
);

-- Who moved an order from one status to another, when and why.
CREATE TABLE order_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_history_order ON order_history (order_id, id);

-- Invoices and credit notes (avoirs). Numbers run on an unbroken sequence
-- per series and year (CGI art. 242 nonies A): the counter is taken in
-- the transaction that stores the document, so a failed issue gives its
-- number back. A document is never deleted nor renumbered: a refund is a
-- credit note that corrects the invoice.
CREATE TABLE invoice_counters (
    series TEXT NOT NULL,
    year   INTEGER NOT NULL,
    last   INTEGER NOT NULL,
    PRIMARY KEY (series, year)
);

CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    kind         TEXT NOT NULL CHECK (kind IN ('invoice', 'credit')),
    series       TEXT NOT NULL,
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    issued_at    TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
    -- The invoice a credit note corrects.
    corrects_id  INTEGER REFERENCES invoices (id),
    -- The PDF as sent: re-downloads give the same bytes.
    pdf          BLOB NOT NULL,
    UNIQUE (series, year, seq)
);
-- One invoice per order; credit notes as many as refunds.
CREATE UNIQUE INDEX invoices_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE INDEX invoices_of_order ON invoices (order_id, id);

-- +goose Down
DROP TABLE invoices;
DROP TABLE invoice_counters;
DROP TABLE order_history;
DROP TABLE order_vat;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE cart_lines;
DROP TABLE carts;
