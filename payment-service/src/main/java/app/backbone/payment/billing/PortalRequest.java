package app.backbone.payment.billing;

import jakarta.validation.constraints.Size;

/** {@code POST /stripe/portal}: where the portal's "return" link leads (on one of the app's origins), optional. */
public record PortalRequest(@Size(max = 2048, message = "must be at most 2048 characters") String returnUrl) {
}
