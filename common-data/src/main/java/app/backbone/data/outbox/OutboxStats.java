package app.backbone.data.outbox;

/** What the outbox holds right now, for the metrics. */
public record OutboxStats(long pending, long failed, double oldestPendingAgeSeconds) {
}
