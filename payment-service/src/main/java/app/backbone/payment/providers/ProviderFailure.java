package app.backbone.payment.providers;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;

/** A provider failed, timed out or answered nonsense: 502 PROVIDER_ERROR, with a message safe for the client. */
public class ProviderFailure extends ApiException {

    public ProviderFailure(String message, Throwable cause) {
        super(ErrorCode.PROVIDER_ERROR, message, cause);
    }
}
