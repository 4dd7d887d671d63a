package app.backbone.common.api;

import java.util.List;

/** The {@code error} member of a failed answer. */
public record ApiError(String code, String message, List<FieldError> details, String requestId) {
}
