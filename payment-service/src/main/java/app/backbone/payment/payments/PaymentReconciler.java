package app.backbone.payment.payments;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.errors.DependencyFailures;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.ProviderVerdict;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Catches what a lost webhook would leave open: payments still pending or processing after a while are asked about
 * again and settled through PaymentSettlements; the ones the provider expired (or Paystack payers abandoned long ago)
 * are cancelled. Payments are claimed with a lease, so two replicas never handle one payment at once.
 */
@ApplicationScoped
public class PaymentReconciler {

    private final Pool pool;
    private final PaymentRepository payments;
    private final IdempotencyRepository idempotency;
    private final PaymentService service;
    private final PaymentConfig config;

    public PaymentReconciler(Pool pool, PaymentRepository payments, IdempotencyRepository idempotency,
            PaymentService service, PaymentConfig config) {
        this.pool = pool;
        this.payments = payments;
        this.idempotency = idempotency;
        this.service = service;
        this.config = config;
    }

    @Scheduled(every = "${payment.reconciler.interval:60s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!config.reconciler().enabled()) {
            return Uni.createFrom().voidItem();
        }
        return reconcileOnce()
                .call(() -> idempotency.deleteExpired(pool, config.idempotency().ttl()))
                .onFailure().invoke(e -> Log.warnf("Reconciliation failed: %s", DependencyFailures.describe(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims one batch of stale open payments and settles each; answers how many were claimed. */
    public Uni<Integer> reconcileOnce() {
        PaymentConfig.Reconciler settings = config.reconciler();
        return payments.claimStale(pool, settings.minAge(), settings.lease(), settings.batchSize())
                .flatMap(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUniAndConcatenate(this::reconcile)
                        .collect().last()
                        .replaceWith(claimed.size()));
    }

    private Uni<Void> reconcile(Payment payment) {
        if (!service.canAsk(payment)) {
            Log.warnf("Payment %s has no provider id to look up; left for a person to check", payment.reference());
            return Uni.createFrom().voidItem();
        }
        return service.ask(payment)
                .flatMap(verdict -> {
                    if (verdict.kind() == ProviderVerdict.Kind.ABANDONED && isOlderThanAbandonLimit(payment)) {
                        return service.cancelAbandoned(payment);
                    }
                    return service.apply(payment, verdict);
                })
                .replaceWithVoid()
                // One payment's failure (provider down) must not stop the batch; the lease brings it back later.
                .onFailure().invoke(e -> Log.warnf("Could not reconcile payment %s: %s", payment.reference(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private boolean isOlderThanAbandonLimit(Payment payment) {
        return payment.createdAt().isBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(config.paystack().abandonAfter()));
    }
}
