-- The subscription lifecycle: what a client app shows of a subscription (plan, seats, period, cancellation, trial),
-- recorded by webhook-service from Stripe's customer.subscription.* events, and the clocks that keep an event
-- delivered late from rolling a row back. Every statement is idempotent, like V1; existing rows stay valid.

-- The first item's product and quantity (seats); null when no event named them yet (or a metered price has none).
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS product_id varchar(255);
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS quantity integer;
ALTER TABLE subscriptions DROP CONSTRAINT IF EXISTS subscriptions_quantity_check;
ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_quantity_check CHECK (quantity >= 0);
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS current_period_start timestamptz;

-- Cancellation as Stripe states it: at the period's end, at a given time, or done (canceled_at); and the trial's end.
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS cancel_at_period_end boolean NOT NULL DEFAULT false;
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS cancel_at timestamptz;
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS canceled_at timestamptz;
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS trial_end timestamptz;

-- Stripe delivers out of order. last_event_at (V1) is the `created` of the newest event applied to the row; these
-- say which event the stored status came from (a subscription event, or an invoice's paid/failed), and which was the
-- last customer.subscription.* event applied (null: none yet, only invoices), so an older event is refused and an
-- invoice never overrides what a newer subscription event said.
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS status_event_at timestamptz;
ALTER TABLE subscriptions ADD COLUMN IF NOT EXISTS snapshot_event_at timestamptz;
-- Rows from before: the newest event applied is the best clock known for both.
UPDATE subscriptions SET status_event_at = last_event_at WHERE status_event_at IS NULL;
UPDATE subscriptions SET snapshot_event_at = last_event_at WHERE snapshot_event_at IS NULL;

-- The customer's e-mail, from Stripe's customer events: where subscription mails go when an invoice names none.
-- Nullable, so the subscriptions backend's inserts (which do not name it) stay valid during an adoption.
ALTER TABLE stripe_customer_mapping ADD COLUMN IF NOT EXISTS email varchar(255);
