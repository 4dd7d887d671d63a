package app.backbone.webhook.paystack;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.network.AddressRange;
import app.backbone.data.payments.Provider;
import app.backbone.webhook.WebhookAck;
import app.backbone.webhook.WebhookConfig;
import app.backbone.webhook.events.ExactlyOnceProcessor;
import app.backbone.webhook.events.JsonFields;
import app.backbone.webhook.events.VerifiedEvent;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** A Paystack delivery: source address, signature on the raw bytes, then applied exactly once. */
@ApplicationScoped
public class PaystackWebhookService {

    static final String PROVIDER = Provider.PAYSTACK.id();

    private final PaystackSignatureVerifier verifier;
    private final PaystackEventEffects effects;
    private final ExactlyOnceProcessor processor;
    private final ObjectMapper json;
    private final List<AddressRange> allowedSources;

    public PaystackWebhookService(PaystackSignatureVerifier verifier, PaystackEventEffects effects,
            ExactlyOnceProcessor processor, ObjectMapper json, WebhookConfig config) {
        this.verifier = verifier;
        this.effects = effects;
        this.processor = processor;
        this.json = json;
        this.allowedSources = config.paystack().allowedIps().orElse(List.of()).stream()
                .filter(s -> !s.isBlank()).map(AddressRange::parse).toList();
    }

    public Uni<WebhookAck> receive(byte[] body, String signatureHeader, String clientAddress) {
        if (!allowedSources.isEmpty() && allowedSources.stream().noneMatch(r -> r.contains(clientAddress))) {
            Log.warnf("Paystack webhook from %s refused: not in PAYSTACK_ALLOWED_IPS", clientAddress);
            throw new ApiException(ErrorCode.FORBIDDEN, "Webhooks are not accepted from this address");
        }
        verifier.verify(body, signatureHeader);
        String payload = JsonFields.utf8(body);
        PaystackEvent event = parse(payload, body);
        return processor.process(new VerifiedEvent(PROVIDER, event.key(), event.event(), payload),
                tx -> effects.apply(tx, event));
    }

    private PaystackEvent parse(String payload, byte[] body) {
        JsonNode root = JsonFields.parseObject(json, payload);
        String type = JsonFields.text(root, "event");
        JsonNode data = root.path("data");
        if (type == null || !data.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON, "The event must have an event name and a data object");
        }
        String id = JsonFields.text(data, "id");
        if (id == null) {
            id = JsonFields.text(data, "reference");
        }
        if (id == null) {
            // No id to key on: the body itself is the key, so at least an identical redelivery is a duplicate.
            id = "sha256-" + sha256(body);
        }
        String key = type + ":" + id;
        // event_id holds 255 characters; a longer key is kept unique by its hash.
        if (key.length() > 255) {
            key = "sha256-" + sha256(key.getBytes(StandardCharsets.UTF_8));
        }
        return new PaystackEvent(type, key, data);
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
