package app.backbone.payment.customers;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.stripe.param.CustomerCreateParams;

import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.providers.ProviderFailure;
import app.backbone.payment.providers.StripeGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One Stripe customer per Clerk user. The first call for a user takes a per-user database lock, so concurrent first
 * calls (from any replica) run one by one: one creates the customer, the others find its mapping. Stripe's
 * idempotency key {@code customer-{clerkUserId}} covers a retry after a crash between Stripe and the mapping.
 */
@ApplicationScoped
public class CustomerService {

    private final Pool pool;
    private final CustomerMappingRepository mappings;
    private final SubscriptionRepository subscriptions;
    private final StripeGateway stripe;
    private final MeterRegistry registry;

    public CustomerService(Pool pool, CustomerMappingRepository mappings, SubscriptionRepository subscriptions,
            StripeGateway stripe, MeterRegistry registry) {
        this.pool = pool;
        this.mappings = mappings;
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.registry = registry;
    }

    public Uni<CustomerResult> ensureCustomer(ClerkUser user, CustomerRequest request) {
        return mappings.findCustomerId(pool, user.id()).flatMap(existing -> existing != null
                ? existing(existing)
                : pool.withTransaction(tx -> mappings.lockUser(tx, user.id())
                        .flatMap(locked -> mappings.findCustomerId(tx, user.id()))
                        .flatMap(mapped -> mapped != null
                                ? Uni.createFrom().item(new Mapped(mapped, null))
                                : stripe.createCustomer(params(user, request), "customer-" + user.id())
                                        .flatMap(customer -> {
                                            String id = customer.path("id").asText(null);
                                            if (id == null || id.isBlank()) {
                                                throw new ProviderFailure("Stripe created a customer without id", null);
                                            }
                                            // Stripe's customer.created webhook may have mapped this very customer
                                            // while we waited for Stripe's answer: it is still the one we created.
                                            return mappings.insert(tx, user.id(), id)
                                                    .flatMap(inserted -> inserted ? Uni.createFrom().item(true)
                                                            : mappings.findCustomerId(tx, user.id()).map(id::equals))
                                                    .map(ours -> new Mapped(id, ours ? customer : null));
                                        })))
                        .flatMap(mapped -> mapped.created() != null
                                ? Uni.createFrom().item(created(user, mapped))
                                : existing(mapped.customerId())));
    }

    public Uni<List<SubscriptionView>> subscriptions(ClerkUser user) {
        return subscriptions.findByClerkUser(pool, user.id());
    }

    private record Mapped(String customerId, com.fasterxml.jackson.databind.JsonNode created) {
    }

    private CustomerResult created(ClerkUser user, Mapped mapped) {
        registry.counter("stripe.customers.created").increment();
        Log.infof("Stripe customer %s created for user %s", mapped.customerId(), user.id());
        return new CustomerResult(mapped.created(), true);
    }

    private Uni<CustomerResult> existing(String customerId) {
        return stripe.retrieveCustomer(customerId).map(customer -> new CustomerResult(customer, false));
    }

    private static CustomerCreateParams params(ClerkUser user, CustomerRequest request) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder();
        String email = request.email() != null ? request.email().strip() : user.email();
        if (email != null) {
            params.setEmail(email);
        }
        if (request.name() != null && !request.name().isBlank()) {
            params.setName(request.name().strip());
        }
        if (request.metadata() != null) {
            for (Map.Entry<String, String> entry : request.metadata().entrySet()) {
                if (entry.getValue() != null) {
                    params.putMetadata(entry.getKey(), entry.getValue());
                }
            }
        }
        // Last, so a client cannot claim another user's id.
        params.putMetadata("clerk_user_id", user.id());
        return params.build();
    }
}
