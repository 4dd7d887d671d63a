package app.backbone.data.payments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Set;

/**
 * The one conversion between the amounts people read and the minor units providers count in, by Stripe's currency
 * rules (docs.stripe.com/currencies): most currencies have two decimals (1050 is 10.50), the zero-decimal ones none
 * (500 JPY is 500), the three-decimal ones three (12340 KWD is 12.340). Paystack's currencies (NGN, GHS, ZAR, KES,
 * USD) all have two.
 */
public final class Currencies {

    private static final Set<String> ZERO_DECIMAL = Set.of("BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG",
            "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF");
    private static final Set<String> THREE_DECIMAL = Set.of("BHD", "JOD", "KWD", "OMR", "TND");
    /** Two decimals in Stripe's API but charged in whole units only since 2023 (100 ISK minor units are 1 króna). */
    private static final Set<String> WHOLE_UNITS_SHOWN = Set.of("ISK");

    /** Stripe's largest amount in minor units (8 digits). */
    private static final long MAX_MINOR_UNITS = 99_999_999L;

    private Currencies() {
    }

    /** How many decimals the provider's minor unit has: 0, 2 or 3. */
    public static int minorUnitDigits(String currency) {
        String code = currency.toUpperCase(Locale.ROOT);
        return ZERO_DECIMAL.contains(code) ? 0 : THREE_DECIMAL.contains(code) ? 3 : 2;
    }

    public static long toMinorUnits(long majorAmount, String currency) {
        return Math.multiplyExact(majorAmount, minorUnitsPerMajor(currency));
    }

    /**
     * The largest whole amount a provider takes in this currency: Stripe refuses more than 8 digits of minor units
     * (99,999,999), so 999,999 of a two-decimal currency and 99,999 of a three-decimal one.
     */
    public static long largestMajorAmount(String currency) {
        return MAX_MINOR_UNITS / minorUnitsPerMajor(currency);
    }

    /** 1, 100 or 1000: the minor units in one major unit. */
    private static long minorUnitsPerMajor(String currency) {
        return switch (minorUnitDigits(currency)) {
            case 0 -> 1L;
            case 3 -> 1000L;
            default -> 100L;
        };
    }

    /** The inverse of {@link #toMinorUnits}: {@code 1050} USD cents is {@code 10.5}, {@code 1000} is {@code 10}. */
    public static BigDecimal toMajorUnits(long minorAmount, String currency) {
        BigDecimal major = BigDecimal.valueOf(minorAmount, minorUnitDigits(currency)).stripTrailingZeros();
        return major.scale() < 0 ? major.setScale(0) : major;
    }

    /**
     * An amount in minor units as a person reads it, with the currency's decimals: {@code 1050} USD is {@code 10.50},
     * {@code 500} JPY is {@code 500}, {@code 12340} KWD is {@code 12.340}, {@code 50000} ISK is {@code 500}.
     */
    public static String display(long minorAmount, String currency) {
        int digits = minorUnitDigits(currency);
        BigDecimal major = BigDecimal.valueOf(minorAmount, digits);
        if (WHOLE_UNITS_SHOWN.contains(currency.toUpperCase(Locale.ROOT)) && minorAmount % 100 == 0) {
            return major.setScale(0, RoundingMode.UNNECESSARY).toPlainString();
        }
        return major.toPlainString();
    }
}
