package app.backbone.data.payments;

import java.util.Locale;

/** The payment providers, by the id stored in {@code payments.provider} and {@code webhook_events.provider}. */
public enum Provider {
    STRIPE, PAYSTACK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The provider with this id (any case). */
    public static Provider fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
