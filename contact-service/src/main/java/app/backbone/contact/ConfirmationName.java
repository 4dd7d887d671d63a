package app.backbone.contact;

import java.util.regex.Pattern;

/**
 * The sender's name as the confirmation mail may repeat it. The confirmation goes to whatever address was typed, so
 * it carries no visitor text that could make it a message from the shop to a stranger: no control or format
 * characters, nothing that reads as a link or an address, at most {@link #MAX_LENGTH} characters.
 */
final class ConfirmationName {

    static final int MAX_LENGTH = 40;

    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cn}]");
    // A token with a scheme, an @, "www." or a dot before two or more letters reads as a link or an address.
    private static final Pattern LINK_LIKE = Pattern.compile(
            "(?i)\\S*(?:[a-z][a-z0-9+.-]*:/{1,2}|@|www\\.|\\.[a-z]{2,}(?:\\b|/))\\S*");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private ConfirmationName() {
    }

    /** The name to greet with; empty when nothing of it is safe to repeat. */
    static String of(String name) {
        String safe = INVISIBLE.matcher(name).replaceAll(" ");
        safe = LINK_LIKE.matcher(safe).replaceAll(" ");
        safe = SPACES.matcher(safe).replaceAll(" ").strip();
        if (safe.length() > MAX_LENGTH) {
            safe = safe.substring(0, MAX_LENGTH).strip();
        }
        return safe;
    }
}
