package app.backbone.common.api;

import jakarta.ws.rs.core.Response;

/** The answer of a POST that honours {@code Idempotency-Key}: 201 with the envelope, marked when it is a replay. */
public final class IdempotentCreation {

    /** Set to {@code true} on an answer that repeats the first request's with the same key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private IdempotentCreation() {
    }

    public static Response answer(Object data, boolean replayed) {
        Response.ResponseBuilder answer = Response.status(Response.Status.CREATED).entity(ApiResponse.of(data));
        if (replayed) {
            answer.header(REPLAYED_HEADER, "true");
        }
        return answer.build();
    }
}
