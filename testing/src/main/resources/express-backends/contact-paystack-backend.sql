-- The contact + Paystack Express backend's Supabase schema, as its design document draws it (seeds/000, "Data Flow -
-- Database Operations"): column types, the UNIQUE reference and the six indexes. The document gives no defaults and
-- no NOT NULLs, so none are assumed; Supabase tables have row-level security on.
CREATE TABLE contacts (
    id          UUID PRIMARY KEY,
    name        VARCHAR(100),
    email       VARCHAR(255),
    message     TEXT,
    created_at  TIMESTAMP,
    updated_at  TIMESTAMP
);
CREATE TABLE payments (
    id            UUID PRIMARY KEY,
    email         VARCHAR(255),
    amount        INTEGER,
    reference     VARCHAR(255) UNIQUE,
    status        VARCHAR(50),
    paystack_ref  VARCHAR(255),
    notes         TEXT,
    created_at    TIMESTAMP,
    updated_at    TIMESTAMP
);
CREATE INDEX idx_contacts_email ON contacts (email);
CREATE INDEX idx_contacts_created_at ON contacts (created_at DESC);
CREATE INDEX idx_payments_email ON payments (email);
CREATE INDEX idx_payments_status ON payments (status);
CREATE INDEX idx_payments_created_at ON payments (created_at DESC);
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
