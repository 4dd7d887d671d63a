package app.backbone.contact;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of contact submissions. */
@ApplicationScoped
public class ContactRepository {

    public Uni<Contact> insert(SqlClient tx, String name, String email, String message) {
        return tx.preparedQuery("""
                INSERT INTO contacts (name, email, message) VALUES ($1, $2, $3)
                RETURNING id, name, email, message, created_at""")
                .execute(Tuple.of(name, email, message))
                .map(rows -> toContact(rows.iterator().next()));
    }

    /**
     * How many confirmations went to this address in the last 24 hours. Takes the address's lock until the
     * transaction ends, so concurrent submissions for one address count one after the other.
     */
    public Uni<Long> lockAndCountConfirmations(SqlClient tx, String email) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(hashtextextended('contact-confirmation:' || lower($1), 0))")
                .execute(Tuple.of(email))
                .flatMap(ignored -> tx.preparedQuery("""
                        SELECT count(*) AS sent FROM email_outbox
                         WHERE template = 'contact-confirmation' AND lower(to_address) = lower($1)
                           AND created_at > now() - interval '1 day'""")
                        .execute(Tuple.of(email)))
                .map(rows -> rows.iterator().next().getLong("sent"));
    }

    private static Contact toContact(Row row) {
        return new Contact(row.getUUID("id"), row.getString("name"), row.getString("email"), row.getString("message"),
                row.getOffsetDateTime("created_at"));
    }
}
