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

    private static Contact toContact(Row row) {
        return new Contact(row.getUUID("id"), row.getString("name"), row.getString("email"), row.getString("message"),
                row.getOffsetDateTime("created_at"));
    }
}
