package app.backbone.webhook.events;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.errors.DependencyFailures;
import app.backbone.webhook.WebhookConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Prunes processed events after {@code WEBHOOK_RETENTION}, so the ledger does not grow for ever. */
@ApplicationScoped
public class WebhookRetention {

    private final WebhookEventRepository events;
    private final WebhookConfig config;

    public WebhookRetention(WebhookEventRepository events, WebhookConfig config) {
        this.events = events;
        this.config = config;
    }

    @Scheduled(every = "${webhook.retention-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledPrune() {
        return prune()
                .onFailure().invoke(e -> Log.warnf("Webhook retention failed: %s", DependencyFailures.describe(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Deletes processed events older than the retention; answers how many. */
    public Uni<Integer> prune() {
        return events.deleteProcessedBefore(config.retention()).invoke(deleted -> {
            if (deleted > 0) {
                Log.infof("Deleted %d processed webhook events older than %s", deleted, config.retention());
            }
        });
    }
}
