package app.backbone.data.payments;

import java.math.BigDecimal;
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

    /** The inverse of {@link #toMinorUnits}: {@code 1050} USD cents is {@code 10.5}, {@code 1000} is {@code 10}. */
    public static BigDecimal toMajorUnits(long minorAmount, String currency) {
        if (isZeroDecimal(currency)) {
            return BigDecimal.valueOf(minorAmount);
        }
        BigDecimal major = BigDecimal.valueOf(minorAmount, 2).stripTrailingZeros();
        return major.scale() < 0 ? major.setScale(0) : major;
    }

    public static boolean isZeroDecimal(String currency) {
        return ZERO_DECIMAL.contains(currency.toUpperCase(Locale.ROOT));
    }
}
