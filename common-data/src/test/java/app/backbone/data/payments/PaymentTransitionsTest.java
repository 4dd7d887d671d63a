package app.backbone.data.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class PaymentTransitionsTest {

    @Test
    void readmeTableIsTheCodesTable() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("<!-- payment-transitions:start -->\n");
        int end = readme.indexOf("<!-- payment-transitions:end -->");
        assertTrue(start >= 0 && end > start, "README.md has the payment-transitions block");
        assertEquals(PaymentTransitions.markdown(),
                readme.substring(start + "<!-- payment-transitions:start -->\n".length(), end));
    }

    @Test
    void paidNeverGoesBackToFailedOrCancelled() {
        for (PaymentSignal signal : PaymentSignal.values()) {
            PaymentStatus next = PaymentTransitions.next(PaymentStatus.SUCCESS, signal);
            assertTrue(next == PaymentStatus.SUCCESS || next == PaymentStatus.REFUNDED, signal + " gave " + next);
        }
    }

    @Test
    void moneyThatArrivesWinsOverEveryClosedStatusButARefund() {
        for (PaymentStatus from : PaymentStatus.values()) {
            PaymentStatus expected = from == PaymentStatus.REFUNDED ? PaymentStatus.REFUNDED : PaymentStatus.SUCCESS;
            assertEquals(expected, PaymentTransitions.next(from, PaymentSignal.PAID), "PAID from " + from);
        }
    }

    @Test
    void aDeclineClosesNothing() {
        for (PaymentStatus from : PaymentStatus.values()) {
            assertEquals(from, PaymentTransitions.next(from, PaymentSignal.DECLINED));
        }
    }

    @Test
    void majorUnitsOfMinorAmounts() {
        assertEquals("10.5", Currencies.toMajorUnits(1050, "USD").toPlainString());
        assertEquals("10", Currencies.toMajorUnits(1000, "usd").toPlainString());
        assertEquals("0", Currencies.toMajorUnits(0, "KES").toPlainString());
        assertEquals("1050", Currencies.toMajorUnits(1050, "JPY").toPlainString());
    }
}
