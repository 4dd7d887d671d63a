package app.backbone.data.payments;

import static app.backbone.data.payments.PaymentStatus.CANCELLED;
import static app.backbone.data.payments.PaymentStatus.FAILED;
import static app.backbone.data.payments.PaymentStatus.PENDING;
import static app.backbone.data.payments.PaymentStatus.PROCESSING;
import static app.backbone.data.payments.PaymentStatus.REFUNDED;
import static app.backbone.data.payments.PaymentStatus.SUCCESS;

import java.util.EnumMap;
import java.util.Map;

/**
 * The payment state machine: for each signal, the status it moves each status to. This table is the only place a
 * status change is decided; {@link PaymentSettlements} applies it, and the README prints it ({@link #markdown()}).
 * A signal missing for a status leaves that status as it is.
 */
public final class PaymentTransitions {

    private static final Map<PaymentSignal, Map<PaymentStatus, PaymentStatus>> TABLE = new EnumMap<>(
            PaymentSignal.class);

    static {
        // Money that arrives always wins, even after a decline closed the payment or the checkout was cancelled.
        on(PaymentSignal.PAID, PENDING, SUCCESS, PROCESSING, SUCCESS, FAILED, SUCCESS, CANCELLED, SUCCESS);
        on(PaymentSignal.PROCESSING, PENDING, PROCESSING);
        // A decline is one attempt: the checkout stays open and the payer may pay with another card.
        on(PaymentSignal.DECLINED);
        on(PaymentSignal.FAILED, PENDING, FAILED, PROCESSING, FAILED);
        on(PaymentSignal.EXPIRED, PENDING, CANCELLED, PROCESSING, CANCELLED);
        // The refunded amount is recorded; the status stays (a partial refund of a paid payment is still paid).
        on(PaymentSignal.PARTLY_REFUNDED);
        // A refund proves the money came: whatever was seen before, all of it went back.
        on(PaymentSignal.REFUNDED, PENDING, REFUNDED, PROCESSING, REFUNDED, SUCCESS, REFUNDED, FAILED, REFUNDED,
                CANCELLED, REFUNDED);
        // A dispute is recorded beside the status, which it does not change.
        on(PaymentSignal.DISPUTED);
    }

    private PaymentTransitions() {
    }

    /** The status a payment in {@code from} has after {@code signal}; {@code from} itself when nothing changes. */
    public static PaymentStatus next(PaymentStatus from, PaymentSignal signal) {
        return TABLE.get(signal).getOrDefault(from, from);
    }

    /** The table as Markdown, one row per signal and one column per status ({@code =} where nothing changes). */
    public static String markdown() {
        StringBuilder table = new StringBuilder("| signal |");
        for (PaymentStatus from : PaymentStatus.values()) {
            table.append(" from `").append(from.dbValue()).append("` |");
        }
        table.append('\n').append("| --- |").append(" --- |".repeat(PaymentStatus.values().length)).append('\n');
        for (PaymentSignal signal : PaymentSignal.values()) {
            table.append("| ").append(signal.name()).append(" |");
            for (PaymentStatus from : PaymentStatus.values()) {
                PaymentStatus to = next(from, signal);
                table.append(' ').append(to == from ? "=" : "`" + to.dbValue() + "`").append(" |");
            }
            table.append('\n');
        }
        return table.toString();
    }

    private static void on(PaymentSignal signal, PaymentStatus... fromTo) {
        Map<PaymentStatus, PaymentStatus> moves = new EnumMap<>(PaymentStatus.class);
        for (int i = 0; i < fromTo.length; i += 2) {
            moves.put(fromTo[i], fromTo[i + 1]);
        }
        TABLE.put(signal, moves);
    }
}
