import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pre-signs Stripe {@code customer.created} events the way Stripe does: {@code Stripe-Signature: t=<unix>,v1=<hex
 * HMAC-SHA256(secret, "<t>.<body>")>}. Event i has id {@code evt_<prefix>_<i>} and maps Stripe customer
 * {@code cus_<prefix>_<i>} to Clerk user {@code user_<prefix>_<i>}, an effect that can be counted in the database.
 *
 * <p>Usage: {@code java SignStripeEvents.java <secret> <prefix> <count> <out-file>}; one line per event:
 * {@code <signature header> TAB <body>}.
 */
public class SignStripeEvents {

    public static void main(String[] args) throws Exception {
        String secret = args[0];
        String prefix = args[1];
        int count = Integer.parseInt(args[2]);
        Path out = Path.of(args[3]);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        long now = System.currentTimeMillis() / 1000;
        HexFormat hex = HexFormat.of();
        try (BufferedWriter writer = Files.newBufferedWriter(out)) {
            for (int i = 0; i < count; i++) {
                String id = prefix + "_" + i;
                String body = "{\"id\":\"evt_" + id + "\",\"object\":\"event\",\"api_version\":\"2025-03-31.basil\","
                        + "\"created\":" + now + ",\"livemode\":false,\"type\":\"customer.created\","
                        + "\"data\":{\"object\":{\"id\":\"cus_" + id + "\",\"object\":\"customer\","
                        + "\"email\":\"bench@example.com\",\"metadata\":{\"clerk_user_id\":\"user_" + id + "\"}}}}";
                byte[] signature = mac.doFinal((now + "." + body).getBytes(StandardCharsets.UTF_8));
                writer.write("t=" + now + ",v1=" + hex.formatHex(signature) + "\t" + body + "\n");
            }
        }
    }
}
