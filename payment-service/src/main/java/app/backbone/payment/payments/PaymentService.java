package app.backbone.payment.payments;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.FieldError;
import app.backbone.common.errors.DependencyFailures;
import app.backbone.data.customers.CustomerMappings;
import app.backbone.data.payments.Currencies;
import app.backbone.data.payments.PaymentSettlements;
import app.backbone.data.payments.PaymentSignal;
import app.backbone.data.payments.Provider;
import app.backbone.data.payments.ProviderReport;
import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.CheckoutRequest;
import app.backbone.payment.providers.PaystackConnector;
import app.backbone.payment.providers.StripeConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Initiate: the payment row first, then the provider, honouring Idempotency-Key. Whatever fails after the key is
 * claimed, the key is given back and the row closed {@code failed}; where even that cannot be written (the database
 * is down), a retry takes the key over once it has been in flight for longer than any initiate can take.
 */
@ApplicationScoped
public class PaymentService {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    // Ours ("reference" names the payment a provider's word settles) and Paystack's control keys ("cancel_action"
    // redirects the payer, the custom ones change its checkout): a client may set none of them.
    private static final Set<String> RESERVED_METADATA = Set.of("reference", "cancel_action", "custom_fields",
            "custom_filters", "referrer");

    private final Pool pool;
    private final PaymentRepository payments;
    private final IdempotencyRepository idempotency;
    private final CustomerMappings customers;
    private final PaymentSettlements settlements;
    private final CataloguePricing pricing;
    private final StripeConnector stripe;
    private final PaystackConnector paystack;
    private final PaymentConfig config;
    private final ObjectMapper canonicalJson;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public PaymentService(Pool pool, PaymentRepository payments, IdempotencyRepository idempotency,
            CustomerMappings customers, PaymentSettlements settlements, CataloguePricing pricing,
            StripeConnector stripe,
            PaystackConnector paystack, PaymentConfig config, ObjectMapper json, MeterRegistry registry) {
        this.pool = pool;
        this.payments = payments;
        this.idempotency = idempotency;
        this.customers = customers;
        this.settlements = settlements;
        this.pricing = pricing;
        this.stripe = stripe;
        this.paystack = paystack;
        this.config = config;
        this.json = json;
        this.canonicalJson = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        this.registry = registry;
    }

    /** The answer of initiate, and whether it is the replay of an earlier request with the same Idempotency-Key. */
    public record Initiated(InitiateResult result, boolean replayed) {
    }

    /** A validated initiate request with every default applied. */
    record NewPayment(String email, int amount, String currency, Provider provider, Map<String, Object> metadata,
            String clerkUserId) {
    }

