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
import app.backbone.data.payments.Currencies;
import app.backbone.data.payments.PaymentSettlements;
import app.backbone.data.payments.PaymentStatus;
import app.backbone.data.payments.Settlement;
import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.customers.CustomerMappingRepository;
import app.backbone.payment.providers.CheckoutRequest;
import app.backbone.payment.providers.PaystackGateway;
import app.backbone.payment.providers.ProviderCheckout;
import app.backbone.payment.providers.ProviderFailure;
import app.backbone.payment.providers.ProviderVerdict;
import app.backbone.payment.providers.StripeGateway;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Payments: initiate (row first, then the provider, honouring Idempotency-Key), verify (ask the provider, apply its
 * word through PaymentSettlements) and the pieces the reconciler shares.
 */
@ApplicationScoped
public class PaymentService {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");
    // What a reference can be (ours, and Paystack's own rule): anything else cannot name a payment, so no query is run.
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9._=-]{1,255}");

    private final Pool pool;
    private final PaymentRepository payments;
    private final IdempotencyRepository idempotency;
    private final CustomerMappingRepository customers;
    private final PaymentSettlements settlements;
    private final StripeGateway stripe;
    private final PaystackGateway paystack;
    private final PaymentConfig config;
    private final ObjectMapper canonicalJson;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public PaymentService(Pool pool, PaymentRepository payments, IdempotencyRepository idempotency,
            CustomerMappingRepository customers, PaymentSettlements settlements, StripeGateway stripe,
            PaystackGateway paystack, PaymentConfig config, ObjectMapper json, MeterRegistry registry) {
        this.pool = pool;
        this.payments = payments;
        this.idempotency = idempotency;
        this.customers = customers;
        this.settlements = settlements;
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
    record NewPayment(String email, int amount, String currency, String provider, Map<String, Object> metadata,
            String clerkUserId) {
    }

    public Uni<Initiated> initiate(InitiateRequest request, Optional<ClerkUser> user, String idempotencyKey) {
        NewPayment payment = validate(request, user.map(ClerkUser::id).orElse(null));
        if (idempotencyKey == null) {
            String reference = References.next();
            return toCompletion(pool.withTransaction(tx -> insert(tx, reference, payment))
                    .flatMap(ignored -> openCheckout(reference, payment, null))
                    .map(result -> new Initiated(result, false)));
        }
        if (!IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.validation("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
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
        return pool.withTransaction(tx -> idempotency.claim(tx, key, fingerprint, reference, config.idempotency().ttl())
                .flatMap(won -> won ? insert(tx, reference, payment).replaceWith(true) : Uni.createFrom().item(false)))
                .flatMap(won -> won
                        ? openCheckout(reference, payment, key).map(result -> new Initiated(result, false))
                        : awaitFirstAnswer(key, fingerprint, payment, deadline));
    }

    private Uni<Initiated> awaitFirstAnswer(String key, String fingerprint, NewPayment payment, Instant deadline) {
        return idempotency.find(pool, key).flatMap(first -> {
            if (first == null) {
                // The first attempt failed and gave the key back: this request makes the payment now.
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
                payment.provider(), payment.clerkUserId(), payment.metadata());
    }

    /** Asks the provider for a checkout for a stored pending payment; a failure closes the payment as failed. */
    private Uni<InitiateResult> openCheckout(String reference, NewPayment payment, String idempotencyKey) {
        Uni<String> customerId = "stripe".equals(payment.provider()) && payment.clerkUserId() != null
                ? customers.findCustomerId(pool, payment.clerkUserId())
                : Uni.createFrom().nullItem();
        return customerId.flatMap(customer -> {
            CheckoutRequest request = new CheckoutRequest(reference, payment.email(),
                    Currencies.toMinorUnits(payment.amount(), payment.currency()), payment.currency(),
                    payment.metadata(), customer, withReference(config.successUrl(), reference),
                    withReference(config.cancelUrl(), reference));
            Uni<ProviderCheckout> checkout = "stripe".equals(payment.provider())
                    ? stripe.createCheckout(request) : paystack.initialize(request);
            return checkout.onFailure(ProviderFailure.class).call(failure -> pool.withTransaction(tx ->
                    settlements.close(tx, reference, PaymentStatus.FAILED, "initiate failed: " + failure.getMessage())
                            .call(() -> idempotencyKey == null ? Uni.createFrom().voidItem()
                                    : idempotency.release(tx, idempotencyKey)))
                    .invoke(() -> registry.counter("payments.initiate.failed", "provider", payment.provider())
                            .increment())
                    .onFailure().invoke(e -> Log.warnf("Could not mark payment %s failed: %s", reference,
                            e.getMessage()))
                    .onFailure().recoverWithNull());
        }).flatMap(checkout -> {
            InitiateResult result = new InitiateResult(reference, checkout.authorizationUrl(), payment.provider());
            return pool.withTransaction(tx -> payments.recordProviderRef(tx, reference, checkout.providerRef())
                    .call(() -> idempotencyKey == null ? Uni.createFrom().voidItem()
                            : idempotency.storeResponse(tx, idempotencyKey, JsonObject.mapFrom(result))))
                    .replaceWith(result);
        }).invoke(result -> {
            registry.counter("payments.initiated", "provider", payment.provider()).increment();
            Log.infof("Payment %s initiated with %s", reference, payment.provider());
        });
    }

    /** The payment as stored, after asking the provider when it is still open. */
    public Uni<PaymentView> verify(String reference) {
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            throw ApiException.notFound("No payment has this reference");
        }
        return payments.find(pool, reference).flatMap(payment -> {
            if (payment == null) {
                return Uni.createFrom().failure(ApiException.notFound("No payment has this reference"));
            }
            if (payment.status().isTerminal() || !canAsk(payment)) {
                return Uni.createFrom().item(payment.view());
            }
            return ask(payment)
                    .flatMap(verdict -> apply(payment, verdict))
                    .flatMap(ignored -> payments.find(pool, reference))
                    .map(Payment::view);
        });
    }

    /** Whether the provider can be asked about this payment (a Stripe payment is looked up by its session id). */
    boolean canAsk(Payment payment) {
        return "paystack".equals(payment.provider()) || payment.providerRef() != null;
    }

    Uni<ProviderVerdict> ask(Payment payment) {
        return "stripe".equals(payment.provider())
                ? stripe.verify(payment.providerRef())
                : paystack.verify(payment.reference());
    }

    /** Applies a provider's word to the payment, the one way every path does it. */
    Uni<Settlement> apply(Payment payment, ProviderVerdict verdict) {
        String reference = payment.reference();
        Uni<Settlement> applied = switch (verdict.kind()) {
            case PAID -> pool.withTransaction(tx -> settlements.markPaid(tx, reference, verdict.paidMinorAmount(),
                    verdict.currency()));
            case FAILED -> pool.withTransaction(tx -> settlements.close(tx, reference, PaymentStatus.FAILED,
                    payment.provider() + " reported " + verdict.detail()));
            case EXPIRED -> pool.withTransaction(tx -> settlements.close(tx, reference, PaymentStatus.CANCELLED,
                    payment.provider() + " reported " + verdict.detail()));
            case PROCESSING -> pool.withTransaction(tx -> settlements.markProcessing(tx, reference));
            case ABANDONED, OPEN -> Uni.createFrom().nullItem();
        };
        return applied.invoke(settlement -> {
            if (settlement != null) {
                Log.infof("Payment %s: %s said %s, %s", reference, payment.provider(), verdict.kind(),
                        settlement.outcome());
            }
        });
    }

    /** Cancels a payment the payer abandoned long ago (Paystack never expires it by itself). */
    Uni<Settlement> cancelAbandoned(Payment payment) {
        return pool.withTransaction(tx -> settlements.close(tx, payment.reference(), PaymentStatus.CANCELLED,
                "abandoned at " + payment.provider() + " for longer than " + config.paystack().abandonAfter()));
    }

    private NewPayment validate(InitiateRequest request, String clerkUserId) {
        List<FieldError> errors = new ArrayList<>();
        BigDecimal amount = request.amount();
        if (amount.compareTo(BigDecimal.valueOf(config.maxAmount())) > 0) {
            errors.add(new FieldError("amount", "must be at most " + config.maxAmount()));
        }
        String currency = request.currency() == null ? config.currency().toUpperCase(Locale.ROOT)
                : request.currency().toUpperCase(Locale.ROOT);
        TreeSet<String> allowed = new TreeSet<>();
        config.currencies().forEach(c -> allowed.add(c.trim().toUpperCase(Locale.ROOT)));
        if (!allowed.contains(currency)) {
            errors.add(new FieldError("currency", "must be one of " + String.join(", ", allowed)));
        }
        String provider = request.provider() == null ? config.provider().toLowerCase(Locale.ROOT)
                : request.provider().toLowerCase(Locale.ROOT);
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (request.metadata() != null) {
            for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
                String key = entry.getKey();
                if (key.isBlank() || key.length() > 40 || key.contains("[") || key.contains("]")) {
                    errors.add(new FieldError("metadata." + key, "keys must be 1 to 40 characters without brackets"));
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
        canonical.put("provider", payment.provider());
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
