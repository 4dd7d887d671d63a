package app.backbone.webhook.paystack;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.webhook.WebhookConfig;

/** Checks {@code x-paystack-signature}: the hex HMAC-SHA512 of the raw body keyed with the secret key. */
@ApplicationScoped
public class PaystackSignatureVerifier {

    private final SecretKeySpec key;

    public PaystackSignatureVerifier(WebhookConfig config) {
        String secret = config.paystack().secretKey().strip();
        if (secret.isEmpty()) {
            throw new IllegalStateException("PAYSTACK_SECRET_KEY must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA512");
    }

    public void verify(byte[] body, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw new ApiException(ErrorCode.MISSING_SIGNATURE, "The x-paystack-signature header is required");
        }
        byte[] expected = HexFormat.of().formatHex(hmac(body)).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHeader.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        // Constant time, so the answer's timing tells nothing about how much of a forged signature was right.
        if (!MessageDigest.isEqual(expected, given)) {
            throw new ApiException(ErrorCode.INVALID_SIGNATURE,
                    "The x-paystack-signature header is not a valid signature of this body");
        }
    }

    private byte[] hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA512");
            mac.init(key);
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA512 is unavailable", e);
        }
    }
}
