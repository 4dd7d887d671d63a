package app.backbone.webhook.stripe;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.net.Webhook;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.webhook.WebhookConfig;
import app.backbone.webhook.events.JsonFields;

/**
 * Checks {@code Stripe-Signature} with stripe-java: {@code t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>}, any
 * {@code v1} may match, the timestamp within the tolerance. Every configured secret is tried, so a rotation can run
 * with the old and the new secret side by side.
 */
@ApplicationScoped
public class StripeSignatureVerifier {

    private final List<String> secrets;
    private final long toleranceSeconds;

    public StripeSignatureVerifier(WebhookConfig config) {
        this.secrets = config.stripe().webhookSecrets().stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        this.toleranceSeconds = config.stripe().tolerance().toSeconds();
        if (secrets.isEmpty()) {
            throw new IllegalStateException("STRIPE_WEBHOOK_SECRET must name at least one signing secret");
        }
    }

    /**
     * The body as text, once {@code Stripe-Signature} shows Stripe signed it with our secret: MISSING_SIGNATURE without
     * the header, INVALID_JSON for bytes that are not UTF-8 (Stripe signs and sends UTF-8, so they cannot be one of its
     * events, whoever signed them), INVALID_SIGNATURE unless a signature matches.
     */
    public String verify(byte[] body, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new ApiException(ErrorCode.MISSING_SIGNATURE, "The Stripe-Signature header is required");
        }
        String payload = JsonFields.utf8(body);
        if (isFromTheFuture(signatureHeader)) {
            throw new ApiException(ErrorCode.INVALID_SIGNATURE,
                    "The Stripe-Signature header is not a valid, recent signature of this body");
        }
        for (String secret : secrets) {
            try {
                if (Webhook.Signature.verifyHeader(payload, signatureHeader, secret, toleranceSeconds)) {
                    return payload;
                }
            } catch (SignatureVerificationException | NumberFormatException e) {
                // try the next secret; the caller learns only that none matched (a "t=" that is not a number is
                // a malformed header, which stripe-java reports by letting Long.parseLong fail)
            }
        }
        throw new ApiException(ErrorCode.INVALID_SIGNATURE,
                "The Stripe-Signature header is not a valid, recent signature of this body");
    }

    /**
     * stripe-java refuses a timestamp older than the tolerance but accepts any in the future; a signature dated
     * beyond the tolerance ahead is refused too, so a captured delivery cannot be held back and replayed later.
     */
    private boolean isFromTheFuture(String signatureHeader) {
        long latest = System.currentTimeMillis() / 1000 + toleranceSeconds;
        for (String item : signatureHeader.split(",")) {
            String[] pair = item.strip().split("=", 2);
            if (pair.length == 2 && pair[0].equals("t")) {
                try {
                    return Long.parseLong(pair[1].strip()) > latest;
                } catch (NumberFormatException e) {
                    return false; // malformed: stripe-java refuses it below
                }
            }
        }
        return false;
    }
}
