-- payment-service: Idempotency-Key records for POST /stripe/checkout (a Stripe Checkout session in subscription mode).
-- Every statement is idempotent, like V1.

-- One row per user and key (a key is the client's, so two users' keys never meet). The request that inserts the row
-- (one autocommit statement, no transaction held while Stripe answers) opens the session and writes session_id and
-- url; concurrent requests with the key find the row taken and wait for that answer. A failed first attempt deletes
-- its row; one whose request died (no answer by claimed_until) is taken over by the next retry. claim_id names the
-- claimer, so only it writes the answer or gives the row back.
CREATE TABLE IF NOT EXISTS subscription_checkouts (
    clerk_user_id    varchar(255) NOT NULL,
    idempotency_key  varchar(255) NOT NULL,
    fingerprint      char(64) NOT NULL,
    claim_id         uuid NOT NULL,
    claimed_until    timestamptz NOT NULL,
    session_id       varchar(255),
    url              text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (clerk_user_id, idempotency_key)
);
CREATE INDEX IF NOT EXISTS subscription_checkouts_created_at_idx ON subscription_checkouts (created_at);
ALTER TABLE subscription_checkouts ENABLE ROW LEVEL SECURITY;
