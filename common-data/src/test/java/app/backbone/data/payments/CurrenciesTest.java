package app.backbone.data.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class CurrenciesTest {

    @Test
    void twoDecimalCurrenciesCountCents() {
        assertEquals(150000, Currencies.toMinorUnits(1500, "USD"));
        assertEquals("12.50", Currencies.display(1250, "usd"));
        assertEquals("20.00", Currencies.display(2000, "EUR"));
        assertEquals(new BigDecimal("10.5"), Currencies.toMajorUnits(1050, "KES"));
    }

    @Test
    void threeDecimalCurrenciesCountThousandths() {
        for (String currency : new String[] {"BHD", "JOD", "KWD", "OMR", "tnd"}) {
            assertEquals(5000, Currencies.toMinorUnits(5, currency), currency);
            assertEquals("12.340", Currencies.display(12340, currency), currency);
            assertEquals(new BigDecimal("12.34"), Currencies.toMajorUnits(12340, currency), currency);
            assertEquals(new BigDecimal("5"), Currencies.toMajorUnits(5000, currency), currency);
        }
    }

    @Test
    void zeroDecimalCurrenciesHaveNoFraction() {
        for (String currency : new String[] {"JPY", "KRW", "VND", "XOF", "UGX", "clp"}) {
            assertEquals(1500, Currencies.toMinorUnits(1500, currency), currency);
            assertEquals("1500", Currencies.display(1500, currency), currency);
            assertEquals(new BigDecimal("1500"), Currencies.toMajorUnits(1500, currency), currency);
        }
    }

    @Test
    void stripesSpecialCasesKeepTwoDecimalsInTheApi() {
        // ISK: two decimals in the API, whole krónur only, so shown without a fraction.
        assertEquals(50000, Currencies.toMinorUnits(500, "ISK"));
        assertEquals("500", Currencies.display(50000, "ISK"));
        assertEquals("500.50", Currencies.display(50050, "ISK"), "an old fractional charge is still shown exactly");
        // HUF and TWD are charged with two decimals (zero-decimal only for payouts).
        assertEquals("10.45", Currencies.display(1045, "HUF"));
        assertEquals("99.00", Currencies.display(9900, "TWD"));
    }

    @Test
    void largestAmountKeepsStripesEightDigitsOfMinorUnits() {
        assertEquals(999_999, Currencies.largestMajorAmount("USD"));
        assertEquals(99_999, Currencies.largestMajorAmount("KWD"));
        assertEquals(99_999_999, Currencies.largestMajorAmount("JPY"));
        assertEquals(99_999_000, Currencies.toMinorUnits(Currencies.largestMajorAmount("kwd"), "KWD"));
    }
}
