package app.backbone.data.payments;

import java.util.Locale;

/** A payment's status. It only moves forward: pending, then processing, then one terminal state that never changes. */
public enum PaymentStatus {
    PENDING, PROCESSING, SUCCESS, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == CANCELLED;
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PaymentStatus fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
