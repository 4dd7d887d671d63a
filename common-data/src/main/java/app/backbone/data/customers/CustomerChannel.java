package app.backbone.data.customers;

/**
 * The PostgreSQL channel that says a Stripe customer changed or is gone: webhook-service {@code NOTIFY}s it (with the
 * customer id) in the transaction of a {@code customer.updated}/{@code customer.deleted} event, and every
 * payment-service replica {@code LISTEN}s and forgets its cached copy of that customer.
 */
public final class CustomerChannel {

    public static final String NAME = "customer_changed";

    private CustomerChannel() {
    }
}
