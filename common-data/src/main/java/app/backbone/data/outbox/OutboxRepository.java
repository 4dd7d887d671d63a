package app.backbone.data.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the e-mail outbox. */
@ApplicationScoped
public class OutboxRepository {

    private static final int MAX_ERROR_LENGTH = 1000;

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Queues a mail on the caller's connection, so it commits or rolls back with the caller's transaction. */
    public Uni<Boolean> enqueue(SqlClient tx, OutboxMail mail) {
        return tx.preparedQuery("""
                INSERT INTO email_outbox (dedupe_key, to_address, reply_to, subject, template, model)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (dedupe_key) DO NOTHING""")
                .execute(Tuple.of(mail.dedupeKey(), mail.to(), mail.replyTo(), mail.subject(), mail.template(),
                        new JsonObject(mail.model())))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims due mails: rows other dispatchers hold are skipped, and a claimed row is pushed {@code lease} into the
     * future so it comes back by itself if this dispatcher dies before it reports.
     */
    public Uni<List<OutboxEntry>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("""
                UPDATE email_outbox o
                   SET status = 'sending', attempts = o.attempts + 1,
                       next_attempt_at = now() + make_interval(secs => $2)
                 WHERE o.id IN (SELECT id FROM email_outbox
                                 WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
                                 ORDER BY next_attempt_at
                                 LIMIT $1
                                 FOR UPDATE SKIP LOCKED)
                RETURNING o.id, o.to_address, o.reply_to, o.subject, o.template, o.model, o.attempts""")
                .execute(Tuple.of(limit, (double) lease.toSeconds()))
                .map(rows -> {
                    List<OutboxEntry> entries = new ArrayList<>();
                    for (Row row : rows) {
                        entries.add(new OutboxEntry(row.getUUID("id"), row.getString("to_address"),
                                row.getString("reply_to"), row.getString("subject"), row.getString("template"),
                                row.getJsonObject("model"), row.getInteger("attempts")));
                    }
                    return entries;
                });
    }

    public Uni<Void> markSent(UUID id) {
        return pool.preparedQuery("""
                UPDATE email_outbox SET status = 'sent', sent_at = now(), last_error = NULL
                 WHERE id = $1 AND status = 'sending'""")
                .execute(Tuple.of(id)).replaceWithVoid();
    }

    public Uni<Void> scheduleRetry(UUID id, String error, Duration delay) {
        return pool.preparedQuery("""
                UPDATE email_outbox SET status = 'pending', last_error = $2,
                       next_attempt_at = now() + make_interval(secs => $3)
                 WHERE id = $1 AND status = 'sending'""")
                .execute(Tuple.of(id, truncate(error), (double) delay.toMillis() / 1000.0)).replaceWithVoid();
    }

    public Uni<Void> markFailed(UUID id, String error) {
        return pool.preparedQuery("""
                UPDATE email_outbox SET status = 'failed', last_error = $2
                 WHERE id = $1 AND status = 'sending'""")
                .execute(Tuple.of(id, truncate(error))).replaceWithVoid();
    }

    public Uni<OutboxStats> stats() {
        return pool.query("""
                SELECT count(*) FILTER (WHERE status IN ('pending', 'sending')) AS pending,
                       count(*) FILTER (WHERE status = 'failed') AS failed,
                       coalesce(extract(epoch FROM now() - min(created_at)
                                FILTER (WHERE status IN ('pending', 'sending'))), 0)::float8 AS oldest
                  FROM email_outbox""")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new OutboxStats(row.getLong("pending"), row.getLong("failed"), row.getDouble("oldest"));
                });
    }

    private static String truncate(String error) {
        if (error == null) {
            return null;
        }
        return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
