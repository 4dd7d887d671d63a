package app.backbone.webhook.subscriptions;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

/** Answers "is this Clerk user subscribed" from what the Stripe webhooks recorded. */
@ApplicationScoped
public class SubscriptionLookup {

    private final SubscriptionRepository subscriptions;

    public SubscriptionLookup(SubscriptionRepository subscriptions) {
        this.subscriptions = subscriptions;
    }

    public Uni<SubscriptionView> forClerkUser(String clerkUserId) {
        return subscriptions.customerOf(clerkUserId).flatMap(customerId -> {
            if (customerId == null) {
                return Uni.createFrom().item(new SubscriptionView(false, null, List.of()));
            }
            return subscriptions.ofCustomer(customerId).map(items -> new SubscriptionView(
                    items.stream().anyMatch(SubscriptionView.Item::entitles), customerId, items));
        });
    }
}
