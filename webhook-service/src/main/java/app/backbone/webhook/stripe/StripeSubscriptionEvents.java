package app.backbone.webhook.stripe;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.data.customers.CustomerMappings;
import app.backbone.data.outbox.Outbox;
import app.backbone.data.subscriptions.SubscriptionRecord;
import app.backbone.data.subscriptions.SubscriptionState;
import app.backbone.data.subscriptions.Subscriptions;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

import static app.backbone.webhook.events.JsonFields.bool;
import static app.backbone.webhook.events.JsonFields.epochSeconds;
import static app.backbone.webhook.events.JsonFields.first;
import static app.backbone.webhook.events.JsonFields.id;
import static app.backbone.webhook.events.JsonFields.number;
import static app.backbone.webhook.events.JsonFields.text;

/**
 * What Stripe's subscription events do: every {@code customer.subscription.*} event carries the whole subscription,
 * recorded through {@link Subscriptions#record} (an event older than what is stored changes nothing);
 * {@code trial_will_end} also mails the customer a reminder. A Checkout session in subscription or setup mode is no
 * payment of ours: the subscription's own events record what it made.
 */
@ApplicationScoped
public class StripeSubscriptionEvents {

    private final Subscriptions subscriptions;
    private final CustomerMappings customers;
    private final Outbox outbox;
    private final SubscriptionMails mails;
    private final SubscriptionCounters counters;

    public StripeSubscriptionEvents(Subscriptions subscriptions, CustomerMappings customers, Outbox outbox,
            SubscriptionMails mails, SubscriptionCounters counters) {
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.outbox = outbox;
        this.mails = mails;
        this.counters = counters;
    }

    /** Whether this event is about a subscription (payment-mode Checkout sessions went to StripePaymentEvents). */
    public static boolean handles(String type) {
        return type.startsWith("customer.subscription.") || type.startsWith("checkout.session.");
    }

    public Uni<Void> apply(SqlClient tx, StripeEvent event) {
        if (event.type().startsWith("checkout.session.")) {
            Log.infof("Stripe event %s (%s) is a Checkout session in %s mode, not a payment; the subscription's own "
                    + "events record it", event.id(), event.type(), text(event.object(), "mode"));
            return done();
        }
        SubscriptionState state = state(event);
        if (state.id() == null || state.customerId() == null || state.status() == null) {
            Log.warnf("Stripe event %s (%s) lacks a subscription id, customer or status; recorded only", event.id(),
                    event.type());
            return done();
        }
        return subscriptions.record(tx, state).flatMap(change -> {
            counters.count(tx, change);
            if (!change.applied()) {
                Log.infof("Stripe event %s (%s) is not newer than the stored state of subscription %s; ignored",
                        event.id(), event.type(), state.id());
            }
            if (event.type().equals("customer.subscription.trial_will_end")) {
                return trialReminder(tx, event, change.current());
            }
            return done();
        });
    }

    /** Mails the reminder while the trial is still ahead and the subscription in it. */
    private Uni<Void> trialReminder(SqlClient tx, StripeEvent event, SubscriptionRecord subscription) {
        if (!"trialing".equals(subscription.status()) || subscription.trialEnd() == null
                || !subscription.trialEnd().isAfter(OffsetDateTime.now())) {
            Log.infof("Subscription %s is %s with trial end %s; no trial reminder for Stripe event %s",
                    subscription.id(), subscription.status(), subscription.trialEnd(), event.id());
            return done();
        }
        return customers.findEmail(tx, subscription.customerId()).flatMap(email -> {
            String to = SubscriptionMails.address(email);
            if (to == null) {
                Log.warnf("No e-mail known for customer %s; no trial reminder for subscription %s",
                        subscription.customerId(), subscription.id());
                return done();
            }
            return outbox.enqueue(tx, mails.trialEnding(to, subscription)).replaceWithVoid();
        });
    }

    private static SubscriptionState state(StripeEvent event) {
        JsonNode sub = event.object();
        JsonNode item = first(sub, "items", "data");
        String status = text(sub, "status");
        if (status == null && event.type().equals("customer.subscription.deleted")) {
            status = "canceled";
        }
        // The period moved from the subscription to its items in API version 2025-03-31.
        OffsetDateTime periodStart = epochSeconds(sub, "current_period_start");
        OffsetDateTime periodEnd = epochSeconds(sub, "current_period_end");
        String priceId = null;
        String productId = null;
        Integer quantity = null;
        if (item != null) {
            periodStart = periodStart != null ? periodStart : epochSeconds(item, "current_period_start");
            periodEnd = periodEnd != null ? periodEnd : epochSeconds(item, "current_period_end");
            priceId = id(item, "price");
            productId = id(item, "price", "product");
            if (priceId == null) {
                priceId = id(item, "plan");
                productId = id(item, "plan", "product");
            }
            quantity = quantity(number(item, "quantity"));
        }
        return new SubscriptionState(text(sub, "id"), id(sub, "customer"), status, priceId, productId, quantity,
                periodStart, periodEnd, Boolean.TRUE.equals(bool(sub, "cancel_at_period_end")),
                epochSeconds(sub, "cancel_at"), epochSeconds(sub, "canceled_at"), epochSeconds(sub, "trial_end"),
                event.created(), true);
    }

    /** Stripe's quantity, if it fits the column (a negative or huge number is no quantity). */
    private static Integer quantity(Long quantity) {
        return quantity != null && quantity >= 0 && quantity <= Integer.MAX_VALUE ? quantity.intValue() : null;
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }
}
