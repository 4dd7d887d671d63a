package app.backbone.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook signatures computed exactly as Stripe and Paystack compute theirs, for tests that deliver or check them. */
public final class WebhookSignatures {

    private WebhookSignatures() {
    }

    /** {@code Stripe-Signature: t=<timestamp>,v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}. */
    public static String stripe(String secret, long timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return "t=" + timestamp + ",v1=" + hmacHex("HmacSHA256", secret, signed);
    }

    public static String stripe(String secret, long timestamp, String body) {
        return stripe(secret, timestamp, body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code x-paystack-signature: <hex HMAC-SHA512(secretKey, body)>}. */
    public static String paystack(String secretKey, byte[] body) {
        return hmacHex("HmacSHA512", secretKey, body);
    }

    public static String paystack(String secretKey, String body) {
        return paystack(secretKey, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmacHex(String algorithm, String key, byte[] message) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
