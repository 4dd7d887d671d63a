package app.backbone.data.payments;

import java.util.Locale;
import java.util.Set;

/**
 * Converts the major-unit amounts clients send (the first backend's contract) to the minor units providers count in.
 * Zero-decimal currencies (Stripe's list) have no minor unit.
 */
public final class Currencies {

    private static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG",
            "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF");

    private Currencies() {
    }

    public static long toMinorUnits(long majorAmount, String currency) {
        return isZeroDecimal(currency) ? majorAmount : Math.multiplyExact(majorAmount, 100L);
    }

    public static boolean isZeroDecimal(String currency) {
        return ZERO_DECIMAL.contains(currency.toUpperCase(Locale.ROOT));
    }
}
