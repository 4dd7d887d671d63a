-- Stripe customers: a claim per Clerk user so no connection is held during Stripe's customer creation
-- (payment-service), and a durable record of deleted customers that the webhook ledger's retention cannot forget
-- (webhook-service writes it, both services read it). Every statement is idempotent, like V1.

-- payment-service's POST /stripe/customer: the request that inserts (or takes over an expired) row is the one that
-- calls Stripe; the others wait for the mapping. A claimer that dies leaves a row that expires at claimed_until.
-- claim_id names the claimer, so only it releases its claim (not a later one that took an expired claim over).
CREATE TABLE IF NOT EXISTS stripe_customer_claims (
    clerk_user_id  varchar(255) PRIMARY KEY,
    claim_id       uuid NOT NULL,
    claimed_until  timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE stripe_customer_claims ENABLE ROW LEVEL SECURITY;

-- Deletion is final in Stripe. webhook-service records each customer.deleted here in the event's transaction, and
-- a later customer.created/updated naming the customer maps nothing; payment-service never hands one out.
-- clerk_user_id is the deleted customer's metadata.clerk_user_id, when it had one.
CREATE TABLE IF NOT EXISTS stripe_deleted_customers (
    stripe_customer_id  varchar(255) PRIMARY KEY,
    clerk_user_id       varchar(255),
    deleted_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS stripe_deleted_customers_clerk_user_idx
    ON stripe_deleted_customers (clerk_user_id, deleted_at DESC) WHERE clerk_user_id IS NOT NULL;
ALTER TABLE stripe_deleted_customers ENABLE ROW LEVEL SECURITY;

-- The deletions the ledger still remembers (retention has not pruned them yet).
INSERT INTO stripe_deleted_customers (stripe_customer_id, clerk_user_id, deleted_at)
SELECT DISTINCT ON (payload->'data'->'object'->>'id')
       payload->'data'->'object'->>'id',
       payload->'data'->'object'->'metadata'->>'clerk_user_id',
       coalesce(processed_at, received_at)
  FROM webhook_events
 WHERE provider = 'stripe' AND event_type = 'customer.deleted'
   AND payload->'data'->'object'->>'id' IS NOT NULL
 ORDER BY payload->'data'->'object'->>'id',
          payload->'data'->'object'->'metadata'->>'clerk_user_id' IS NULL, received_at
ON CONFLICT (stripe_customer_id) DO NOTHING;

-- A mapping to a deleted customer can only be left over from a race with the deletion: it goes too.
DELETE FROM stripe_customer_mapping m
 USING stripe_deleted_customers d
 WHERE d.stripe_customer_id = m.stripe_customer_id;

-- The ledger is no longer asked about deletions: V3's partial index has no reader left.
DROP INDEX IF EXISTS webhook_events_stripe_deleted_customer_idx;
