package app.backbone.payment.payments;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.errors.DependencyFailures;
import app.backbone.data.payments.PaymentSignal;
import app.backbone.data.payments.ProviderReport;
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
    private final PaymentVerification verification;
    private final PaymentConfig config;

    public PaymentReconciler(Pool pool, PaymentRepository payments, IdempotencyRepository idempotency,
            PaymentVerification verification, PaymentConfig config) {
        this.pool = pool;
        this.payments = payments;
        this.idempotency = idempotency;
        this.verification = verification;
        this.config = config;
    }

    @Scheduled(every = "${payment.reconciler.interval}", delayed = "10s",
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
        if (!verification.canAsk(payment)) {
            return unrecordedSession(payment);
        }
        return verification.ask(payment)
                .flatMap(verdict -> {
                    boolean givenUp = isOlderThanAbandonLimit(payment);
                    if (verdict.kind() == ProviderVerdict.Kind.ABANDONED && givenUp) {
                        return verification.close(payment, ProviderReport.of(payment.provider(), PaymentSignal.EXPIRED,
                                "abandoned at " + payment.provider().id() + " for longer than "
                                        + config.paystack().abandonAfter()));
                    }
                    if (verdict.kind() == ProviderVerdict.Kind.NOT_FOUND && givenUp) {
                        return verification.close(payment, ProviderReport.of(payment.provider(), PaymentSignal.FAILED,
                                payment.provider().id() + " never opened this payment"));
                    }
                    return verification.apply(payment, verdict);
                })
                .replaceWithVoid()
                // One payment's failure (provider down) must not stop the batch; the lease brings it back later.
                .onFailure().invoke(e -> Log.warnf("Could not reconcile payment %s: %s", payment.reference(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /**
     * A Stripe payment whose session id was never recorded (the database failed just after Stripe answered) cannot
     * be looked up; once no session of it can still be open, it is failed. A late payment still wins by webhook.
     */
    private Uni<Void> unrecordedSession(Payment payment) {
        if (!verification.isOlderThan(payment, config.stripe().unrecordedSessionLimit())) {
            return Uni.createFrom().voidItem();
        }
        return verification.close(payment, ProviderReport.of(payment.provider(), PaymentSignal.FAILED,
                "no checkout session was recorded, and none can be open after "
                        + config.stripe().unrecordedSessionLimit()))
                .replaceWithVoid()
                .onFailure().invoke(e -> Log.warnf("Could not fail payment %s: %s", payment.reference(),
                        e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private boolean isOlderThanAbandonLimit(Payment payment) {
        return verification.isOlderThan(payment, config.paystack().abandonAfter());
    }
}
