package app.backbone.payment.subscriptions;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionUpdateParams;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.data.subscriptions.SubscriptionView;
import app.backbone.data.subscriptions.Subscriptions;
import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.providers.StripeConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The caller's subscriptions: listed from our table (kept by Stripe's webhooks), cancelled and changed at Stripe. A
 * subscription is the caller's when our table records it under the caller's customer; any other id is answered 404,
 * the same as one that does not exist, before Stripe is asked anything.
 */
@ApplicationScoped
public class SubscriptionService {

    private static final Pattern SUBSCRIPTION_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");
    /** Stripe refuses every change of a subscription in these states. */
    private static final Set<String> ENDED = Set.of("canceled", "incomplete_expired");

    private final Pool pool;
    private final Subscriptions subscriptions;
    private final SubscriptionPrices prices;
    private final StripeConnector stripe;
    private final MeterRegistry registry;

    public SubscriptionService(Pool pool, Subscriptions subscriptions, SubscriptionPrices prices,
            StripeConnector stripe, MeterRegistry registry) {
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.prices = prices;
        this.stripe = stripe;
        this.registry = registry;
    }

    public Uni<List<SubscriptionView>> list(ClerkUser user) {
        return subscriptions.findByClerkUser(pool, user.id());
    }

    /** Ends the subscription when its paid period ends ({@code cancel_at_period_end}), or now. */
    public Uni<StripeSubscription> cancel(ClerkUser user, String id, boolean atPeriodEnd) {
        return open(user, id).flatMap(owned -> atPeriodEnd
                        ? stripe.updateSubscription(id, SubscriptionUpdateParams.builder()
                                .setCancelAtPeriodEnd(true).build())
                        // What the user owes up to now (a pending proration of an earlier change) is billed.
                        : stripe.cancelSubscription(id, SubscriptionCancelParams.builder().setInvoiceNow(true).build()))
                .map(answer -> {
                    registry.counter("subscriptions.cancel.requested", "when", atPeriodEnd ? "period_end" : "now")
                            .increment();
                    Log.infof("Subscription %s of user %s cancelled %s", id, user.id(),
                            atPeriodEnd ? "at the end of its period" : "now");
                    return StripeSubscription.from(answer);
                });
    }

    /**
     * Moves the subscription's one item to the price (and seats), with Stripe's proration. Seats not named stay as
     * they are.
     */
    public Uni<StripeSubscription> update(ClerkUser user, String id, UpdateRequest request) {
        return open(user, id)
                .call(owned -> prices.require(request.priceId()))
                .flatMap(owned -> stripe.retrieveSubscription(id).map(found -> found.orElseThrow(
                        () -> ApiException.notFound("No such subscription"))).map(current -> item(owned, current)))
                .flatMap(item -> {
                    long quantity = request.quantity() != null ? request.quantity().longValueExact()
                            : item.path("quantity").asLong(1);
                    SubscriptionUpdateParams params = SubscriptionUpdateParams.builder()
                            .addItem(SubscriptionUpdateParams.Item.builder()
                                    .setId(item.path("id").asText())
                                    .setPrice(request.priceId())
                                    .setQuantity(quantity)
                                    .build())
                            .setProrationBehavior(proration(request.prorationBehavior()))
                            // The change takes effect only once its invoice is paid: no Pro plan on a declined card.
                            .setPaymentBehavior(SubscriptionUpdateParams.PaymentBehavior.PENDING_IF_INCOMPLETE)
                            .build();
                    return stripe.updateSubscription(id, params);
                })
                .map(answer -> {
                    registry.counter("subscriptions.change.requested").increment();
                    Log.infof("Subscription %s of user %s moved to price %s", id, user.id(), request.priceId());
                    return StripeSubscription.from(answer);
                });
    }

    /** The caller's subscription, still open to changes; 404 for anyone else's (or no) subscription. */
    private Uni<SubscriptionView> open(ClerkUser user, String id) {
        if (id == null || !SUBSCRIPTION_ID.matcher(id).matches()) {
            return Uni.createFrom().failure(ApiException.notFound("No such subscription"));
        }
        return subscriptions.findOwnedBy(pool, user.id(), id).map(subscription -> {
            if (subscription == null) {
                throw ApiException.notFound("No such subscription");
            }
            if (ENDED.contains(subscription.status())) {
                throw new ApiException(ErrorCode.CONFLICT, "This subscription has ended; start a new one instead");
            }
            return subscription;
        });
    }

    /** The one item to move; Stripe's subscription must still be the caller's customer's. */
    private static JsonNode item(SubscriptionView owned, JsonNode current) {
        if (!owned.customerId().equals(StripeSubscription.id(current.path("customer")))) {
            Log.warnf("Subscription %s belongs to customer %s at Stripe, not %s as recorded", owned.id(),
                    StripeSubscription.id(current.path("customer")), owned.customerId());
            throw ApiException.notFound("No such subscription");
        }
        JsonNode items = current.path("items").path("data");
        if (items.size() != 1 || !items.path(0).path("id").isTextual()) {
            throw new ApiException(ErrorCode.CONFLICT,
                    "This subscription has several items; change it in the billing portal");
        }
        return items.path(0);
    }

    /** Upgrades are charged at once unless the client asks for the difference on the next invoice. */
    private static SubscriptionUpdateParams.ProrationBehavior proration(String behavior) {
        return "create_prorations".equals(behavior) ? SubscriptionUpdateParams.ProrationBehavior.CREATE_PRORATIONS
                : SubscriptionUpdateParams.ProrationBehavior.ALWAYS_INVOICE;
    }
}
