package app.backbone.payment.payments;

import java.security.SecureRandom;

/** Payment references {@code PSK-{epoch millis}-{random}}: unique, unguessable, and valid for both providers. */
final class References {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private References() {
    }

    static String next() {
        char[] random = new char[10];
        for (int i = 0; i < random.length; i++) {
            random[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return "PSK-" + System.currentTimeMillis() + "-" + new String(random);
    }
}
