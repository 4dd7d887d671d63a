package app.backbone.payment;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import app.backbone.payment.payments.PaymentReconciler;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
@WithTestResource(ProviderStandIns.class)
class PaymentReconcilerTest {

    @Inject
    PaymentReconciler reconciler;

    @BeforeEach
    void clean() {
        Stubs.clean();
    }

    @Test
    void stalePendingPaymentTheProviderReportsPaidBecomesSuccess() {
        Stubs.payment("PSK-2-stale", "paystack", "acc_s", 800, "KES", "pending", 60);
        Stubs.payment("PSK-2-fresh", "paystack", "acc_f", 800, "KES", "pending", 1);
        Stubs.paystackVerify("PSK-2-stale", "success", 80000, "KES");
        Stubs.paystackVerify("PSK-2-fresh", "success", 80000, "KES");

        assertEquals(1, reconciler.reconcileOnce().await().atMost(Duration.ofSeconds(20)));

        Map<String, Object> stale = Sql.rows("SELECT status, paid_at FROM payments WHERE reference = 'PSK-2-stale'").get(0);
        assertEquals("success", stale.get("status"));
        assertNotNull(stale.get("paid_at"));
        assertEquals(1, Sql.count("SELECT count(*) FROM email_outbox WHERE dedupe_key = 'payment-receipt:PSK-2-stale'"));
        // A payment younger than the configured age is left to its webhook and its payer.
        assertEquals("pending", Sql.rows("SELECT status FROM payments WHERE reference = 'PSK-2-fresh'").get(0).get("status"));
        assertEquals(0, ProviderStandIns.paystack().findAll(getRequestedFor(urlEqualTo("/transaction/verify/PSK-2-fresh"))).size());
    }

    @Test
    void staleStripePaymentWhoseSessionExpiredIsCancelled() {
        Stubs.payment("PSK-2-exp", "stripe", "cs_test_stale", 800, "KES", "pending", 60);
        Stubs.stripeSession("cs_test_stale", "expired", "unpaid", 80000, "kes");

        assertEquals(1, reconciler.reconcileOnce().await().atMost(Duration.ofSeconds(20)));

        assertEquals("cancelled", Sql.rows("SELECT status FROM payments").get(0).get("status"));
    }

    @Test
    void longAbandonedPaystackPaymentIsCancelled() {
        Stubs.payment("PSK-2-aband", "paystack", "acc_a", 800, "KES", "pending", 60 * 25);
        Stubs.paystackVerify("PSK-2-aband", "abandoned", 80000, "KES");

        reconciler.reconcileOnce().await().atMost(Duration.ofSeconds(20));

        Map<String, Object> row = Sql.rows("SELECT status, notes FROM payments").get(0);
        assertEquals("cancelled", row.get("status"));
    }

    @Test
    void concurrentRunsNeverHandleOnePaymentTwice() {
        for (int i = 0; i < 6; i++) {
            Stubs.payment("PSK-2-c" + i, "paystack", "acc_c" + i, 800, "KES", "pending", 60);
            Stubs.paystackVerify("PSK-2-c" + i, "abandoned", 80000, "KES");
        }
        ProviderStandIns.paystack().stubFor(get(urlEqualTo("/transaction/verify/PSK-2-c0")).willReturn(Stubs.json(200, """
                {"status":true,"data":{"status":"abandoned","amount":80000,"currency":"KES"}}""").withFixedDelay(300)));

        List<Integer> claimed = io.smallrye.mutiny.Uni.join().all(List.of(reconciler.reconcileOnce(),
                reconciler.reconcileOnce(), reconciler.reconcileOnce())).andFailFast()
                .await().atMost(Duration.ofSeconds(30));

        assertEquals(6, claimed.stream().mapToInt(Integer::intValue).sum());
        assertEquals(6, ProviderStandIns.paystack().findAll(anyRequestedFor(anyUrl())).size());
        // Claimed rows wait out their lease: an immediate next run finds nothing to do.
        assertEquals(0, reconciler.reconcileOnce().await().atMost(Duration.ofSeconds(10)));
        assertEquals(6, Sql.count("SELECT count(*) FROM payments WHERE status = 'pending' AND reconcile_after > now()"));
    }
}
