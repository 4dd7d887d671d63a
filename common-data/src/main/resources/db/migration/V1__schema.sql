-- The whole schema of DESIGN.md section 5. Every statement is idempotent, so a half-applied run can be repeated.
-- Row-level security is on for every table with no policy: a Supabase anon or authenticated key reads nothing,
-- while the services connect as the table owner (which RLS does not restrict).

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS contacts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name        varchar(100) NOT NULL,
    email       varchar(255) NOT NULL,
    message     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS contacts_email_idx ON contacts (email);
CREATE INDEX IF NOT EXISTS contacts_created_at_idx ON contacts (created_at DESC);

CREATE TABLE IF NOT EXISTS payments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    reference      varchar(255) NOT NULL UNIQUE,
    email          varchar(255) NOT NULL,
    amount         integer NOT NULL CHECK (amount > 0),
    currency       char(3) NOT NULL DEFAULT 'KES',
    provider       varchar(20) NOT NULL CHECK (provider IN ('stripe', 'paystack')),
    provider_ref   varchar(255),
    clerk_user_id  varchar(255),
    status         varchar(20) NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'processing', 'success', 'failed', 'cancelled')),
    notes          text,
    metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
    paid_at        timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payments_email_idx ON payments (email);
CREATE INDEX IF NOT EXISTS payments_status_idx ON payments (status);
CREATE INDEX IF NOT EXISTS payments_created_at_idx ON payments (created_at DESC);
CREATE INDEX IF NOT EXISTS payments_clerk_user_idx ON payments (clerk_user_id) WHERE clerk_user_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS stripe_customer_mapping (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id             varchar(255),
    clerk_user_id       varchar(255) NOT NULL UNIQUE,
    stripe_customer_id  varchar(255) NOT NULL UNIQUE,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS webhook_events (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    provider      varchar(20) NOT NULL CHECK (provider IN ('stripe', 'paystack')),
    event_id      varchar(255) NOT NULL,
    event_type    varchar(255) NOT NULL,
    payload       jsonb NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now(),
    processed_at  timestamptz,
    CONSTRAINT webhook_events_provider_event_uq UNIQUE (provider, event_id)
);
CREATE INDEX IF NOT EXISTS webhook_events_received_at_idx ON webhook_events (received_at);

CREATE TABLE IF NOT EXISTS subscriptions (
    id                  varchar(255) PRIMARY KEY,
    stripe_customer_id  varchar(255) NOT NULL,
    status              varchar(40) NOT NULL,
    price_id            varchar(255),
    current_period_end  timestamptz,
    last_event_at       timestamptz NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS subscriptions_customer_idx ON subscriptions (stripe_customer_id);

CREATE TABLE IF NOT EXISTS email_outbox (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dedupe_key       varchar(255) NOT NULL UNIQUE,
    to_address       varchar(255) NOT NULL,
    reply_to         varchar(255),
    subject          varchar(255) NOT NULL,
    template         varchar(100) NOT NULL,
    model            jsonb NOT NULL DEFAULT '{}'::jsonb,
    status           varchar(20) NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz
);
-- The dispatcher's claim query reads only rows still to send, oldest due first.
CREATE INDEX IF NOT EXISTS email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');

ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE stripe_customer_mapping ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
