package app.backbone.payment.auth;

/** The signed-in user of a request: {@code sub} of a verified Clerk token, and its {@code email} claim if any. */
public record ClerkUser(String id, String email) {
}
