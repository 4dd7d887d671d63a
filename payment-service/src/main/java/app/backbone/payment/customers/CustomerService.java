package app.backbone.payment.customers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.param.CustomerCreateParams;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.data.customers.CustomerMappings;
import app.backbone.data.subscriptions.SubscriptionView;
import app.backbone.data.subscriptions.Subscriptions;
import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.ProviderFailure;
import app.backbone.payment.providers.StripeConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * One Stripe customer per Clerk user, without holding a database connection while Stripe answers. The first call for
 * a user claims the creation in {@code stripe_customer_claims} (one autocommit statement), calls Stripe with no
 * connection held, then maps the customer and releases the claim in one short transaction. Concurrent calls (from any
 * replica) find the claim taken and poll for the mapping, taking the claim over if its holder gave it back or died
 * (its lease ran out). Stripe's idempotency key {@code customer-{clerkUserId}} makes a taken-over claim, or a retry
 * after a crash between Stripe and the mapping, find the same customer. A mapped user's mapping and customer object
 * come from {@link CustomerCache} when this replica has seen them; a user with no mapping is always looked up, and
 * the claimer reads the mapping from the database again before it calls Stripe.
 */
@ApplicationScoped
public class CustomerService {

    private final Pool pool;
    private final CustomerMappings mappings;
    private final CustomerClaimRepository claims;
    private final Subscriptions subscriptions;
    private final StripeConnector stripe;
    private final CustomerCache cache;
    private final MeterRegistry registry;
    private final PaymentConfig.Customers config;

    public CustomerService(Pool pool, CustomerMappings mappings, CustomerClaimRepository claims,
            Subscriptions subscriptions, StripeConnector stripe, CustomerCache cache, MeterRegistry registry,
            PaymentConfig config) {
        this.pool = pool;
        this.mappings = mappings;
        this.claims = claims;
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.cache = cache;
        this.registry = registry;
        this.config = config.customers();
        requireLeaseLongerThanStripeCall(config);
    }

    /** Builds the bean at start, so a claim lease shorter than a Stripe call stops the service at once. */
    void onStart(@Observes StartupEvent event) {
        Log.debugf("Stripe customer claims last %s", config.claimLease());
    }

    public Uni<CustomerResult> ensureCustomer(ClerkUser user, CustomerRequest request) {
        return findOrCreate(user, request, Instant.now().plus(config.claimWait()));
    }

    /**
     * The user's Stripe customer id, made first (as {@link #ensureCustomer} makes it, race-safe) when the user has
     * none; a mapped customer is not asked of Stripe again.
     */
    public Uni<String> customerId(ClerkUser user) {
        return mappings.findCustomerId(pool, user.id()).flatMap(mapped -> mapped != null
                ? Uni.createFrom().item(mapped)
                : ensureCustomer(user, new CustomerRequest(null, null, null))
                        .map(result -> result.customer().path("id").asText()));
    }

    /** The user's Stripe customer id, or null when the user has none (nothing is made). */
    public Uni<String> existingCustomerId(ClerkUser user) {
        return mappings.findCustomerId(pool, user.id());
    }

    public Uni<List<SubscriptionView>> subscriptions(ClerkUser user) {
        return subscriptions.findByClerkUser(pool, user.id());
    }

    /** The mapped customer, else the claim and a new customer, else a wait for whoever holds the claim. */
    private Uni<CustomerResult> findOrCreate(ClerkUser user, CustomerRequest request, Instant deadline) {
        return cache.customerIdOf(user.id(), () -> mappings.findCustomerId(pool, user.id()))
                .flatMap(mapped -> mapped != null ? existing(mapped) : claimOrWait(user, request, deadline));
    }

    private Uni<CustomerResult> claimOrWait(ClerkUser user, CustomerRequest request, Instant deadline) {
        UUID claim = UUID.randomUUID();
        return claims.claim(pool, user.id(), claim, config.claimLease())
                .flatMap(won -> won ? toCompletion(createUnlessMappedMeanwhile(user, request, claim))
                        : awaitClaimHolder(user, request, deadline));
    }

    /**
     * A claim is free again once its holder mapped the customer (one transaction does both), so a request that read
     * "no mapping" just before that commit and claimed just after it must look again before calling Stripe.
     */
    private Uni<CustomerResult> createUnlessMappedMeanwhile(ClerkUser user, CustomerRequest request, UUID claim) {
        return mappings.findCustomerId(pool, user.id()).flatMap(mapped -> mapped == null
                ? createClaimed(user, request, claim)
                : releaseQuietly(user, claim).flatMap(released -> existing(mapped)));
    }

