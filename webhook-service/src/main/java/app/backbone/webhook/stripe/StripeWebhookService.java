package app.backbone.webhook.stripe;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.data.payments.Provider;
import app.backbone.webhook.WebhookAck;
import app.backbone.webhook.events.ExactlyOnceProcessor;
import app.backbone.webhook.events.JsonFields;
import app.backbone.webhook.events.VerifiedEvent;
import io.smallrye.mutiny.Uni;

/** A Stripe delivery: verified on the raw bytes, parsed as a tree, applied exactly once. */
@ApplicationScoped
public class StripeWebhookService {

    static final String PROVIDER = Provider.STRIPE.id();

    private final StripeSignatureVerifier verifier;
    private final StripeEventEffects effects;
    private final ExactlyOnceProcessor processor;
    private final ObjectMapper json;

    public StripeWebhookService(StripeSignatureVerifier verifier, StripeEventEffects effects,
            ExactlyOnceProcessor processor, ObjectMapper json) {
        this.verifier = verifier;
        this.effects = effects;
        this.processor = processor;
        this.json = json;
    }

    public Uni<WebhookAck> receive(byte[] body, String signatureHeader) {
        String payload = verifier.verify(body, signatureHeader);
        StripeEvent event = parse(payload);
        return processor.process(new VerifiedEvent(PROVIDER, event.id(), event.type(), payload),
                tx -> effects.apply(tx, event));
    }

    private StripeEvent parse(String payload) {
        JsonNode root = JsonFields.parseObject(json, payload);
        String id = JsonFields.text(root, "id");
        String type = JsonFields.text(root, "type");
        OffsetDateTime created = JsonFields.epochSeconds(root, "created");
        JsonNode object = root.path("data").path("object");
        if (id == null || type == null || created == null || !object.isObject()) {
            throw new ApiException(ErrorCode.INVALID_JSON,
                    "The event must have an id, a type, a created time and a data.object");
        }
        return new StripeEvent(id, type, created, object);
    }
}
