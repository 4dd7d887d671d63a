package app.backbone.data.outbox;

import java.util.Map;

/**
 * A mail to send later. {@code dedupeKey} makes queueing idempotent: a second mail with the same key is dropped, so
 * "thank you for paying" goes out once however many paths mark a payment paid.
 *
 * @param template the name of a pair of Qute templates, {@code mail/NAME.html} and {@code mail/NAME.txt}
 */
public record OutboxMail(String dedupeKey, String to, String replyTo, String subject, String template,
        Map<String, Object> model) {
}
