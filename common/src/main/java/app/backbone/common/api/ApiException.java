package app.backbone.common.api;

import java.util.List;

/** A failure that already knows its error code and a message fit for the client. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final List<FieldError> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public ApiException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    public ApiException(ErrorCode code, String message, List<FieldError> details, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.details = details;
    }

    public static ApiException notFound(String message) {
        return new ApiException(ErrorCode.NOT_FOUND, message);
    }

    public static ApiException validation(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_ERROR, "The request has invalid fields",
                List.of(new FieldError(field, message)), null);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }
}
