package app.backbone.webhook;

import static app.backbone.webhook.Deliveries.postPaystack;
import static app.backbone.webhook.Deliveries.postStripe;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import app.backbone.testing.ExpressBackends;
import app.backbone.testing.PostgresResource;
import app.backbone.testing.SmtpResource;
import app.backbone.testing.Sql;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Both backends' tables in one database whose adoption stopped half-way (a crash after the first steps): the next
 * start finishes it, and both backends' data works.
 */
@QuarkusTest
@TestProfile(ExpressBackends.HalfAdoptedBothBackends.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(SmtpResource.class)
class HalfAdoptedDatabaseTest {

    @Test
    void oldPaystackPaymentIsSettledByAWebhook() {
        postPaystack("/webhooks/paystack",
                Deliveries.paystackEvent("charge.success", 9001, "PSK-1709283600000-open01", 70000, "KES"))
                .then().statusCode(200)
                .body("received", equalTo(true));
        assertEquals("success", Deliveries.paymentStatus("PSK-1709283600000-open01"));
        assertEquals("success", Deliveries.paymentStatus("PSK-1709283600000-paid01"));
    }

    @Test
    void oldProcessedStripeEventIsADuplicate() {
        postStripe(SubscriptionsBackendAdoptionTest.customerCreated("evt_old_processed_2", "cus_half", "user_half"))
                .then().statusCode(200)
                .body("duplicate", equalTo(true));
        assertEquals(0, Sql.count("SELECT count(*) FROM stripe_customer_mapping WHERE clerk_user_id = 'user_half'"));
    }

    @Test
    void everyStepIsDoneAndRowLevelSecurityIsOn() {
        assertEquals(0, Sql.count("""
                SELECT count(*) FROM information_schema.columns
                 WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'
                   AND table_name <> 'flyway_schema_history'"""));
        assertEquals(2, Sql.count("""
                SELECT count(*) FROM pg_trigger WHERE tgname IN ('backbone_payments_from_paystack_backend',
                                                                 'backbone_stripe_event_from_old_backend')"""));
        assertEquals(0, Sql.count("""
                SELECT count(*) FROM pg_class
                 WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' AND NOT relrowsecurity
                   AND relname <> 'flyway_schema_history'"""));
        assertEquals(1, Sql.count("SELECT count(*) FROM contacts"));
    }
}
