package app.backbone.common.api;

/** One wrong field or query parameter, as listed in an error's {@code details}. */
public record FieldError(String field, String message) {
}
