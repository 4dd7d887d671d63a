-- The payment state machine (PaymentTransitions): refunds, disputes and the provider's own payment id, so refund and
-- dispute events, which name a Stripe PaymentIntent rather than our reference, find their payment. Every statement
-- is idempotent, like V1; existing rows stay valid (no refund, no dispute, no payment id yet).

ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_status_check;
ALTER TABLE payments ADD CONSTRAINT payments_status_check
    CHECK (status IN ('pending', 'processing', 'success', 'failed', 'cancelled', 'refunded'));

-- The provider's id of the money movement: Stripe's PaymentIntent (pi_...), recorded from the first event naming it.
ALTER TABLE payments ADD COLUMN IF NOT EXISTS provider_payment_id varchar(255);
CREATE UNIQUE INDEX IF NOT EXISTS payments_provider_payment_id_uq ON payments (provider, provider_payment_id)
    WHERE provider_payment_id IS NOT NULL;

-- How much of the payment went back to the payer, in the currency's minor units (a refund can be partial).
ALTER TABLE payments ADD COLUMN IF NOT EXISTS refunded_minor bigint NOT NULL DEFAULT 0;
ALTER TABLE payments DROP CONSTRAINT IF EXISTS payments_refunded_minor_check;
ALTER TABLE payments ADD CONSTRAINT payments_refunded_minor_check CHECK (refunded_minor >= 0);
ALTER TABLE payments ADD COLUMN IF NOT EXISTS refunded_at timestamptz;

-- The latest word on a dispute (chargeback): Stripe's dispute status (needs_response, under_review, won, lost ...).
ALTER TABLE payments ADD COLUMN IF NOT EXISTS dispute_status varchar(40);
ALTER TABLE payments ADD COLUMN IF NOT EXISTS disputed_at timestamptz;
