package app.backbone.local.providers;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.stripe.net.Webhook;

import app.backbone.local.LocalConfig;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;

/** Delivers webhooks signed exactly as Stripe and Paystack sign theirs. */
@ApplicationScoped
public class WebhookSender {

    private final WebClient client;
    private final LocalConfig config;

    public WebhookSender(Vertx vertx, LocalConfig config) {
        this.client = WebClient.create(vertx);
        this.config = config;
    }

    /** {@code Stripe-Signature: t=..,v1=hex(HMAC-SHA256(secret, t + "." + body))}. */
    public static String stripeSignature(String secret, String body, long timestamp) {
        try {
            String v1 = Webhook.Util.computeHmacSha256(secret, timestamp + "." + body);
            return "t=" + timestamp + ",v1=" + v1;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code x-paystack-signature: hex(HMAC-SHA512(secretKey, body))}. */
    public static String paystackSignature(String secretKey, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(new SecretKeySpec(secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA512"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    public Uni<Integer> sendStripe(JsonObject event) {
        String body = event.encode();
        String signature = stripeSignature(config.stripeWebhookSecret(), body, System.currentTimeMillis() / 1000);
        return post("/webhooks/stripe", body, "Stripe-Signature", signature, event.getString("type"));
    }

    /**
     * Sends the events one after the other, each once the previous one was answered, as Stripe's own order of a
     * change's events would reach the app; answers how many were accepted (2xx).
     */
    public Uni<Integer> sendStripeInOrder(java.util.List<JsonObject> events) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (JsonObject event : events) {
            chain = chain.flatMap(accepted -> sendStripe(event)
                    .map(status -> status >= 200 && status < 300 ? accepted + 1 : accepted));
        }
        return chain;
    }

    public Uni<Integer> sendPaystack(JsonObject event) {
        String body = event.encode();
        return post("/webhooks/paystack", body, "x-paystack-signature",
                paystackSignature(config.paystackSecretKey(), body), event.getString("event"));
    }

    private Uni<Integer> post(String path, String body, String header, String signature, String type) {
        return client.postAbs(config.webhookTarget() + path)
                .putHeader("Content-Type", "application/json")
                .putHeader(header, signature)
                .sendBuffer(Buffer.buffer(body))
                .map(response -> {
                    Log.infof("Webhook %s delivered to %s: %d %s", type, path, response.statusCode(),
                            response.bodyAsString());
                    return response.statusCode();
                })
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("Webhook %s to %s failed: %s", type, path, e.getMessage());
                    return 0;
                });
    }
}
