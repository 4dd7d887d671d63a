package app.backbone.payment.customers;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** The SQL of the subscriptions the webhook service records, read through the user's customer mapping. */
@ApplicationScoped
public class SubscriptionRepository {

    public Uni<List<SubscriptionView>> findByClerkUser(SqlClient client, String clerkUserId) {
        return client.preparedQuery("""
                SELECT s.id, s.status, s.price_id, s.stripe_customer_id, s.current_period_end, s.updated_at
                  FROM subscriptions s
                  JOIN stripe_customer_mapping m ON m.stripe_customer_id = s.stripe_customer_id
                 WHERE m.clerk_user_id = $1
                 ORDER BY s.current_period_end DESC NULLS LAST, s.id""")
                .execute(Tuple.of(clerkUserId))
                .map(rows -> {
                    List<SubscriptionView> found = new ArrayList<>();
                    rows.forEach(row -> found.add(new SubscriptionView(row.getString("id"), row.getString("status"),
                            row.getString("price_id"), row.getString("stripe_customer_id"),
                            row.getOffsetDateTime("current_period_end"), row.getOffsetDateTime("updated_at"))));
                    return found;
                });
    }
}
