-- contact-service counts the confirmations an address got in the last day before it queues another (a cap, so the
-- form cannot be used to mail one inbox over and over). This partial index holds only confirmations.
CREATE INDEX IF NOT EXISTS email_outbox_confirmation_recipient_idx
    ON email_outbox (lower(to_address), created_at)
    WHERE template = 'contact-confirmation';