    /** Polls without blocking a thread: the mapping appears, or the claim is free again, or the deadline passes. */
    private Uni<CustomerResult> awaitClaimHolder(ClerkUser user, CustomerRequest request, Instant deadline) {
        if (Instant.now().isAfter(deadline)) {
            return Uni.createFrom().failure(new ApiException(ErrorCode.CONFLICT,
                    "Your Stripe customer is still being created by another request; retry shortly"));
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(config.pollInterval())
                .flatMap(ignored -> findOrCreate(user, request, deadline));
    }

    /** Holding the claim: Stripe, then the mapping; on any failure the claim is given back (best effort). */
    private Uni<CustomerResult> createClaimed(ClerkUser user, CustomerRequest request, UUID claim) {
        long seen = cache.generation();
        return idempotencyKey(user)
                .flatMap(key -> stripe.createCustomer(params(user, request), key))
                .flatMap(customer -> recordMapping(user, claim, customer, seen))
                .onFailure().call(failure -> releaseQuietly(user, claim));
    }

    /**
     * {@code customer-{clerkUserId}}; after the user's customer was deleted, a key naming the deleted one, since
     * Stripe would answer the old key with the deleted customer for 24 hours.
     */
    private Uni<String> idempotencyKey(ClerkUser user) {
        return mappings.findDeletedCustomerId(pool, user.id())
                .map(deleted -> deleted == null ? "customer-" + user.id()
                        : "customer-" + user.id() + "-after-" + deleted);
    }

    /** One short transaction: the mapping (unless another mapping won) and the end of the claim. */
    private Uni<CustomerResult> recordMapping(ClerkUser user, UUID claim, JsonNode customer, long seen) {
        String id = customer.path("id").asText(null);
        if (id == null || id.isBlank()) {
            return Uni.createFrom().failure(new ProviderFailure("Stripe created a customer without id", null));
        }
        return pool.withTransaction(tx -> mappings.deleteMappingToDeletedCustomer(tx, user.id())
                        .flatMap(ignored -> mappings.insert(tx, user.id(), id))
                        .flatMap(inserted -> inserted ? Uni.createFrom().item(id)
                                : mappings.findCustomerId(tx, user.id()))
                        .call(() -> claims.release(tx, user.id(), claim)))
                // Stripe's customer.created webhook may have mapped this very customer while we waited for Stripe's
                // answer: it is still the one we created.
                .flatMap(mapped -> id.equals(mapped) ? Uni.createFrom().item(created(user, id, customer, seen))
                        : existing(mapped != null ? mapped : id));
    }

    private Uni<Void> releaseQuietly(ClerkUser user, UUID claim) {
        return claims.release(pool, user.id(), claim)
                .onFailure().invoke(e -> Log.warnf("Could not release the Stripe customer claim of user %s (%s); it"
                        + " expires after %s", user.id(), e.getMessage(), config.claimLease()))
                .onFailure().recoverWithNull();
    }

    /**
     * Runs {@code work} to its end even when the caller hangs up: a claimer that stopped halfway would leave its claim
     * until the lease ends, and every other request of the user would wait for it.
     */
    private static <T> Uni<T> toCompletion(Uni<T> work) {
        return Uni.createFrom().emitter(caller -> work.subscribe().with(caller::complete, caller::fail));
    }

    private CustomerResult created(ClerkUser user, String customerId, JsonNode customer, long seen) {
        cache.put(customerId, customer, seen);
        cache.putCustomerId(user.id(), customerId, seen);
        registry.counter("stripe.customers.created").increment();
        Log.infof("Stripe customer %s created for user %s", customerId, user.id());
        return new CustomerResult(customer, true);
    }

    /** The mapped customer (the mapping was just read, so it is the user's and not deleted), from the cache if seen. */
    private Uni<CustomerResult> existing(String customerId) {
        return cache.get(customerId, () -> stripe.retrieveCustomer(customerId))
                .map(customer -> new CustomerResult(customer, false));
    }

    private static void requireLeaseLongerThanStripeCall(PaymentConfig config) {
        Duration longest = StripeConnector.longestCall(config.stripe());
        if (config.customers().claimLease().compareTo(longest) <= 0) {
            throw new IllegalStateException("payment.customers.claim-lease (" + config.customers().claimLease()
                    + ") must be longer than the longest Stripe call (" + longest + ": (connect-timeout + read-timeout)"
                    + " x (max-network-retries + 1) + retry pauses)");
        }
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
