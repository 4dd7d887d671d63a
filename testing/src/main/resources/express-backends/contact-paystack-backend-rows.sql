-- Rows as the contact + Paystack backend writes them (ids and times from the client; times are UTC).
INSERT INTO contacts (id, name, email, message, created_at, updated_at) VALUES
    ('c0000000-0000-4000-8000-000000000001', 'Ada Lovelace', 'ada@example.com', 'Written before the switch',
     '2024-03-01 09:00:00', '2024-03-01 09:00:00');
INSERT INTO payments (id, email, amount, reference, status, paystack_ref, notes, created_at, updated_at) VALUES
    ('b0000000-0000-4000-8000-000000000001', 'paid@example.com', 1500, 'PSK-1709283600000-paid01', 'success',
     'T685312322670591', NULL, '2024-03-01 10:00:00', '2024-03-01 10:05:00'),
    ('b0000000-0000-4000-8000-000000000002', 'failed@example.com', 2500, 'PSK-1709283600000-fail01', 'failed',
     'T685312322670592', 'Declined by the bank', '2024-03-02 11:00:00', '2024-03-02 11:01:00'),
    ('b0000000-0000-4000-8000-000000000003', 'open@example.com', 700, 'PSK-1709283600000-open01', 'pending',
     NULL, NULL, '2024-03-03 12:00:00', '2024-03-03 12:00:00');
