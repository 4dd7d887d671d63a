package app.backbone.data.payments;

import java.util.Locale;

/**
 * A payment's status. Which provider word moves it where is {@link PaymentTransitions}'s table; {@code success} and
 * {@code refunded} are never left for {@code failed} or {@code cancelled}, while money that arrives after a
 * {@code failed} or {@code cancelled} still makes the payment {@code success}.
 */
public enum PaymentStatus {
    PENDING, PROCESSING, SUCCESS, FAILED, CANCELLED, REFUNDED;

    /** Still waiting for the provider's verdict: the reconciler and verify ask the provider about it. */
    public boolean isOpen() {
        return this == PENDING || this == PROCESSING;
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
