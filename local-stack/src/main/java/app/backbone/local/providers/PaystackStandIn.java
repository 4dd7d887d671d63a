package app.backbone.local.providers;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A Paystack-like API: {@code transaction/initialize} and {@code transaction/verify}, with a local payment page whose
 * "pay" sends the signed {@code charge.success} webhook Paystack would send.
 */
@ApplicationScoped
public class PaystackStandIn {

    private final Map<String, JsonObject> transactions = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(4_000_000_000L);
    private final WebhookSender webhooks;
    private String baseUrl;

    public PaystackStandIn(WebhookSender webhooks) {
        this.webhooks = webhooks;
    }

    public Router router(Vertx vertx, String baseUrl) {
        this.baseUrl = baseUrl;
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create());
        router.post("/transaction/initialize").handler(this::initialize);
        router.get("/transaction/verify/:reference").handler(this::verify);
        router.get("/pay/:reference").handler(this::page);
        router.post("/pay/:reference/pay").handler(ctx -> finish(ctx, true));
        router.post("/pay/:reference/cancel").handler(ctx -> finish(ctx, false));
        router.route().last().handler(ctx -> Json.send(ctx, 404,
                new JsonObject().put("status", false).put("message", "Not found")));
        return router;
    }

    private void initialize(RoutingContext ctx) {
        String auth = ctx.request().getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            Json.send(ctx, 401, new JsonObject().put("status", false).put("message", "No Authorization header was found"));
            return;
        }
        JsonObject body;
        try {
            body = ctx.body().asJsonObject();
        } catch (RuntimeException e) {
            body = null;
        }
        if (body == null || body.getString("email") == null || body.getValue("amount") == null) {
            Json.send(ctx, 400, new JsonObject().put("status", false).put("message", "email and amount are required"));
            return;
        }
        String reference = body.getString("reference", "T" + StripeStandIn.random());
        if (transactions.containsKey(reference)) {
            Json.send(ctx, 400, new JsonObject().put("status", false).put("message", "Duplicate Transaction Reference"));
            return;
        }
        JsonObject transaction = new JsonObject()
                .put("id", ids.incrementAndGet()).put("reference", reference).put("status", "ongoing")
                .put("amount", Long.parseLong(String.valueOf(body.getValue("amount"))))
                .put("currency", body.getString("currency", "NGN"))
                .put("callback_url", body.getString("callback_url"))
                .put("metadata", body.getValue("metadata"))
                .put("customer", new JsonObject().put("email", body.getString("email")))
                .put("created_at", Instant.now().toString());
        transactions.put(reference, transaction);
        Json.send(ctx, 200, new JsonObject().put("status", true).put("message", "Authorization URL created")
                .put("data", new JsonObject().put("authorization_url", baseUrl + "/pay/" + reference)
                        .put("access_code", StripeStandIn.random()).put("reference", reference)));
    }

    private void verify(RoutingContext ctx) {
        JsonObject transaction = transactions.get(ctx.pathParam("reference"));
        if (transaction == null) {
            Json.send(ctx, 400, new JsonObject().put("status", false).put("message", "Transaction reference not found"));
            return;
        }
        Json.send(ctx, 200, new JsonObject().put("status", true).put("message", "Verification successful")
                .put("data", transaction));
    }

    private void page(RoutingContext ctx) {
        JsonObject transaction = transactions.get(ctx.pathParam("reference"));
        if (transaction == null) {
            ctx.response().setStatusCode(404).end("No such transaction");
            return;
        }
        String status = "ongoing".equals(transaction.getString("status")) ? "open" : transaction.getString("status");
        Json.html(ctx, CheckoutPage.render("Paystack-like payment (local)",
                StripeStandIn.formatAmount(transaction.getLong("amount"), transaction.getString("currency")), null,
                transaction.getString("reference"), status, "/pay/" + transaction.getString("reference")));
    }

    private void finish(RoutingContext ctx, boolean paid) {
        JsonObject transaction = transactions.get(ctx.pathParam("reference"));
        if (transaction == null || !"ongoing".equals(transaction.getString("status"))) {
            ctx.response().setStatusCode(409).end("This transaction is no longer open");
            return;
        }
        String callback = transaction.getString("callback_url");
        if (!paid) {
            transaction.put("status", "abandoned");
            redirect(ctx, callback, transaction.getString("reference"));
            return;
        }
        transaction.put("status", "success").put("paid_at", Instant.now().toString()).put("gateway_response", "Successful");
        JsonObject event = new JsonObject().put("event", "charge.success").put("data", transaction.copy());
        webhooks.sendPaystack(event).subscribe().with(status -> redirect(ctx, callback, transaction.getString("reference")));
    }

    private static void redirect(RoutingContext ctx, String callback, String reference) {
        if (callback == null) {
            Json.html(ctx, "<p>Done.</p>");
            return;
        }
        String separator = callback.contains("?") ? "&" : "?";
        ctx.redirect(callback + separator + "reference=" + reference + "&trxref=" + reference);
    }
}
