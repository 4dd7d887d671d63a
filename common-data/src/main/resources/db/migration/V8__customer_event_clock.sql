-- Stripe delivers customer events out of order too. The `created` and type of the customer.* event that last wrote a
-- mapping (its user and e-mail), so that an older event delivered late changes nothing (null: no event wrote it yet,
-- e.g. a mapping payment-service made). Every statement is idempotent, like V1; existing rows stay valid.
ALTER TABLE stripe_customer_mapping ADD COLUMN IF NOT EXISTS last_event_at timestamptz;
ALTER TABLE stripe_customer_mapping ADD COLUMN IF NOT EXISTS last_event_type varchar(64);
