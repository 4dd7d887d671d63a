-- Rows as the subscriptions backend writes them (ids and times from the client; times are UTC).
INSERT INTO stripe_customer_mapping (id, user_id, clerk_user_id, stripe_customer_id, created_at, updated_at) VALUES
    ('a0000000-0000-4000-8000-000000000001', 'user_old_1', 'user_old_1', 'cus_old_1',
     '2024-02-01 08:00:00', '2024-02-01 08:00:00');
INSERT INTO stripe_webhook_events (id, stripe_event_id, event_type, processed_at, created_at) VALUES
    ('e0000000-0000-4000-8000-000000000001', 'evt_old_processed_1', 'customer.created',
     '2024-02-01 08:00:01', '2024-02-01 08:00:01'),
    ('e0000000-0000-4000-8000-000000000002', 'evt_old_processed_2', 'checkout.session.completed',
     '2024-02-02 09:30:00', '2024-02-02 09:30:00');
