package app.backbone.common.api;

import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** {@code {"success": false, "error": {...}}}: the one shape of every error from every service and the gateway. */
public record ErrorEnvelope(boolean success, ApiError error) {

    public static ErrorEnvelope of(ErrorCode code, String message, List<FieldError> details, String requestId) {
        return new ErrorEnvelope(false, new ApiError(code.name(), message, details == null ? List.of() : details, requestId));
    }

    /** The same envelope as Vert.x JSON, for code that answers outside JAX-RS (route failure handlers, the gateway). */
    public JsonObject toJson() {
        JsonArray details = new JsonArray();
        error.details().forEach(d -> details.add(new JsonObject().put("field", d.field()).put("message", d.message())));
        JsonObject err = new JsonObject()
                .put("code", error.code())
                .put("message", error.message())
                .put("details", details)
                .put("requestId", error.requestId());
        return new JsonObject().put("success", false).put("error", err);
    }
}
