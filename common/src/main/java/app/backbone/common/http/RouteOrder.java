package app.backbone.common.http;

/**
 * The order of the application's own Vert.x routes, first to last, named in one place. Vert.x runs routes of equal
 * order in the order they were added, which here is CDI observer order (unspecified), so no two values are equal.
 * Quarkus's own routes have orders of their own ({@code io.quarkus.vertx.http.runtime.RouteConstants}): its body
 * handler, where one is installed, at {@code Integer.MIN_VALUE + 1}; the REST layer long after all of these.
 */
public final class RouteOrder {

    /** Every request gets its id before anything else, so every answer and log line after it carries one. */
    public static final int REQUEST_ID = Integer.MIN_VALUE;

    /** Failure handler: 404, 405 and 413 raised by Vert.x or Quarkus are answered in the envelope; others pass on. */
    public static final int FAILURE_ENVELOPE = Integer.MIN_VALUE + 1;

    /** The gateway's hardening headers are armed before any handler below can answer, errors included. */
    public static final int SECURITY_HEADERS = Integer.MIN_VALUE + 2;

    /** The gateway's access log is armed before any handler below can answer, so every answer is logged. */
    public static final int ACCESS_LOG = Integer.MIN_VALUE + 3;

    /** A declared body over {@code quarkus.http.limits.max-body-size} is refused before a byte of it is read. */
    public static final int DECLARED_BODY_LIMIT = Integer.MIN_VALUE + 4;

    /** Failure handler: authentication failures of the HTTP security layer (401) in the envelope, after the above. */
    public static final int AUTH_FAILURE_ENVELOPE = Integer.MIN_VALUE + 5;

    /** The gateway's own {@code GET /}, ahead of the pipeline that would otherwise see it. */
    public static final int GATEWAY_STATUS = Integer.MIN_VALUE + 6;

    /** The gateway's pipeline (route match, CORS, body limit, token, rate limit, proxy) for every other path. */
    public static final int GATEWAY_PIPELINE = Integer.MIN_VALUE + 10;

    private RouteOrder() {
    }
}
