package app.backbone.testing;

import java.util.Arrays;
import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Test profiles whose database holds what a running Express backend left in its Supabase PostgreSQL (the schemas
 * exactly as the backends' design documents draw them, with rows), before the service starts and adopts it.
 */
public final class ExpressBackends {

    static final String CONTACT_PAYSTACK = "express-backends/contact-paystack-backend.sql";
    static final String CONTACT_PAYSTACK_ROWS = "express-backends/contact-paystack-backend-rows.sql";
    static final String SUBSCRIPTIONS = "express-backends/subscriptions-backend.sql";
    static final String SUBSCRIPTIONS_ROWS = "express-backends/subscriptions-backend-rows.sql";

    private ExpressBackends() {
    }

    /** The contact + Paystack backend's database. */
    public static class ContactPaystackBackend implements QuarkusTestProfile, SeededDatabase {
        @Override
        public void seed() {
            List.of(CONTACT_PAYSTACK, CONTACT_PAYSTACK_ROWS).forEach(PostgresResource::runScript);
        }
    }

    /** The Clerk + Stripe "subscriptions" backend's database. */
    public static class SubscriptionsBackend implements QuarkusTestProfile, SeededDatabase {
        @Override
        public void seed() {
            List.of(SUBSCRIPTIONS, SUBSCRIPTIONS_ROWS).forEach(PostgresResource::runScript);
        }
    }

    /**
     * Both backends' tables in one database, whose adoption stopped half-way: the first steps of beforeMigrate.sql
     * ran, the third only in part, and no Flyway history was written yet.
     */
    public static class HalfAdoptedBothBackends implements QuarkusTestProfile, SeededDatabase {
        @Override
        public void seed() {
            List.of(CONTACT_PAYSTACK, CONTACT_PAYSTACK_ROWS, SUBSCRIPTIONS, SUBSCRIPTIONS_ROWS)
                    .forEach(PostgresResource::runScript);
            adoptionSteps(2).forEach(PostgresResource::runSql);
            PostgresResource.runSql("ALTER TABLE payments ADD COLUMN currency char(3) NOT NULL DEFAULT 'KES'");
        }
    }

    /** The first {@code count} steps of the adoption (each a DO block of db/migration/beforeMigrate.sql). */
    public static List<String> adoptionSteps(int count) {
        String script = PostgresResource.readScript("db/migration/beforeMigrate.sql");
        List<String> steps = Arrays.stream(script.split("(?<=\\$adopt\\$;)"))
                .filter(step -> step.contains("$adopt$")).toList();
        if (steps.size() < count) {
            throw new IllegalStateException("beforeMigrate.sql has only " + steps.size() + " steps");
        }
        return steps.subList(0, count);
    }
}
