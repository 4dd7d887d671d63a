package app.backbone.webhook.events;

import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Runs an action once the caller's transaction has committed, and never when it rolls back: counters of what an event
 * did must not count an effect that Stripe's retry will apply again.
 */
public final class AfterCommit {

    private AfterCommit() {
    }

    /** Runs {@code action} when {@code tx}'s transaction commits; at once when {@code tx} is in no transaction. */
    public static void run(SqlClient tx, Runnable action) {
        if (tx instanceof SqlConnection connection && connection.transaction() != null) {
            connection.transaction().completion().subscribe().with(committed -> action.run(), rolledBack -> {
            });
        } else {
            action.run();
        }
    }
}
