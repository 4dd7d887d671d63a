package app.backbone.webhook.stripe;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.subscriptions.SubscriptionChange;
import app.backbone.webhook.events.AfterCommit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The subscription lifecycle as the webhooks see it, counted once the event's transaction commits:
 * {@code subscriptions_started_total}, {@code subscriptions_changed_total{change=plan|quantity}},
 * {@code subscriptions_cancelled_total{kind=scheduled|ended}}, {@code invoices_paid_total},
 * {@code invoices_failed_total}. Made at start, so every counter is in {@code /q/metrics} from the first scrape.
 */
@Startup
@ApplicationScoped
public class SubscriptionCounters {

    private final Counter started;
    private final Counter planChanged;
    private final Counter quantityChanged;
    private final Counter cancellationScheduled;
    private final Counter ended;
    private final Counter invoicesPaid;
    private final Counter invoicesFailed;

    public SubscriptionCounters(MeterRegistry registry) {
        started = Counter.builder("subscriptions.started")
                .description("Subscriptions that became active or trialing").register(registry);
        planChanged = changed(registry, "plan");
        quantityChanged = changed(registry, "quantity");
        cancellationScheduled = cancelled(registry, "scheduled");
        ended = cancelled(registry, "ended");
        invoicesPaid = Counter.builder("invoices.paid").description("Stripe invoices paid").register(registry);
        invoicesFailed = Counter.builder("invoices.failed").description("Stripe invoice payments that failed")
                .register(registry);
    }

    void count(SqlClient tx, SubscriptionChange change) {
        if (!change.applied()) {
            return;
        }
        AfterCommit.run(tx, () -> {
            increment(started, change.started());
            increment(planChanged, change.planChanged());
            increment(quantityChanged, change.quantityChanged());
            increment(cancellationScheduled, change.cancellationScheduled());
            increment(ended, change.ended());
        });
    }

    void invoice(SqlClient tx, boolean paid) {
        AfterCommit.run(tx, (paid ? invoicesPaid : invoicesFailed)::increment);
    }

    private static void increment(Counter counter, boolean happened) {
        if (happened) {
            counter.increment();
        }
    }

    private static Counter changed(MeterRegistry registry, String change) {
        return Counter.builder("subscriptions.changed").tag("change", change)
                .description("Subscriptions moved to another plan or quantity").register(registry);
    }

    private static Counter cancelled(MeterRegistry registry, String kind) {
        return Counter.builder("subscriptions.cancelled").tag("kind", kind)
                .description("Subscription cancellations: scheduled (at the period's end or a set time) or ended")
                .register(registry);
    }
}
