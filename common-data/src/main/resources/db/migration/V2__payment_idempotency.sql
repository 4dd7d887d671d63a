-- payment-service: Idempotency-Key records for POST /api/payment/initiate, and the reconciler's claim column.
-- Every statement is idempotent, like V1.

-- One row per Idempotency-Key. It is inserted in the same transaction as the payment it made, so concurrent
-- retries with one key wait on the primary key and then find the first request's payment instead of making another.
-- `response` holds the first answer once the provider has answered; a failed first attempt deletes its row.
CREATE TABLE IF NOT EXISTS payment_idempotency (
    idempotency_key  varchar(255) PRIMARY KEY,
    fingerprint      char(64) NOT NULL,
    reference        varchar(255) NOT NULL,
    response         jsonb,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payment_idempotency_created_at_idx ON payment_idempotency (created_at);
ALTER TABLE payment_idempotency ENABLE ROW LEVEL SECURITY;

-- The reconciler claims a payment by moving this into the future: other replicas skip it until then, and a payment
-- still open after a check is looked at again only after the lease.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS reconcile_after timestamptz;
CREATE INDEX IF NOT EXISTS payments_open_created_at_idx ON payments (created_at)
    WHERE status IN ('pending', 'processing');
