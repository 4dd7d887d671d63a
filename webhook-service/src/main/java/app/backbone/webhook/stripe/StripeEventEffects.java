package app.backbone.webhook.stripe;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.data.customers.CustomerMappings;
import app.backbone.data.subscriptions.SubscriptionState;
import app.backbone.data.subscriptions.Subscriptions;
import app.backbone.webhook.catalogue.CatalogueNotifier;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import static app.backbone.webhook.events.JsonFields.epochSeconds;
import static app.backbone.webhook.events.JsonFields.first;
import static app.backbone.webhook.events.JsonFields.id;
import static app.backbone.webhook.events.JsonFields.text;

/**
 * What each Stripe event type does to our data, on the event's transaction: payment events go to
 * {@link StripePaymentEvents}; customers, subscriptions and the catalogue are kept here. An event about something we
 * do not know (a foreign checkout session, an unknown reference) is logged and left alone: retrying it would never
 * help.
 */
@ApplicationScoped
public class StripeEventEffects {

    private final StripePaymentEvents payments;
    private final CustomerMappings customers;
    private final Subscriptions subscriptions;
    private final CatalogueNotifier catalogue;

    public StripeEventEffects(StripePaymentEvents payments, CustomerMappings customers,
            Subscriptions subscriptions, CatalogueNotifier catalogue) {
        this.payments = payments;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.catalogue = catalogue;
    }

    public Uni<Void> apply(SqlClient tx, StripeEvent event) {
        String type = event.type();
        JsonNode object = event.object();
        if (StripePaymentEvents.handles(type)) {
            return payments.apply(tx, event);
        }
        if (type.startsWith("customer.subscription.")) {
            return subscription(tx, event);
        }
        if (type.startsWith("product.") || type.startsWith("price.")) {
            String objectId = text(object, "id");
            return objectId == null ? done() : catalogue.changed(tx, objectId);
        }
        return switch (type) {
            case "customer.created" -> customerChanged(tx, event);
            // payment-service caches customer objects: every replica forgets this one once the change commits.
            case "customer.updated" -> customerChanged(tx, event)
                    .call(() -> customers.notifyChanged(tx, text(object, "id")));
            case "customer.deleted" -> customerDeleted(tx, event)
                    .call(() -> customers.notifyChanged(tx, text(object, "id")));
            case "invoice.payment_succeeded" -> invoice(tx, event, "active");
            case "invoice.payment_failed" -> invoice(tx, event, "past_due");
            default -> {
                Log.debugf("Stripe event type %s has no effect here; recorded only", type);
                yield done();
            }
        };
    }

    private Uni<Void> customerChanged(SqlClient tx, StripeEvent event) {
        String customerId = text(event.object(), "id");
        String clerkUserId = text(event.object(), "metadata", "clerk_user_id");
        if (customerId == null || clerkUserId == null) {
            Log.debugf("Stripe customer event %s names no Clerk user; no mapping changed", event.id());
            return done();
        }
        // Deletion is final in Stripe: a customer.updated delivered after customer.deleted must not map it again.
        // The deletion is read from stripe_deleted_customers, which outlives the ledger's retention.
        return customers.lockCustomer(tx, customerId)
                .flatMap(locked -> customers.isDeleted(tx, customerId))
                .flatMap(deleted -> {
                    if (deleted) {
                        Log.infof("Stripe event %s is about deleted customer %s; no mapping changed", event.id(),
                                customerId);
                        return done();
                    }
                    return customers.upsert(tx, clerkUserId, customerId);
                });
    }

    private Uni<Void> customerDeleted(SqlClient tx, StripeEvent event) {
        String customerId = text(event.object(), "id");
        if (customerId == null) {
            return done();
        }
        String clerkUserId = text(event.object(), "metadata", "clerk_user_id");
        return customers.lockCustomer(tx, customerId)
                .flatMap(locked -> customers.recordDeleted(tx, customerId, clerkUserId, event.created()))
                .flatMap(recorded -> customers.deleteByCustomer(tx, customerId))
                .replaceWithVoid();
    }

    private Uni<Void> subscription(SqlClient tx, StripeEvent event) {
        JsonNode sub = event.object();
        JsonNode item = first(sub, "items", "data");
        String status = text(sub, "status");
        if (status == null && event.type().equals("customer.subscription.deleted")) {
            status = "canceled";
        }
        // current_period_end moved from the subscription to its items in API version 2025-03-31.
        OffsetDateTime periodEnd = epochSeconds(sub, "current_period_end");
        if (periodEnd == null && item != null) {
            periodEnd = epochSeconds(item, "current_period_end");
        }
        String priceId = item == null ? null : id(item, "price");
        return store(tx, event, new SubscriptionState(text(sub, "id"), id(sub, "customer"), status, priceId, periodEnd,
                event.created(), true));
    }

    private Uni<Void> invoice(SqlClient tx, StripeEvent event, String status) {
        JsonNode invoice = event.object();
        // The subscription of an invoice moved under parent.subscription_details in API version 2025-03-31.
        String subscriptionId = id(invoice, "subscription");
        if (subscriptionId == null) {
            subscriptionId = id(invoice, "parent", "subscription_details", "subscription");
        }
        if (subscriptionId == null) {
            Log.debugf("Stripe invoice event %s is not for a subscription; recorded only", event.id());
            return done();
        }
        JsonNode line = first(invoice, "lines", "data");
        String priceId = null;
        OffsetDateTime periodEnd = null;
        if (line != null) {
            priceId = id(line, "price");
            if (priceId == null) {
                priceId = text(line, "pricing", "price_details", "price");
            }
            periodEnd = epochSeconds(line, "period", "end");
        }
        return store(tx, event, new SubscriptionState(subscriptionId, id(invoice, "customer"), status, priceId,
                periodEnd, event.created(), false));
    }

    private Uni<Void> store(SqlClient tx, StripeEvent event, SubscriptionState state) {
        if (state.id() == null || state.customerId() == null || state.status() == null) {
            Log.warnf("Stripe event %s (%s) lacks a subscription id, customer or status; recorded only", event.id(),
                    event.type());
            return done();
        }
        return subscriptions.upsertIfNewer(tx, state).invoke(changed -> {
            if (!changed) {
                Log.infof("Stripe event %s is older than the stored state of subscription %s; ignored", event.id(),
                        state.id());
            }
        }).replaceWithVoid();
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }
}
