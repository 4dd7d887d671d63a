package app.backbone.payment.providers;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import app.backbone.payment.config.PaymentConfig;
import app.backbone.payment.providers.ProviderVerdict.Kind;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;

/**
 * Paystack through the Quarkus REST client: {@code transaction/initialize} and {@code transaction/verify}. Amounts go
 * in subunits. Paystack refuses a reference it has seen, which makes a repeated initialize harmless.
 */
@ApplicationScoped
public class PaystackConnector {

    private final PaystackApi api;
    private final String authorization;
    private final Duration callTimeout;
    private final ObjectMapper json;

    public PaystackConnector(PaymentConfig config, ObjectMapper json) {
        PaymentConfig.Paystack paystack = config.paystack();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(paystack.apiBase()))
                .connectTimeout(paystack.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(paystack.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(PaystackApi.class);
        this.authorization = "Bearer " + paystack.secretKey();
        this.callTimeout = paystack.connectTimeout().plus(paystack.readTimeout());
        this.json = json;
    }

    public Uni<ProviderCheckout> initialize(CheckoutRequest request) {
        ObjectNode body = json.createObjectNode()
                .put("email", request.email())
                .put("amount", request.minorAmount())
                .put("reference", request.reference())
                .put("currency", request.currency())
                .put("callback_url", request.successUrl());
        ObjectNode metadata = body.putObject("metadata");
        for (Map.Entry<String, Object> entry : request.metadata().entrySet()) {
            metadata.set(entry.getKey(), json.valueToTree(entry.getValue()));
        }
        // Last, so it is ours whatever the client sent (validation refuses the key, and Paystack's control keys, too).
        metadata.put("reference", request.reference());
        return guard("initialize", api.initialize(authorization, body)).map(answer -> {
            JsonNode data = answer.path("data");
            String url = data.path("authorization_url").asText(null);
            if (!answer.path("status").asBoolean(false) || url == null || url.isBlank()) {
                throw new ProviderFailure("Paystack did not open the transaction", null);
            }
            return new ProviderCheckout(data.path("access_code").asText(null), url);
        });
    }

    public Uni<ProviderVerdict> verify(String reference) {
        // Paystack answers 400 or 404 for a reference it never saw: initiate did not reach it.
        Uni<JsonNode> answer = api.verify(authorization, reference)
                .onFailure(PaystackConnector::isUnknownTransaction).recoverWithItem(NullNode.getInstance());
        return guard("verify", answer).map(body -> {
            if (body.isNull()) {
                return ProviderVerdict.of(Kind.NOT_FOUND, "transaction not found");
            }
            return verdict(body);
        });
    }

    private static boolean isUnknownTransaction(Throwable failure) {
        return failure instanceof WebApplicationException web
                && (web.getResponse().getStatus() == 400 || web.getResponse().getStatus() == 404);
    }

    private static ProviderVerdict verdict(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!answer.path("status").asBoolean(false) || !data.isObject()) {
            throw new ProviderFailure("Paystack did not answer about the transaction", null);
        }
        String status = data.path("status").asText("").toLowerCase(Locale.ROOT);
        return switch (status) {
            case "success" -> {
                if (!data.path("amount").canConvertToLong() || data.path("currency").asText("").isBlank()) {
                    throw new ProviderFailure("Paystack reported a payment without amount or currency", null);
                }
                yield new ProviderVerdict(Kind.PAID, data.path("amount").asLong(), data.path("currency").asText(),
                        status, null);
            }
            case "reversed" -> new ProviderVerdict(Kind.REVERSED, data.path("amount").asLong(-1),
                    data.path("currency").asText(null), status, null);
            case "failed" -> ProviderVerdict.of(Kind.FAILED, status);
            case "abandoned" -> ProviderVerdict.of(Kind.ABANDONED, status);
            case "ongoing", "pending", "processing", "queued" -> ProviderVerdict.of(Kind.PROCESSING, status);
            default -> ProviderVerdict.of(Kind.OPEN, status);
        };
    }

    private Uni<JsonNode> guard(String call, Uni<JsonNode> answer) {
        return answer
                .ifNoItem().after(callTimeout).failWith(() -> new ProviderFailure("Paystack did not answer in time", null))
                .onFailure(f -> !(f instanceof ProviderFailure)).transform(f -> {
                    String detail = f instanceof WebApplicationException web
                            ? "HTTP " + web.getResponse().getStatus() : f.getClass().getSimpleName();
                    Log.warnf("Paystack %s failed: %s", call, detail);
                    return new ProviderFailure("The payment provider (Paystack) failed; try again shortly", f);
                });
    }
}
