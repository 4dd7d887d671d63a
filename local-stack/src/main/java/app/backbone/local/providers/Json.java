package app.backbone.local.providers;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers the stand-ins share for answering JSON. */
final class Json {

    private Json() {
    }

    static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encodePrettily());
    }

    static void html(RoutingContext ctx, String page) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(page);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
