package app.backbone.webhook.events;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.webhook.WebhookAck;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Applies a verified event exactly once: in ONE transaction the event is recorded (or found already recorded), its
 * effect applied and the event marked processed. A failing effect rolls all of it back, so the event is not recorded
 * and the provider's retry applies it afresh. An event the ledger already holds as processed is answered as a
 * duplicate after one read, without a transaction or a write.
 */
@ApplicationScoped
public class ExactlyOnceProcessor {

    private final Pool pool;
    private final WebhookEventRepository events;
    private final MeterRegistry registry;

    public ExactlyOnceProcessor(Pool pool, WebhookEventRepository events, MeterRegistry registry) {
        this.pool = pool;
        this.events = events;
        this.registry = registry;
    }

    public Uni<WebhookAck> process(VerifiedEvent event, Function<SqlClient, Uni<Void>> effect) {
        // A redelivery of a processed event (providers retry, replay and deliver twice) is answered by one read;
        // only an event not yet seen takes the transaction, whose unique row decides between concurrent deliveries.
        return events.isProcessed(event).flatMap(known -> known ? Uni.createFrom().item(WebhookAck.duplicateDelivery())
                : recordAndApply(event, effect)).invoke(ack -> {
            boolean duplicate = Boolean.TRUE.equals(ack.duplicate());
            registry.counter("webhooks.received", "provider", event.provider(), "type", event.type(),
                    "outcome", duplicate ? "duplicate" : "applied").increment();
            Log.infof("%s event %s (%s) %s", event.provider(), event.eventId(), event.type(),
                    duplicate ? "was a duplicate" : "applied");
        }).onFailure().invoke(e -> {
            registry.counter("webhooks.received", "provider", event.provider(), "type", event.type(),
                    "outcome", "failed").increment();
            Log.warnf("%s event %s (%s) failed and was rolled back; the provider will retry: %s", event.provider(),
                    event.eventId(), event.type(), e.toString());
        });
    }

    /** One transaction: the ledger row (unless another delivery has it), the effect, the row marked processed. */
    private Uni<WebhookAck> recordAndApply(VerifiedEvent event, Function<SqlClient, Uni<Void>> effect) {
        return pool.withTransaction(tx -> events.insertIfNew(tx, event).flatMap(id -> {
            if (id == null) {
                return Uni.createFrom().item(WebhookAck.duplicateDelivery());
            }
            return effect.apply(tx)
                    .call(() -> events.markProcessed(tx, id))
                    .replaceWith(WebhookAck.applied());
        }));
    }
}
