package app.backbone.local.providers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.stripe.Stripe;

import app.backbone.local.LocalConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A Stripe-like API, enough for the whole set to work with no Stripe account: Checkout Sessions with a local checkout
 * page whose "pay" and "cancel" send the signed webhooks Stripe would send, customers (idempotent by key, with the
 * {@code customer.created} webhook), a small product and price catalogue with paging and expansions, and (in
 * {@link StripeBilling}) subscriptions started by a subscription-mode Checkout, their invoices and cards, and a billing
 * portal page.
 */
@ApplicationScoped
public class StripeStandIn {

    private final Map<String, JsonObject> sessions = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> customers = new ConcurrentHashMap<>();
    private final Map<String, String> customersByIdempotencyKey = new ConcurrentHashMap<>();
    private final Map<String, String> sessionsByIdempotencyKey = new ConcurrentHashMap<>();
    /** What a subscription-mode session will subscribe to: its lines, trial and the subscription's metadata. */
    private final Map<String, JsonObject> subscriptionCheckouts = new ConcurrentHashMap<>();
    private final Map<String, JsonObject> products = new LinkedHashMap<>();
    private final Map<String, JsonObject> prices = new LinkedHashMap<>();
    private final WebhookSender webhooks;
    private final LocalConfig config;
    private final StripeBilling billing;
    private String baseUrl;

    public StripeStandIn(WebhookSender webhooks, LocalConfig config) {
        this.webhooks = webhooks;
        this.config = config;
        seedCatalogue();
        this.billing = new StripeBilling(customers, products, prices, webhooks);
    }

