package app.backbone.payment.payments;

/** The answer of a successful initiate: where to send the payer. */
public record InitiateResult(String reference, String authorizationUrl, String provider) {
}
