-- Adoption, step 1 of 2 (Flyway runs this before every migrate): makes the tables of the two Express backends this
-- product replaces (contact + Paystack; Clerk + Stripe "subscriptions", see README "Moving from an Express backend")
-- acceptable to V1 and later, in place, keeping every row. On an empty database or one that is already ours every
-- block finds nothing to do. Each block is one statement (so one transaction even without Flyway's), takes the
-- adoption lock first (services starting together adopt one after the other) and checks before it changes, so a
-- run that stopped half-way is finished by the next start. The old backend may keep serving meanwhile.

-- 1. Timestamps: the old tables use `timestamp` holding UTC; ours are `timestamptz`.
DO $adopt$
DECLARE
    c record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    FOR c IN SELECT table_name, column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'
                AND table_name IN ('contacts', 'payments', 'stripe_customer_mapping', 'stripe_webhook_events')
              ORDER BY table_name, column_name
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE timestamptz USING %I AT TIME ZONE ''UTC''',
                       c.table_name, c.column_name, c.column_name);
    END LOOP;
END
$adopt$;

-- 2. Defaults our inserts rely on (the old schemas may leave ids and times to the client), and times always set.
DO $adopt$
DECLARE
    c record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    FOR c IN SELECT col.table_name, col.column_name, wanted.expr
               FROM information_schema.columns col
               JOIN (VALUES ('id', 'gen_random_uuid()'), ('created_at', 'now()'), ('updated_at', 'now()')) AS wanted (name, expr)
                 ON wanted.name = col.column_name
              WHERE col.table_schema = current_schema() AND col.column_default IS NULL
                AND col.table_name IN ('contacts', 'payments', 'stripe_customer_mapping', 'stripe_webhook_events')
                AND (col.column_name <> 'id' OR col.data_type = 'uuid')
    LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET DEFAULT %s', c.table_name, c.column_name, c.expr);
    END LOOP;
    FOR c IN SELECT table_name, column_name FROM information_schema.columns
              WHERE table_schema = current_schema() AND is_nullable = 'YES'
                AND column_name IN ('created_at', 'updated_at')
                AND table_name IN ('contacts', 'payments', 'stripe_customer_mapping')
    LOOP
        EXECUTE format('UPDATE %I SET %I = now() WHERE %I IS NULL', c.table_name, c.column_name, c.column_name);
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I SET NOT NULL', c.table_name, c.column_name);
    END LOOP;
END
$adopt$;

-- 3. The Paystack backend's payments (they have `paystack_ref`): the columns V1 and our code need. Its payments are
--    Paystack payments in KES; `provider` keeps a default because the old backend's inserts do not name it.
DO $adopt$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                     AND table_name = 'payments' AND column_name = 'paystack_ref') THEN
        RETURN;
    END IF;
    ALTER TABLE payments ADD COLUMN IF NOT EXISTS currency char(3) NOT NULL DEFAULT 'KES';
    ALTER TABLE payments ADD COLUMN IF NOT EXISTS provider varchar(20) NOT NULL DEFAULT 'paystack';
    ALTER TABLE payments ADD COLUMN IF NOT EXISTS provider_ref varchar(255);
    ALTER TABLE payments ADD COLUMN IF NOT EXISTS clerk_user_id varchar(255);
    ALTER TABLE payments ADD COLUMN IF NOT EXISTS metadata jsonb NOT NULL DEFAULT '{}'::jsonb;
    ALTER TABLE payments ADD COLUMN IF NOT EXISTS paid_at timestamptz;
    UPDATE payments SET status = 'pending' WHERE status IS NULL;
    ALTER TABLE payments ALTER COLUMN status SET DEFAULT 'pending';
    ALTER TABLE payments ALTER COLUMN status SET NOT NULL;
END
$adopt$;

-- 4. The subscriptions backend's customer mapping: our upserts need a unique key on each side of it.
DO $adopt$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('backbone:adopt-express-backends'));
    IF to_regclass('stripe_customer_mapping') IS NULL THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                    WHERE i.indrelid = 'stripe_customer_mapping'::regclass AND i.indisunique AND i.indnatts = 1
                      AND a.attname = 'clerk_user_id') THEN
        CREATE UNIQUE INDEX stripe_customer_mapping_clerk_user_id_uq ON stripe_customer_mapping (clerk_user_id);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                    WHERE i.indrelid = 'stripe_customer_mapping'::regclass AND i.indisunique AND i.indnatts = 1
                      AND a.attname = 'stripe_customer_id') THEN
        CREATE UNIQUE INDEX stripe_customer_mapping_stripe_customer_id_uq ON stripe_customer_mapping (stripe_customer_id);
    END IF;
END
$adopt$;
