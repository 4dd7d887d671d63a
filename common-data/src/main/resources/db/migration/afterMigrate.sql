-- Adoption, step 2 of 2 (Flyway runs this after every migrate, when our schema is complete): the bridge that lets an
-- Express backend keep serving from the same database during the switch (README "Moving from an Express backend").
-- A no-op on an empty or already-ours database; idempotent; each block is one statement under the adoption lock.

-- 1. Payments the Paystack backend writes: its `paystack_ref` is our `provider_ref`, and a success has a `paid_at`.
--    A trigger keeps this true for rows the old backend still inserts or updates; the UPDATEs catch up the rest.
DO $adopt$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                     AND table_name = 'payments' AND column_name = 'paystack_ref') THEN
        RETURN;
    END IF;
    CREATE OR REPLACE FUNCTION backbone_payments_from_paystack_backend() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
        IF NEW.provider_ref IS NULL AND NEW.paystack_ref IS NOT NULL THEN
            NEW.provider_ref := NEW.paystack_ref;
        END IF;
        IF NEW.status = 'success' AND NEW.paid_at IS NULL THEN
            NEW.paid_at := coalesce(NEW.updated_at, now());
        END IF;
        RETURN NEW;
    END
    $fn$;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'payments'::regclass
                     AND tgname = 'backbone_payments_from_paystack_backend') THEN
        CREATE TRIGGER backbone_payments_from_paystack_backend BEFORE INSERT OR UPDATE ON payments
            FOR EACH ROW EXECUTE FUNCTION backbone_payments_from_paystack_backend();
    END IF;
    UPDATE payments SET provider_ref = paystack_ref WHERE provider_ref IS NULL AND paystack_ref IS NOT NULL;
    UPDATE payments SET paid_at = updated_at WHERE status = 'success' AND paid_at IS NULL;
END
$adopt$;

-- 2. Stripe events the subscriptions backend processed are processed here too: each `stripe_event_id` is in our
--    ledger (payload '{}': we never saw the body), now and whenever the old backend records another one.
DO $adopt$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    IF to_regclass('stripe_webhook_events') IS NULL THEN
        RETURN;
    END IF;
    -- Runs as the owner of webhook_events, so the old backend's database role needs no right on our ledger.
    CREATE OR REPLACE FUNCTION backbone_stripe_event_from_old_backend() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER AS $fn$
    BEGIN
        IF NEW.stripe_event_id IS NOT NULL THEN
            INSERT INTO webhook_events (provider, event_id, event_type, payload, received_at, processed_at)
            VALUES ('stripe', NEW.stripe_event_id, coalesce(NEW.event_type, 'unknown'), '{}'::jsonb,
                    coalesce(NEW.created_at, now()), coalesce(NEW.processed_at, NEW.created_at, now()))
            ON CONFLICT (provider, event_id) DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $fn$;
    EXECUTE format('ALTER FUNCTION backbone_stripe_event_from_old_backend() SET search_path = %I, pg_temp',
                   current_schema());
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'stripe_webhook_events'::regclass
                     AND tgname = 'backbone_stripe_event_from_old_backend') THEN
        CREATE TRIGGER backbone_stripe_event_from_old_backend AFTER INSERT ON stripe_webhook_events
            FOR EACH ROW EXECUTE FUNCTION backbone_stripe_event_from_old_backend();
    END IF;
    INSERT INTO webhook_events (provider, event_id, event_type, payload, received_at, processed_at)
    SELECT 'stripe', s.stripe_event_id, coalesce(s.event_type, 'unknown'), '{}'::jsonb,
           coalesce(s.created_at, now()), coalesce(s.processed_at, s.created_at, now())
      FROM stripe_webhook_events s
     WHERE s.stripe_event_id IS NOT NULL
    ON CONFLICT (provider, event_id) DO NOTHING;
END
$adopt$;

-- 3. Row-level security stays on for every table, the old ones included (the services connect as the owner).
DO $adopt$
DECLARE
    t record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    FOR t IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND NOT c.relrowsecurity
                AND c.relname IN ('contacts', 'payments', 'stripe_customer_mapping', 'stripe_webhook_events')
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.relname);
    END LOOP;
END
$adopt$;
