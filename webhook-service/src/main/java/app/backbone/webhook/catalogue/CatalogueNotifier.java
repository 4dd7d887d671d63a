package app.backbone.webhook.catalogue;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.catalogue.CatalogueChannel;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells payment-service its cached Stripe catalogue is stale: {@code NOTIFY catalogue_changed, '<product or price
 * id>'}. Sent on the event's transaction, so PostgreSQL delivers it only if the event is committed.
 */
@ApplicationScoped
public class CatalogueNotifier {

    public static final String CHANNEL = CatalogueChannel.NAME;

    public Uni<Void> changed(SqlClient tx, String objectId) {
        return tx.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(CHANNEL, objectId))
                .replaceWithVoid();
    }
}
