package app.backbone.payment.subscriptions;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.stripe.param.checkout.SessionCreateParams;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.errors.DependencyFailures;
import app.backbone.data.subscriptions.Subscriptions;
import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.billing.ReturnUrls;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.customers.CustomerService;
import app.backbone.payment.providers.StripeConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * {@code POST /stripe/checkout}: a Stripe Checkout session in subscription mode for the caller's customer (made first
 * when the caller has none). With an {@code Idempotency-Key} the first request claims the key (one autocommit
 * statement, per user) and opens the session; concurrent and later requests with the key get that session, with no
 * second Stripe call. A failed attempt gives the key back; one whose request died is taken over once its claim ends
 * ({@link #claimLease}). Without a key, identical requests of a user within
 * {@code payment.subscriptions.same-checkout-window} of the session's opening share it the same way (a double-click).
 * A claim still waiting for Stripe is never taken over, however slow Stripe is: a second request waits for its answer
 * (or answers 409 after {@code payment.idempotency.retry-wait}), never opening a second session.
 */
@ApplicationScoped
public class SubscriptionCheckouts {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    /** The key of a request sent without Idempotency-Key: the prefix, then the request's fingerprint. */
    static final String SAME_CHECKOUT_KEY_PREFIX = "same-checkout:";
    /** Room for the database statements around the Stripe calls of one checkout. */
    private static final Duration DATABASE_ALLOWANCE = Duration.ofSeconds(10);

    private final Pool pool;
    private final CheckoutClaimRepository claims;
    private final CustomerService customers;
    private final SubscriptionPrices prices;
    private final ReturnUrls returnUrls;
    private final StripeConnector stripe;
    private final PaymentConfig.Idempotency idempotency;
    private final Duration sameCheckoutWindow;
    private final Duration claimLease;
    private final int maxTrialDays;
    private final Subscriptions subscriptions;
    private final ObjectMapper canonicalJson;
    private final MeterRegistry registry;

    public SubscriptionCheckouts(Pool pool, CheckoutClaimRepository claims, CustomerService customers,
            SubscriptionPrices prices, ReturnUrls returnUrls, StripeConnector stripe, PaymentConfig config,
            Subscriptions subscriptions, ObjectMapper json, MeterRegistry registry) {
        this.pool = pool;
        this.claims = claims;
        this.customers = customers;
        this.prices = prices;
        this.returnUrls = returnUrls;
        this.stripe = stripe;
        this.idempotency = config.idempotency();
        this.sameCheckoutWindow = config.subscriptions().sameCheckoutWindow();
        this.claimLease = claimLease(config);
        this.maxTrialDays = config.subscriptions().maxTrialDays();
        this.subscriptions = subscriptions;
        this.canonicalJson = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.registry = registry;
    }

    /**
     * How long a claim lasts without an answer before another request may take it over (its claimer died): the
     * in-flight limit, but never less than the longest a checkout can take while its claimer lives, or a second
     * request could open a second session while Stripe is still answering the first. A checkout is the caller's
     * customer (a Stripe call, or a wait for another request's, up to {@code payment.customers.claim-wait}), then the
     * session (a Stripe call); each Stripe call may take {@link StripeConnector#longestCall}, retries included.
     */
    static Duration claimLease(PaymentConfig config) {
        Duration stripeCall = StripeConnector.longestCall(config.stripe());
        Duration customer = stripeCall.compareTo(config.customers().claimWait()) >= 0 ? stripeCall
                : config.customers().claimWait();
        Duration longestCheckout = customer.plus(stripeCall).plus(DATABASE_ALLOWANCE);
        Duration inFlightLimit = config.idempotency().inFlightLimit();
        return inFlightLimit.compareTo(longestCheckout) >= 0 ? inFlightLimit : longestCheckout;
    }

    /** The checkout, and whether it is the replay of an earlier request with the same Idempotency-Key. */
    public record Started(CheckoutResult result, boolean replayed) {
    }

    /** A validated checkout request with every default applied. */
    record NewCheckout(String priceId, long quantity, String successUrl, String cancelUrl, Long trialDays) {
    }

    public Uni<Started> start(ClerkUser user, SubscriptionCheckoutRequest request, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.validation("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        NewCheckout checkout = new NewCheckout(request.priceId(),
                request.quantity() == null ? 1 : request.quantity().longValueExact(),
                returnUrls.checkoutSuccess(request.successUrl()), returnUrls.checkoutCancel(request.cancelUrl()),
                request.trialDays() == null ? null : request.trialDays().longValueExact());
        String fingerprint = fingerprint(checkout);
        Instant deadline = Instant.now().plus(idempotency.retryWait());
        Uni<Void> allowed = prices.require(checkout.priceId()).replaceWithVoid().call(() -> trialAllowed(user, checkout));
        if (idempotencyKey == null && sameCheckoutWindow.isZero()) {
            return allowed.flatMap(ok -> toCompletion(
                    open(user, checkout, "subscription-checkout-" + UUID.randomUUID())).map(r -> new Started(r, false)));
        }
        // No key: the request itself is the key for a short while, so a double-click (two identical requests) opens one
        // session. Past the window an identical request is a new checkout.
        String key = idempotencyKey != null ? idempotencyKey : SAME_CHECKOUT_KEY_PREFIX + fingerprint;
        Duration keyLifetime = idempotencyKey != null ? idempotency.ttl() : sameCheckoutWindow;
        return allowed.flatMap(ok -> toCompletion(
                claimOrReplay(user, key, fingerprint, checkout, deadline, keyLifetime)));
    }

    /** A trial is the operator's to bound, and only for a user who never had a subscription (of any status). */
    private Uni<Void> trialAllowed(ClerkUser user, NewCheckout checkout) {
        if (checkout.trialDays() == null) {
            return Uni.createFrom().voidItem();
        }
        if (checkout.trialDays() > maxTrialDays) {
            return Uni.createFrom().failure(ApiException.validation("trialDays", maxTrialDays == 0
                    ? "is not offered" : "must be at most " + maxTrialDays + " days"));
        }
        return subscriptions.findByClerkUser(pool, user.id()).invoke(existing -> {
            if (!existing.isEmpty()) {
                throw ApiException.validation("trialDays", "is only for a first subscription");
            }
        }).replaceWithVoid();
    }

    /** Forgets keys older than {@code payment.idempotency.ttl}; a claim of an expired key replaces it anyway. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> forgetExpiredKeys() {
        return claims.deleteExpired(pool, idempotency.ttl())
                .invoke(deleted -> Log.debugf("%d expired subscription checkout keys forgotten", deleted))
                .onFailure().invoke(e -> Log.warnf("Could not forget expired checkout keys: %s",
                        DependencyFailures.describe(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Wins the key and opens the session, or answers what the request that won it answered. */
    private Uni<Started> claimOrReplay(ClerkUser user, String key, String fingerprint, NewCheckout checkout,
            Instant deadline, Duration keyLifetime) {
        UUID claim = UUID.randomUUID();
        return claims.claim(pool, user.id(), key, fingerprint, claim, claimLease, keyLifetime)
                .flatMap(won -> won ? openClaimed(user, key, claim, checkout)
                        : awaitFirstAnswer(user, key, fingerprint, checkout, deadline, keyLifetime));
    }

    private Uni<Started> openClaimed(ClerkUser user, String key, UUID claim, NewCheckout checkout) {
        // The claim's own Stripe key: stripe-java's retries of this attempt open one session, and an attempt after
        // a failed one is a new attempt rather than Stripe's replay of the failure.
        return open(user, checkout, "subscription-checkout-" + claim)
                .call(result -> claims.recordSession(pool, user.id(), key, claim, result))
                .map(result -> new Started(result, false))
                .onFailure().call(failure -> claims.release(pool, user.id(), key, claim)
                        .onFailure().invoke(e -> Log.warnf("Could not give back checkout key of user %s: %s; a retry"
                                + " takes it over after %s", user.id(), DependencyFailures.describe(e),
                                claimLease))
                        .onFailure().recoverWithNull());
    }

    private Uni<Started> awaitFirstAnswer(ClerkUser user, String key, String fingerprint, NewCheckout checkout,
            Instant deadline, Duration keyLifetime) {
        return claims.find(pool, user.id(), key, keyLifetime).flatMap(first -> {
            if (first == null || first.takeable()) {
                // The first attempt gave the key back, or died holding it: this request opens the session now.
                return claimOrReplay(user, key, fingerprint, checkout, deadline, keyLifetime);
            }
            if (!first.fingerprint().equals(fingerprint)) {
                return Uni.createFrom().failure(new ApiException(ErrorCode.CONFLICT,
                        "This Idempotency-Key was already used with a different checkout"));
            }
            if (first.sessionId() != null) {
                registry.counter("subscriptions.checkout.replayed").increment();
                return Uni.createFrom().item(new Started(new CheckoutResult(first.url(), first.sessionId()), true));
            }
            if (Instant.now().isAfter(deadline)) {
                return Uni.createFrom().failure(new ApiException(ErrorCode.CONFLICT,
                        "A checkout with this Idempotency-Key is still being opened; retry shortly"));
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100))
                    .flatMap(ignored -> awaitFirstAnswer(user, key, fingerprint, checkout, deadline, keyLifetime));
        });
    }

    /** The caller's customer (made first if there is none), then Stripe's session. */
    private Uni<CheckoutResult> open(ClerkUser user, NewCheckout checkout, String stripeKey) {
        return customers.customerId(user)
                .flatMap(customer -> stripe.createSubscriptionCheckout(params(user, customer, checkout), stripeKey))
                .map(session -> {
                    registry.counter("subscriptions.checkout.started").increment();
                    Log.infof("Subscription checkout %s opened for user %s (price %s)", session.providerRef(),
                            user.id(), checkout.priceId());
                    return new CheckoutResult(session.authorizationUrl(), session.providerRef());
                });
    }

    private static SessionCreateParams params(ClerkUser user, String customerId, NewCheckout checkout) {
        SessionCreateParams.SubscriptionData.Builder subscription = SessionCreateParams.SubscriptionData.builder()
                .putMetadata("clerk_user_id", user.id());
        if (checkout.trialDays() != null) {
            subscription.setTrialPeriodDays(checkout.trialDays());
        }
        return SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                .setCustomer(customerId)
                .setSuccessUrl(checkout.successUrl())
                .setCancelUrl(checkout.cancelUrl())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setPrice(checkout.priceId())
                        .setQuantity(checkout.quantity())
                        .build())
                .setSubscriptionData(subscription.build())
                .putMetadata("clerk_user_id", user.id())
                .build();
    }

    /**
     * Runs {@code work} to its end even when the caller hangs up: a claimer that stopped halfway would leave its key
     * claimed until the in-flight limit, and every retry with it would wait.
     */
    private static <T> Uni<T> toCompletion(Uni<T> work) {
        return Uni.createFrom().emitter(caller -> work.subscribe().with(caller::complete, caller::fail));
    }

    private String fingerprint(NewCheckout checkout) {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("priceId", checkout.priceId());
        canonical.put("quantity", checkout.quantity());
        canonical.put("successUrl", checkout.successUrl());
        canonical.put("cancelUrl", checkout.cancelUrl());
        canonical.put("trialDays", checkout.trialDays());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson.writeValueAsBytes(canonical));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
