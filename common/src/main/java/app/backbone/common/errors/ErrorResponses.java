package app.backbone.common.errors;

import java.util.List;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.ErrorEnvelope;
import app.backbone.common.api.FieldError;

/** Builds the JAX-RS response for an error envelope. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(ErrorCode code, String message, String requestId) {
        return of(code, message, List.of(), requestId);
    }

    public static Response of(ErrorCode code, String message, List<FieldError> details, String requestId) {
        ErrorMetrics.count(code);
        return Response.status(code.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorEnvelope.of(code, message, details, requestId))
                .build();
    }
}
