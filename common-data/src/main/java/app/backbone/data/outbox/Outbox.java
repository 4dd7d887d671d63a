package app.backbone.data.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Where services queue mail: inside their own transaction, so a mail exists exactly when the data that asked for it. */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository repository;
    private final Counter queued;

    public Outbox(OutboxRepository repository, MeterRegistry registry) {
        this.repository = repository;
        this.queued = Counter.builder("outbox.mails.queued").description("Mails queued in the e-mail outbox")
                .register(registry);
    }

    /** Queues a mail on the given transaction; {@code false} when a mail with the same dedupe key already exists. */
    public Uni<Boolean> enqueue(SqlClient tx, OutboxMail mail) {
        return repository.enqueue(tx, mail).invoke(inserted -> {
            if (inserted) {
                queued.increment();
            }
        });
    }
}
