package app.backbone.data.customers;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class CustomerEventOrderTest {

    private static final OffsetDateTime T = OffsetDateTime.of(2026, 12, 3, 7, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void anyEventWritesAMappingNoEventWrote() {
        assertTrue(CustomerEventOrder.isNewer(null, null, T, "customer.updated"));
    }

    @Test
    void onlyALaterEventWrites() {
        assertTrue(CustomerEventOrder.isNewer(T, "customer.updated", T.plusSeconds(1), "customer.updated"));
        assertFalse(CustomerEventOrder.isNewer(T, "customer.updated", T.minusSeconds(1), "customer.updated"));
        assertFalse(CustomerEventOrder.isNewer(T, "customer.created", T.minusSeconds(1), "customer.updated"));
    }

    @Test
    void inTheSameSecondOnlyAnUpdateAfterTheCreationWrites() {
        assertTrue(CustomerEventOrder.isNewer(T, "customer.created", T, "customer.updated"));
        assertFalse(CustomerEventOrder.isNewer(T, "customer.updated", T, "customer.updated"));
        assertFalse(CustomerEventOrder.isNewer(T, "customer.updated", T, "customer.created"));
        assertFalse(CustomerEventOrder.isNewer(T, "customer.created", T, "customer.created"));
    }
}
