package app.backbone.payment.providers;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.StripeObjectInterface;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerPaymentMethodListParams;
import com.stripe.param.InvoiceListParams;
import com.stripe.param.PriceListParams;
import com.stripe.param.PriceRetrieveParams;
import com.stripe.param.ProductListParams;
import com.stripe.param.ProductRetrieveParams;
import com.stripe.param.SubscriptionCancelParams;
import com.stripe.param.SubscriptionUpdateParams;
import com.stripe.param.checkout.SessionCreateParams;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.ProviderVerdict.Kind;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Stripe through stripe-java. Every call is blocking, so it runs on a worker thread; it has connect and read timeouts
 * and stripe-java's own retries, which resend the same idempotency key. Answers are handed on as Stripe's raw JSON so
 * clients see Stripe's objects unchanged, whatever API version the account has.
 */
@ApplicationScoped
public class StripeConnector {

    /** stripe-java waits at most this long between two retries of one call (its HttpClient's maxNetworkRetriesDelay). */
    private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(5);

    private final StripeClient client;
    private final PaymentConfig.Stripe config;
    private final ObjectMapper json;

    public StripeConnector(PaymentConfig config, ObjectMapper json) {
        this.config = config.stripe();
        this.json = json;
        this.client = StripeClient.builder()
                .setApiKey(this.config.secretKey())
                .setApiBase(stripBase(this.config.apiBase()))
                .setConnectTimeout((int) this.config.connectTimeout().toMillis())
                .setReadTimeout((int) this.config.readTimeout().toMillis())
                .setMaxNetworkRetries(this.config.maxNetworkRetries())
                .build();
    }

    /**
     * The longest one Stripe call can take with these settings, retries included: (connect-timeout + read-timeout) x
     * (max-network-retries + 1), plus stripe-java's pauses between the attempts. A claim that must outlive a call in
     * flight lasts longer than this.
     */
    public static Duration longestCall(PaymentConfig.Stripe stripe) {
        int attempts = stripe.maxNetworkRetries() + 1;
        return stripe.connectTimeout().plus(stripe.readTimeout()).multipliedBy(attempts)
                .plus(MAX_RETRY_PAUSE.multipliedBy(stripe.maxNetworkRetries()));
    }

