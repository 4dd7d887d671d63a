package app.backbone.webhook.stripe;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.data.customers.CustomerEventOrder;
import app.backbone.data.customers.CustomerMappings;
import app.backbone.webhook.catalogue.CatalogueNotifier;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import static app.backbone.webhook.events.JsonFields.text;

/**
 * What each Stripe event type does to our data, on the event's transaction: payment events go to
 * {@link StripePaymentEvents}, subscription events to {@link StripeSubscriptionEvents}, a subscription's invoices to
 * {@link StripeInvoiceEvents}; customers and the catalogue are kept here. An event about something we do not know (a
 * foreign checkout session, an unknown reference) is logged and left alone: retrying it would never help.
 */
@ApplicationScoped
public class StripeEventEffects {

    private final StripePaymentEvents payments;
    private final StripeSubscriptionEvents subscriptions;
    private final StripeInvoiceEvents invoices;
    private final CustomerMappings customers;
    private final CatalogueNotifier catalogue;

    public StripeEventEffects(StripePaymentEvents payments, StripeSubscriptionEvents subscriptions,
            StripeInvoiceEvents invoices, CustomerMappings customers, CatalogueNotifier catalogue) {
        this.payments = payments;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.customers = customers;
        this.catalogue = catalogue;
    }

    public Uni<Void> apply(SqlClient tx, StripeEvent event) {
        String type = event.type();
        JsonNode object = event.object();
        if (StripePaymentEvents.handles(event)) {
            return payments.apply(tx, event);
        }
        if (StripeSubscriptionEvents.handles(type)) {
            return subscriptions.apply(tx, event);
        }
        if (StripeInvoiceEvents.handles(type)) {
            return invoices.apply(tx, event);
        }
        if (type.startsWith("product.") || type.startsWith("price.")) {
            String objectId = text(object, "id");
            return objectId == null ? done() : catalogue.changed(tx, objectId);
        }
        return switch (type) {
            // payment-service caches users' mappings and customer objects: every replica forgets this customer and
            // every mapping once the change commits. A new customer is announced only when it moves a mapping.
            case "customer.created" -> customerChanged(tx, event, false);
            case "customer.updated" -> customerChanged(tx, event, true)
                    .call(() -> customers.notifyChanged(tx, text(object, "id")));
            case "customer.deleted" -> customerDeleted(tx, event)
                    .call(() -> customers.notifyChanged(tx, text(object, "id")));
            default -> {
                Log.debugf("Stripe event type %s has no effect here; recorded only", type);
                yield done();
            }
        };
    }

    /** Maps the customer's Clerk user to it; {@code announced} says the caller notifies anyway, else a move is. */
    private Uni<Void> customerChanged(SqlClient tx, StripeEvent event, boolean announced) {
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
                    return customers.findLastEvent(tx, customerId).flatMap(last -> {
                        // Stripe delivers out of order: an event older than the one that last wrote the mapping
                        // would bring back an old user or e-mail. It is still processed (recorded, answered 200).
                        if (last != null && !CustomerEventOrder.isNewer(last.at(), last.type(), event.created(),
                                event.type())) {
                            Log.infof("Stripe event %s (%s) is older than %s of customer %s; no mapping changed",
                                    event.id(), event.created(), last.at(), customerId);
                            return done();
                        }
                        Uni<Boolean> moves = announced ? Uni.createFrom().item(false)
                                : customers.wouldMove(tx, clerkUserId, customerId);
                        // The e-mail is where subscription mails go when an invoice names none.
                        return moves.flatMap(move -> customers.upsert(tx, clerkUserId, customerId,
                                        SubscriptionMails.address(text(event.object(), "email")), event.created(),
                                        event.type())
                                .call(() -> move ? customers.notifyChanged(tx, customerId) : done()));
                    });
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

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }
}
