-- webhook-service: every Stripe customer.created / customer.updated event asks whether a customer.deleted event for
-- the same customer is recorded (deletion is final in Stripe). Without an index that question read the whole
-- webhook_events table, so each new event cost more than the last. This partial index holds only the deletions,
-- keyed by the customer id inside the payload, the expression WebhookEventRepository queries.
CREATE INDEX IF NOT EXISTS webhook_events_stripe_deleted_customer_idx
    ON webhook_events ((payload->'data'->'object'->>'id'))
    WHERE provider = 'stripe' AND event_type = 'customer.deleted';