    /** Opens a Checkout Session for one payment; the idempotency key is derived from the payment's reference. */
    public Uni<ProviderCheckout> createCheckout(CheckoutRequest request) {
        SessionCreateParams.Builder params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(request.reference())
                .setSuccessUrl(request.successUrl())
                .setCancelUrl(request.cancelUrl())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata("reference", request.reference()).build())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                                .setUnitAmount(request.minorAmount())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(config.productName()).build())
                                .build())
                        .build());
        for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
            params.putMetadata(entry.getKey(), asText(entry.getValue()));
        }
        // Last, so it is ours whatever the client sent (validation refuses the key too).
        params.putMetadata("reference", request.reference());
        if (request.stripeCustomerId() != null) {
            params.setCustomer(request.stripeCustomerId());
        } else {
            params.setCustomerEmail(request.email());
        }
        RequestOptions options = RequestOptions.builder().setIdempotencyKey("checkout-" + request.reference()).build();
        return call("create a checkout session", () -> {
            Session session = client.v1().checkout().sessions().create(params.build(), options);
            if (session.getId() == null || session.getUrl() == null) {
                throw new ProviderFailure("Stripe did not open a checkout session", null);
            }
            return new ProviderCheckout(session.getId(), session.getUrl());
        });
    }

    /** What Stripe says about a Checkout Session. */
    public Uni<ProviderVerdict> verify(String sessionId) {
        return call("retrieve a checkout session", () -> {
            Session session = client.v1().checkout().sessions().retrieve(sessionId);
            return verdict(session).withPaymentId(session.getPaymentIntent());
        });
    }

    private static ProviderVerdict verdict(Session session) {
        String status = String.valueOf(session.getStatus());
        String paymentStatus = String.valueOf(session.getPaymentStatus());
        if ("expired".equals(status)) {
            return ProviderVerdict.of(Kind.EXPIRED, "checkout session expired");
        }
        if ("complete".equals(status) && ("paid".equals(paymentStatus)
                || "no_payment_required".equals(paymentStatus))) {
            if (session.getAmountTotal() == null || session.getCurrency() == null) {
                throw new ProviderFailure("Stripe reported a payment without amount or currency", null);
            }
            return new ProviderVerdict(Kind.PAID, session.getAmountTotal(), session.getCurrency(), paymentStatus,
                    null);
        }
        if ("complete".equals(status)) {
            return ProviderVerdict.of(Kind.PROCESSING, "complete/" + paymentStatus);
        }
        return ProviderVerdict.of(Kind.OPEN, status + "/" + paymentStatus);
    }

    public Uni<CatalogueAnswer> listProducts(ProductListParams params) {
        return catalogueCall("list products", () -> client.v1().products().list(params));
    }

    public Uni<CatalogueAnswer> retrieveProduct(String id, ProductRetrieveParams params) {
        return catalogueCall("retrieve a product", () -> client.v1().products().retrieve(id, params));
    }

    public Uni<CatalogueAnswer> listPrices(PriceListParams params) {
        return catalogueCall("list prices", () -> client.v1().prices().list(params));
    }

    public Uni<CatalogueAnswer> retrievePrice(String id, PriceRetrieveParams params) {
        return catalogueCall("retrieve a price", () -> client.v1().prices().retrieve(id, params));
    }

    /** Creates a customer; {@code idempotencyKey} makes repeated attempts for one user create one customer. */
    public Uni<JsonNode> createCustomer(CustomerCreateParams params, String idempotencyKey) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        return call("create a customer", () -> raw(client.v1().customers().create(params, options)));
    }

    public Uni<JsonNode> retrieveCustomer(String id) {
        return call("retrieve a customer", () -> raw(client.v1().customers().retrieve(id)));
    }

    /**
     * Opens a Checkout Session in subscription mode; {@code idempotencyKey} makes stripe-java's retries of this one
     * attempt open one session.
     */
    public Uni<ProviderCheckout> createSubscriptionCheckout(SessionCreateParams params, String idempotencyKey) {
        RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
        return call("create a subscription checkout session", () -> {
            Session session = client.v1().checkout().sessions().create(params, options);
            if (session.getId() == null || session.getUrl() == null) {
                throw new ProviderFailure("Stripe did not open a checkout session", null);
            }
            return new ProviderCheckout(session.getId(), session.getUrl());
        });
    }

    /** The subscription as Stripe has it now; empty when Stripe has no such subscription. */
    public Uni<Optional<JsonNode>> retrieveSubscription(String id) {
        return lookup("retrieve a subscription", () -> client.v1().subscriptions().retrieve(id));
    }

    public Uni<JsonNode> updateSubscription(String id, SubscriptionUpdateParams params) {
        return refusable(call("update a subscription", () -> raw(client.v1().subscriptions().update(id, params))));
    }

    /** Ends the subscription now (Stripe's cancel); the answer is the canceled subscription. */
    public Uni<JsonNode> cancelSubscription(String id, SubscriptionCancelParams params) {
        return refusable(call("cancel a subscription", () -> raw(client.v1().subscriptions().cancel(id, params))));
    }

    /**
     * Stripe refusing a change of an existing subscription (HTTP 400: it ended a moment ago, before its webhook reached
     * us, or the new price does not fit it) is a conflict with the subscription's state, not a provider failure.
     */
    private static Uni<JsonNode> refusable(Uni<JsonNode> change) {
        return change.onFailure(e -> e instanceof ProviderFailure && e.getCause() instanceof InvalidRequestException invalid
                        && Integer.valueOf(400).equals(invalid.getStatusCode()))
                .transform(e -> new ApiException(ErrorCode.CONFLICT,
                        "Stripe refused this change: the subscription may have just ended, or the price does not fit it"));
    }

    /** A billing portal session for the customer: Stripe's hosted page for cards, invoices and the plan. */
    public Uni<JsonNode> createPortalSession(com.stripe.param.billingportal.SessionCreateParams params) {
        return call("create a billing portal session", () -> raw(client.v1().billingPortal().sessions().create(params)));
    }

    public Uni<CatalogueAnswer> listInvoices(InvoiceListParams params) {
        return catalogueCall("list invoices", () -> client.v1().invoices().list(params));
    }

    /** The invoice; empty when Stripe has no such invoice. */
    public Uni<Optional<JsonNode>> retrieveInvoice(String id) {
        return lookup("retrieve an invoice", () -> client.v1().invoices().retrieve(id));
    }

    public Uni<JsonNode> listPaymentMethods(String customerId, CustomerPaymentMethodListParams params) {
        return call("list payment methods",
                () -> raw(client.v1().customers().paymentMethods().list(customerId, params)));
    }

    /** A catalogue answer: the raw JSON, or that Stripe has no such object. */
    public record CatalogueAnswer(JsonNode body, boolean missing, String missingParam) {
    }

    private Uni<CatalogueAnswer> catalogueCall(String what, StripeCall<StripeObjectInterface> call) {
        return call(what, () -> {
            try {
                return new CatalogueAnswer(raw(call.run()), false, null);
            } catch (InvalidRequestException e) {
                if ("resource_missing".equals(e.getCode()) || e.getStatusCode() != null && e.getStatusCode() == 404) {
                    return new CatalogueAnswer(null, true, e.getParam());
                }
                throw e;
            }
        });
    }

    private Uni<Optional<JsonNode>> lookup(String what, StripeCall<StripeObjectInterface> call) {
        return catalogueCall(what, call)
                .map(answer -> answer.missing() ? Optional.<JsonNode> empty() : Optional.of(answer.body()));
    }

    private <T> Uni<T> call(String what, StripeCall<T> call) {
        return Uni.createFrom().<T> item(() -> {
            try {
                return call.run();
            } catch (StripeException e) {
                Log.warnf("Stripe could not %s: %s (HTTP %s, code %s, request %s)", what, e.getClass().getSimpleName(),
                        e.getStatusCode(), e.getCode(), e.getRequestId());
                throw new ProviderFailure("The payment provider (Stripe) failed; try again shortly", e);
            } catch (ApiException e) {
                throw e;
            } catch (RuntimeException e) {
                Log.warnf("Stripe could not %s: %s", what, e.getClass().getSimpleName());
                throw new ProviderFailure("The payment provider (Stripe) answered something unexpected", e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private JsonNode raw(StripeObjectInterface object) {
        if (object.getLastResponse() == null) {
            throw new ProviderFailure("Stripe answered without a body", null);
        }
        try {
            return json.readTree(object.getLastResponse().body());
        } catch (JsonProcessingException e) {
            throw new ProviderFailure("Stripe answered something that is not JSON", e);
        }
    }

    private String asText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    private static String stripBase(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @FunctionalInterface
    interface StripeCall<T> {
        T run() throws StripeException;
    }
}
