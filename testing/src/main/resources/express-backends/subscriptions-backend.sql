-- The Clerk + Stripe "subscriptions" Express backend's Supabase schema, as its design document draws it (seeds/001,
-- "Database Schema"): TEXT columns, the UNIQUE keys and the four indexes. The document gives no defaults, so none
-- are assumed; Supabase tables have row-level security on.
CREATE TABLE stripe_customer_mapping (
    id                  UUID PRIMARY KEY,
    user_id             TEXT,
    clerk_user_id       TEXT UNIQUE,
    stripe_customer_id  TEXT UNIQUE,
    created_at          TIMESTAMP,
    updated_at          TIMESTAMP
);
CREATE TABLE stripe_webhook_events (
    id               UUID PRIMARY KEY,
    stripe_event_id  TEXT UNIQUE,
    event_type       TEXT,
    processed_at     TIMESTAMP,
    created_at       TIMESTAMP
);
CREATE INDEX idx_stripe_customer_mapping_clerk_user_id ON stripe_customer_mapping (clerk_user_id);
CREATE INDEX idx_stripe_customer_mapping_stripe_customer_id ON stripe_customer_mapping (stripe_customer_id);
CREATE INDEX idx_stripe_webhook_events_stripe_event_id ON stripe_webhook_events (stripe_event_id);
CREATE INDEX idx_stripe_webhook_events_event_type ON stripe_webhook_events (event_type);
ALTER TABLE stripe_customer_mapping ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_webhook_events ENABLE ROW LEVEL SECURITY;