    public Router router(Vertx vertx, String baseUrl) {
        this.baseUrl = baseUrl;
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create());
        router.post("/v1/checkout/sessions").handler(this::createSession);
        router.get("/v1/checkout/sessions/:id").handler(ctx -> found(ctx, sessions.get(ctx.pathParam("id")), "checkout.session"));
        router.post("/v1/checkout/sessions/:id/expire").handler(this::expireSession);
        router.post("/v1/customers").handler(this::createCustomer);
        router.get("/v1/customers/:id").handler(ctx -> found(ctx, customers.get(ctx.pathParam("id")), "customer"));
        router.get("/v1/products").handler(ctx -> list(ctx, "/v1/products", products, "default_price", prices));
        router.get("/v1/products/:id").handler(ctx -> one(ctx, products, "default_price", prices));
        router.get("/v1/prices").handler(ctx -> list(ctx, "/v1/prices", prices, "product", products));
        router.get("/v1/prices/:id").handler(ctx -> one(ctx, prices, "product", products));
        router.get("/checkout/:id").handler(this::checkoutPage);
        router.post("/checkout/:id/pay").handler(ctx -> finish(ctx, true));
        router.post("/checkout/:id/cancel").handler(ctx -> finish(ctx, false));
        billing.routes(router, baseUrl);
        router.route().last().handler(ctx -> Json.send(ctx, 404, error("invalid_request_error", "Unrecognized request URL")));
        return router;
    }

    private void createSession(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null && sessionsByIdempotencyKey.containsKey(key)) {
            Json.send(ctx, 200, sessions.get(sessionsByIdempotencyKey.get(key)));
            return;
        }
        MultiMap form = ctx.request().formAttributes();
        boolean subscription = "subscription".equals(form.get("mode"));
        JsonArray lines = new JsonArray();
        long total = 0;
        String currency = null;
        String productName = null;
        for (int i = 0; form.contains("line_items[" + i + "][quantity]"); i++) {
            String prefix = "line_items[" + i + "]";
            long quantity = Long.parseLong(form.get(prefix + "[quantity]"));
            String unit = form.get(prefix + "[price_data][unit_amount]");
            if (unit != null) {
                total += Long.parseLong(unit) * quantity;
                currency = form.get(prefix + "[price_data][currency]");
                productName = form.get(prefix + "[price_data][product_data][name]");
            } else if (form.get(prefix + "[price]") != null && prices.containsKey(form.get(prefix + "[price]"))) {
                JsonObject price = prices.get(form.get(prefix + "[price]"));
                if (subscription && !"recurring".equals(price.getString("type"))) {
                    Json.send(ctx, 400, error("invalid_request_error", "subscription mode needs recurring prices"));
                    return;
                }
                total += price.getLong("unit_amount") * quantity;
                currency = price.getString("currency");
                productName = PortalPage.planName(price, products);
                lines.add(new JsonObject().put("price", price.getString("id")).put("quantity", quantity));
            }
        }
        if (currency == null || form.get("success_url") == null || subscription && lines.isEmpty()) {
            Json.send(ctx, 400, error("invalid_request_error", "line_items with price_data and success_url are required"));
            return;
        }
        String id = "cs_test_" + random();
        JsonObject metadata = new JsonObject();
        form.names().stream().filter(n -> n.startsWith("metadata[")).forEach(n ->
                metadata.put(n.substring("metadata[".length(), n.length() - 1), form.get(n)));
        JsonObject session = new JsonObject()
                .put("id", id).put("object", "checkout.session")
                .put("mode", form.get("mode") == null ? "payment" : form.get("mode"))
                .put("status", "open").put("payment_status", "unpaid")
                .put("amount_total", total).put("amount_subtotal", total).put("currency", currency)
                .put("client_reference_id", form.get("client_reference_id"))
                .put("customer", form.get("customer"))
                .put("customer_email", form.get("customer_email"))
                .put("metadata", metadata)
                .put("success_url", form.get("success_url"))
                .put("cancel_url", form.get("cancel_url"))
                .put("created", Instant.now().getEpochSecond())
                .put("expires_at", Instant.now().plusSeconds(24 * 3600).getEpochSecond())
                .put("livemode", false)
                .put("payment_intent", null)
                .put("product_name", productName)
                .put("url", baseUrl + "/checkout/" + id);
        if (subscription) {
            session.put("subscription", (Object) null).put("invoice", (Object) null);
            JsonObject subscriptionMetadata = new JsonObject();
            form.names().stream().filter(n -> n.startsWith("subscription_data[metadata][")).forEach(n ->
                    subscriptionMetadata.put(n.substring("subscription_data[metadata][".length(), n.length() - 1),
                            form.get(n)));
            String trialDays = form.get("subscription_data[trial_period_days]");
            subscriptionCheckouts.put(id, new JsonObject().put("lines", lines)
                    .put("trial_days", trialDays == null ? null : Long.valueOf(trialDays))
                    .put("metadata", subscriptionMetadata));
        }
        sessions.put(id, session);
        if (key != null) {
            sessionsByIdempotencyKey.put(key, id);
        }
        Json.send(ctx, 200, session);
    }

    private void expireSession(RoutingContext ctx) {
        JsonObject session = sessions.get(ctx.pathParam("id"));
        if (session == null) {
            found(ctx, null, "checkout.session");
            return;
        }
        session.put("status", "expired");
        Json.send(ctx, 200, session);
    }

    private void createCustomer(RoutingContext ctx) {
        String key = ctx.request().getHeader("Idempotency-Key");
        if (key != null && customersByIdempotencyKey.containsKey(key)) {
            Json.send(ctx, 200, customers.get(customersByIdempotencyKey.get(key)));
            return;
        }
        MultiMap form = ctx.request().formAttributes();
        JsonObject metadata = new JsonObject();
        form.names().stream().filter(n -> n.startsWith("metadata[")).forEach(n ->
                metadata.put(n.substring("metadata[".length(), n.length() - 1), form.get(n)));
        JsonObject customer = new JsonObject()
                .put("id", "cus_" + random()).put("object", "customer")
                .put("email", form.get("email")).put("name", form.get("name"))
                .put("metadata", metadata).put("created", Instant.now().getEpochSecond()).put("livemode", false)
                .put("invoice_settings", new JsonObject().put("default_payment_method", (Object) null));
        customers.put(customer.getString("id"), customer);
        if (key != null) {
            customersByIdempotencyKey.put(key, customer.getString("id"));
        }
        Json.send(ctx, 200, customer);
        webhooks.sendStripe(event("customer.created", customer)).subscribe().with(status -> { });
    }

    private void checkoutPage(RoutingContext ctx) {
        JsonObject session = sessions.get(ctx.pathParam("id"));
        if (session == null) {
            ctx.response().setStatusCode(404).end("No such checkout session");
            return;
        }
        String amount = formatAmount(session.getLong("amount_total"), session.getString("currency"));
        JsonObject subscription = subscriptionCheckouts.get(session.getString("id"));
        if (subscription != null) {
            JsonObject line = subscription.getJsonArray("lines").getJsonObject(0);
            JsonObject price = prices.get(line.getString("price"));
            Json.html(ctx, CheckoutPage.renderSubscription("Stripe-like checkout (local)", session.getString("product_name"),
                    PortalPage.pricePerInterval(price), line.getLong("quantity"), subscription.getLong("trial_days"),
                    session.getString("status"), "/checkout/" + session.getString("id")));
            return;
        }
        Json.html(ctx, CheckoutPage.render("Stripe-like checkout (local)", amount,
                session.getString("product_name"), session.getString("client_reference_id"), session.getString("status"),
                "/checkout/" + session.getString("id")));
    }

    private void finish(RoutingContext ctx, boolean paid) {
        JsonObject session = sessions.get(ctx.pathParam("id"));
        if (session == null || !"open".equals(session.getString("status"))) {
            ctx.response().setStatusCode(409).end("This checkout session is no longer open");
            return;
        }
        JsonObject subscription = subscriptionCheckouts.get(session.getString("id"));
        if (paid && subscription != null) {
            List<JsonObject> events = billing.subscribe(session, subscription.getJsonArray("lines").stream()
                    .map(JsonObject.class::cast).toList(), subscription.getLong("trial_days"),
                    subscription.getJsonObject("metadata"));
            String redirect = session.getString("success_url");
            webhooks.sendStripeInOrder(events).subscribe().with(accepted -> ctx.redirect(
                    redirect.replace("{CHECKOUT_SESSION_ID}", session.getString("id"))), ctx::fail);
            return;
        }
        if (paid) {
            session.put("status", "complete").put("payment_status", "paid").put("payment_intent", "pi_" + random());
        } else {
            session.put("status", "expired");
        }
        String type = paid ? "checkout.session.completed" : "checkout.session.expired";
        String redirect = paid ? session.getString("success_url") : session.getString("cancel_url");
        webhooks.sendStripe(event(type, session.copy())).subscribe().with(status -> {
            if (redirect != null) {
                ctx.redirect(redirect.replace("{CHECKOUT_SESSION_ID}", session.getString("id")));
            } else {
                Json.html(ctx, "<p>Done: " + type + "</p>");
            }
        });
    }

    private void list(RoutingContext ctx, String url, Map<String, JsonObject> items, String expandable,
            Map<String, JsonObject> expandFrom) {
        MultiMap q = ctx.queryParams();
        int limit = q.get("limit") == null ? 10 : Integer.parseInt(q.get("limit"));
        String active = q.get("active");
        String product = q.get("product");
        String after = q.get("starting_after");
        boolean expand = q.getAll("expand[]").contains("data." + expandable) || q.getAll("expand[0]").contains("data." + expandable);
        List<JsonObject> matching = new ArrayList<>();
        boolean started = after == null;
        for (JsonObject item : items.values()) {
            if (!started) {
                started = item.getString("id").equals(after);
                continue;
            }
            if (active != null && item.getBoolean("active") != Boolean.parseBoolean(active)) {
                continue;
            }
            if (product != null && !product.equals(item.getValue("product"))) {
                continue;
            }
            matching.add(item);
        }
        JsonArray data = new JsonArray();
        matching.stream().limit(limit).forEach(item -> data.add(expand ? expanded(item, expandable, expandFrom) : item));
        Json.send(ctx, 200, new JsonObject().put("object", "list").put("url", url).put("data", data)
                .put("has_more", matching.size() > limit));
    }

    private void one(RoutingContext ctx, Map<String, JsonObject> items, String expandable,
            Map<String, JsonObject> expandFrom) {
        JsonObject item = items.get(ctx.pathParam("id"));
        if (item == null) {
            found(ctx, null, "resource");
            return;
        }
        boolean expand = ctx.queryParams().getAll("expand[]").contains(expandable)
                || ctx.queryParams().getAll("expand[0]").contains(expandable);
        Json.send(ctx, 200, expand ? expanded(item, expandable, expandFrom) : item);
    }

    private static JsonObject expanded(JsonObject item, String field, Map<String, JsonObject> from) {
        Object id = item.getValue(field);
        return id instanceof String key && from.containsKey(key) ? item.copy().put(field, from.get(key)) : item;
    }

    private static void found(RoutingContext ctx, JsonObject item, String what) {
        if (item == null) {
            JsonObject error = error("invalid_request_error", "No such " + what + ": '" + ctx.pathParam("id") + "'");
            error.getJsonObject("error").put("code", "resource_missing").put("param", "id");
            Json.send(ctx, 404, error);
        } else {
            Json.send(ctx, 200, item);
        }
    }

    static JsonObject event(String type, JsonObject object) {
        return new JsonObject().put("id", "evt_" + random()).put("object", "event").put("api_version", Stripe.API_VERSION)
                .put("created", Instant.now().getEpochSecond()).put("type", type).put("livemode", false)
                .put("pending_webhooks", 1).put("data", new JsonObject().put("object", object));
    }

    private static JsonObject error(String type, String message) {
        return new JsonObject().put("error", new JsonObject().put("type", type).put("message", message));
    }

    static String random() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static String formatAmount(long minor, String currency) {
        return String.format("%s %.2f", currency.toUpperCase(), minor / 100.0);
    }

    private void seedCatalogue() {
        product("prod_local_basic", "Basic plan", "Everything a small shop needs", "price_local_basic_monthly");
        product("prod_local_pro", "Pro plan", "For shops that sell every day", "price_local_pro_monthly");
        product("prod_local_legacy", "Legacy plan", "No longer sold", "price_local_legacy_monthly").put("active", false);
        price("price_local_basic_monthly", "prod_local_basic", 50000, "month", true);
        price("price_local_pro_monthly", "prod_local_pro", 150000, "month", true);
        price("price_local_pro_yearly", "prod_local_pro", 1500000, "year", true);
        price("price_local_legacy_monthly", "prod_local_legacy", 30000, "month", false);
    }

    private JsonObject product(String id, String name, String description, String defaultPrice) {
        JsonObject product = new JsonObject().put("id", id).put("object", "product").put("name", name)
                .put("description", description).put("active", true).put("default_price", defaultPrice)
                .put("created", 1735689600L).put("livemode", false).put("metadata", new JsonObject());
        products.put(id, product);
        return product;
    }

    private void price(String id, String product, long amount, String interval, boolean active) {
        prices.put(id, new JsonObject().put("id", id).put("object", "price").put("product", product)
                .put("unit_amount", amount).put("currency", "kes").put("active", active).put("type", "recurring")
                .put("recurring", new JsonObject().put("interval", interval).put("interval_count", 1))
                .put("created", 1735689600L).put("livemode", false).put("metadata", new JsonObject()));
    }
}
