-- The contact-service's transaction for one submission (ContactRepository.insert, then OutboxRepository.enqueue
-- twice), as pgbench issues it: the ceiling the service's POST /api/contact is compared with.
BEGIN;
INSERT INTO contacts (name, email, message) VALUES ('Ada Bench', 'ada@example.com', 'Hello from the benchmark')
    RETURNING id AS contact_id, name, email, message, created_at \gset
INSERT INTO email_outbox (dedupe_key, to_address, reply_to, subject, template, model)
    VALUES ('contact-confirmation:' || :contact_id::text, 'ada@example.com', NULL, 'We received your message',
            'contact-confirmation',
            '{"name":"Ada Bench","message":"Hello from the benchmark","company":"The team"}'::jsonb)
    ON CONFLICT (dedupe_key) DO NOTHING;
INSERT INTO email_outbox (dedupe_key, to_address, reply_to, subject, template, model)
    VALUES ('contact-notification:' || :contact_id::text, 'owner@shop.local', 'ada@example.com',
            'New contact message from Ada Bench', 'contact-notification',
            jsonb_build_object('name', 'Ada Bench', 'email', 'ada@example.com', 'message', 'Hello from the benchmark',
                               'contactId', :contact_id::text, 'receivedAt', now()::text))
    ON CONFLICT (dedupe_key) DO NOTHING;
END;
