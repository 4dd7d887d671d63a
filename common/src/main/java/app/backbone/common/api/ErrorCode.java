package app.backbone.common.api;

/** Every error code a client can see, with the HTTP status it travels with (the README's "The envelope"). */
public enum ErrorCode {
    VALIDATION_ERROR(400),
    INVALID_JSON(400),
    MISSING_SIGNATURE(400),
    INVALID_SIGNATURE(400),
    UNAUTHORIZED(401),
    FORBIDDEN(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    CONFLICT(409),
    PAYLOAD_TOO_LARGE(413),
    UNSUPPORTED_MEDIA_TYPE(415),
    RATE_LIMITED(429),
    INTERNAL_ERROR(500),
    PROVIDER_ERROR(502),
    SERVICE_UNAVAILABLE(503),
    GATEWAY_TIMEOUT(504);

    private final int status;

    ErrorCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