    public Uni<Initiated> initiate(InitiateRequest request, Optional<ClerkUser> user, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.validation("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        return pricing.price(request).flatMap(priced -> initiate(validate(priced, user.map(ClerkUser::id)
                .orElse(null)), idempotencyKey));
    }

    private Uni<Initiated> initiate(NewPayment payment, String idempotencyKey) {
        if (idempotencyKey == null) {
            String reference = References.next();
            return toCompletion(pool.withTransaction(tx -> insert(tx, reference, payment))
                    .flatMap(ignored -> openCheckout(reference, payment, null))
                    .map(result -> new Initiated(result, false)));
        }
        return toCompletion(claimOrReplay(idempotencyKey, fingerprint(payment), payment,
                Instant.now().plus(config.idempotency().retryWait())));
    }

    /**
     * Runs {@code work} to its end even when the caller stops waiting (the client hung up and the HTTP layer cancels
     * its subscription): once a payment row is written, the provider's answer is always recorded, or the row closed
     * as failed, instead of the row staying pending without a provider reference.
     */
    private static <T> Uni<T> toCompletion(Uni<T> work) {
        return Uni.createFrom().emitter(caller -> work.subscribe().with(caller::complete, caller::fail));
    }

    /** Wins the key and makes the payment, or answers what the request that won it answered. */
    private Uni<Initiated> claimOrReplay(String key, String fingerprint, NewPayment payment, Instant deadline) {
        String reference = References.next();
        Duration inFlightLimit = config.idempotency().inFlightLimit();
        return pool.withTransaction(tx -> idempotency.takeOverStranded(tx, key, inFlightLimit)
                .call(stranded -> stranded == null ? Uni.createFrom().voidItem()
                        : settlements.apply(tx, stranded, failed(payment, "its Idempotency-Key was taken over by a "
                                + "retry after its first request died")))
                .flatMap(ignored -> idempotency.claim(tx, key, fingerprint, reference, config.idempotency().ttl()))
                .flatMap(won -> won ? insert(tx, reference, payment).replaceWith(true) : Uni.createFrom().item(false)))
                .flatMap(won -> won
                        ? openCheckout(reference, payment, key).map(result -> new Initiated(result, false))
                        : awaitFirstAnswer(key, fingerprint, payment, deadline));
    }

    private Uni<Initiated> awaitFirstAnswer(String key, String fingerprint, NewPayment payment, Instant deadline) {
        return idempotency.find(pool, key, config.idempotency().inFlightLimit()).flatMap(first -> {
            if (first == null || first.stranded()) {
                // The first attempt gave the key back, or died holding it: this request makes the payment now.
                return claimOrReplay(key, fingerprint, payment, deadline);
            }
            if (!first.fingerprint().equals(fingerprint)) {
                return Uni.createFrom().failure(new ApiException(ErrorCode.CONFLICT,
                        "This Idempotency-Key was already used with a different request"));
            }
            if (first.response() != null) {
                registry.counter("payments.initiate.replayed").increment();
                return Uni.createFrom().item(new Initiated(first.response().mapTo(InitiateResult.class), true));
            }
            if (Instant.now().isAfter(deadline)) {
                return Uni.createFrom().failure(new ApiException(ErrorCode.CONFLICT,
                        "A request with this Idempotency-Key is still being processed; retry shortly"));
            }
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100))
                    .flatMap(ignored -> awaitFirstAnswer(key, fingerprint, payment, deadline));
        });
    }

    private Uni<Void> insert(io.vertx.mutiny.sqlclient.SqlClient tx, String reference, NewPayment payment) {
        return payments.insertPending(tx, reference, payment.email(), payment.amount(), payment.currency(),
                payment.provider().id(), payment.clerkUserId(), payment.metadata());
    }

    /**
     * Asks the provider for a checkout for a stored pending payment and records its answer. Any failure on the way
     * (the provider, the database, anything) closes the payment as failed and gives the Idempotency-Key back, so a
     * retry with it starts afresh.
     */
    private Uni<InitiateResult> openCheckout(String reference, NewPayment payment, String idempotencyKey) {
        Uni<String> customerId = payment.provider() == Provider.STRIPE && payment.clerkUserId() != null
                ? customers.findCustomerId(pool, payment.clerkUserId())
                : Uni.createFrom().nullItem();
        return customerId.flatMap(customer -> {
            CheckoutRequest request = new CheckoutRequest(reference, payment.email(),
                    Currencies.toMinorUnits(payment.amount(), payment.currency()), payment.currency(),
                    payment.metadata(), customer, withReference(config.successUrl(), reference),
                    withReference(config.cancelUrl(), reference));
            return payment.provider() == Provider.STRIPE ? stripe.createCheckout(request)
                    : paystack.initialize(request);
        }).flatMap(checkout -> {
            InitiateResult result = new InitiateResult(reference, checkout.authorizationUrl(), payment.provider().id());
            return pool.withTransaction(tx -> payments.recordProviderRef(tx, reference, checkout.providerRef())
                    .call(() -> idempotencyKey == null ? Uni.createFrom().voidItem()
                            : idempotency.storeResponse(tx, idempotencyKey, JsonObject.mapFrom(result))))
                    .replaceWith(result);
        }).onFailure().call(failure -> abandon(reference, payment, idempotencyKey, failure)).invoke(result -> {
            registry.counter("payments.initiated", "provider", payment.provider().id()).increment();
            Log.infof("Payment %s initiated with %s", reference, payment.provider().id());
        });
    }

    /** Closes a payment whose initiate failed and gives its key back; if the database is down too, a retry will. */
    private Uni<Void> abandon(String reference, NewPayment payment, String idempotencyKey, Throwable failure) {
        return pool.withTransaction(tx -> settlements.apply(tx, reference, failed(payment,
                        "initiate failed: " + failure.getMessage()))
                .call(() -> idempotencyKey == null ? Uni.createFrom().voidItem()
                        : idempotency.release(tx, idempotencyKey)))
                .invoke(() -> registry.counter("payments.initiate.failed", "provider", payment.provider().id())
                        .increment())
                .onFailure().invoke(e -> Log.warnf("Could not mark payment %s failed: %s", reference,
                        DependencyFailures.describe(e)))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private static ProviderReport failed(NewPayment payment, String note) {
        return ProviderReport.of(payment.provider(), PaymentSignal.FAILED, note);
    }

    private NewPayment validate(InitiateRequest request, String clerkUserId) {
        List<FieldError> errors = new ArrayList<>();
        BigDecimal amount = request.amount();
        String currency = request.currency() == null ? config.currency().toUpperCase(Locale.ROOT)
                : request.currency().toUpperCase(Locale.ROOT);
        // A three-decimal currency reaches Stripe's limit on minor units sooner than the configured maximum.
        long largest = Math.min(config.maxAmount(), Currencies.largestMajorAmount(currency));
        if (amount == null) {
            errors.add(new FieldError("amount", "is required"));
        } else if (amount.compareTo(BigDecimal.valueOf(largest)) > 0) {
            errors.add(new FieldError("amount", "must be at most " + largest));
        }
        TreeSet<String> allowed = new TreeSet<>();
        config.currencies().forEach(c -> allowed.add(c.trim().toUpperCase(Locale.ROOT)));
        if (!allowed.contains(currency)) {
            errors.add(new FieldError("currency", "must be one of " + String.join(", ", allowed)));
        }
        Provider provider = Provider.fromId(request.provider() == null ? config.provider() : request.provider());
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (request.metadata() != null) {
            for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
                String key = entry.getKey();
                if (key.isBlank() || key.length() > 40 || key.contains("[") || key.contains("]")) {
                    errors.add(new FieldError("metadata." + key, "keys must be 1 to 40 characters without brackets"));
                } else if (RESERVED_METADATA.contains(key.toLowerCase(Locale.ROOT))) {
                    errors.add(new FieldError("metadata." + key, "is reserved; choose another key"));
                } else if (serializedLength(entry.getValue()) > 500) {
                    errors.add(new FieldError("metadata." + key, "must be at most 500 characters"));
                } else if (entry.getValue() != null) {
                    metadata.put(key, entry.getValue());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "The request has invalid fields", errors, null);
        }
        return new NewPayment(request.email().strip(), amount.intValueExact(), currency, provider, metadata,
                clerkUserId);
    }

    private int serializedLength(Object value) {
        if (value instanceof String s) {
            return s.length();
        }
        try {
            return json.writeValueAsString(value).length();
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    private String fingerprint(NewPayment payment) {
        Map<String, Object> canonical = new TreeMap<>();
        canonical.put("email", payment.email().toLowerCase(Locale.ROOT));
        canonical.put("amount", payment.amount());
        canonical.put("currency", payment.currency());
        canonical.put("provider", payment.provider().id());
        canonical.put("metadata", payment.metadata());
        canonical.put("user", payment.clerkUserId());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalJson.writeValueAsBytes(canonical));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String withReference(String url, String reference) {
        return url + (url.contains("?") ? "&" : "?") + "reference=" + URLEncoder.encode(reference, StandardCharsets.UTF_8);
    }
}
