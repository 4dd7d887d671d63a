package app.backbone.local.providers;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The subscription half of the Stripe stand-in: subscriptions made by a subscription-mode Checkout, their invoices and
 * the card they were paid with, Stripe's subscription API (retrieve, update, cancel), invoices and payment methods,
 * and a billing portal page whose buttons change the plan or cancel. Every change sends the signed events Stripe
 * would, in its current API version's shapes (a subscription's period on its item, an invoice's subscription under
 * {@code parent.subscription_details}).
 */
final class StripeBilling {

    private final Map<String, JsonObject> customers;
    private final Map<String, JsonObject> products;
    private final Map<String, JsonObject> prices;
    private final WebhookSender webhooks;
    private final Map<String, JsonObject> subscriptions = new LinkedHashMap<>();
    private final Map<String, JsonObject> invoices = new LinkedHashMap<>();
    private final Map<String, JsonObject> paymentMethods = new LinkedHashMap<>();
    private final Map<String, JsonObject> portalSessions = new LinkedHashMap<>();
    private final AtomicLong invoiceNumbers = new AtomicLong();
    private String baseUrl;

    StripeBilling(Map<String, JsonObject> customers, Map<String, JsonObject> products, Map<String, JsonObject> prices,
            WebhookSender webhooks) {
        this.customers = customers;
        this.products = products;
        this.prices = prices;
        this.webhooks = webhooks;
    }

    void routes(Router router, String baseUrl) {
        this.baseUrl = baseUrl;
        router.get("/v1/subscriptions/:id").handler(ctx -> found(ctx, subscription(ctx.pathParam("id")), "subscription"));
        router.post("/v1/subscriptions/:id").handler(this::updateSubscription);
        router.delete("/v1/subscriptions/:id").handler(this::cancelSubscription);
        router.get("/v1/invoices").handler(this::listInvoices);
        router.get("/v1/invoices/:id").handler(ctx -> found(ctx, invoice(ctx.pathParam("id")), "invoice"));
        router.get("/v1/customers/:id/payment_methods").handler(this::listPaymentMethods);
        router.post("/v1/billing_portal/sessions").handler(this::createPortalSession);
        router.get("/portal/:id").handler(this::portalPage);
        router.post("/portal/:id/subscriptions/:sub/change").handler(this::portalChange);
        router.post("/portal/:id/subscriptions/:sub/cancel").handler(this::portalCancel);
        router.get("/invoice/:id").handler(this::invoicePage);
        router.get("/invoice/:id/pdf").handler(this::invoicePdf);
    }

    /**
     * "Subscribe" on a subscription-mode checkout: the card, the subscription and its first invoice (paid, or zero
     * during a trial); the session completes. Answers the events Stripe sends for it, in order.
     */
    synchronized List<JsonObject> subscribe(JsonObject session, List<JsonObject> lines, Long trialDays,
            JsonObject subscriptionMetadata) {
        List<JsonObject> events = new ArrayList<>();
        long now = Instant.now().getEpochSecond();
        String customerId = session.getString("customer");
        JsonObject customer = customerId == null ? null : customers.get(customerId);
        if (customer == null) {
            customer = new JsonObject().put("id", "cus_" + StripeStandIn.random()).put("object", "customer")
                    .put("email", session.getString("customer_email")).put("name", null)
                    .put("metadata", new JsonObject()).put("created", now).put("livemode", false)
                    .put("invoice_settings", new JsonObject().put("default_payment_method", (Object) null));
            customers.put(customer.getString("id"), customer);
            events.add(StripeStandIn.event("customer.created", customer.copy()));
        }
        String subscriptionId = "sub_" + StripeStandIn.random();
        JsonObject card = paymentMethod(customer, now);
        boolean trial = trialDays != null && trialDays > 0;
        JsonArray items = new JsonArray();
        JsonArray invoiceLines = new JsonArray();
        long total = 0;
        long periodEnd = now;
        String currency = session.getString("currency");
        for (JsonObject line : lines) {
            JsonObject price = prices.get(line.getString("price"));
            long quantity = line.getLong("quantity");
            long end = trial ? now + trialDays * 86_400 : periodEnd(now, price);
            periodEnd = Math.max(periodEnd, end);
            JsonObject item = new JsonObject().put("id", "si_" + StripeStandIn.random()).put("object", "subscription_item")
                    .put("created", now).put("price", price.copy()).put("quantity", quantity)
                    .put("subscription", subscriptionId).put("current_period_start", now)
                    .put("current_period_end", end).put("metadata", new JsonObject());
            items.add(item);
            long amount = trial ? 0 : price.getLong("unit_amount") * quantity;
            total += amount;
            invoiceLines.add(invoiceLine(subscriptionId, item, amount, now, end));
        }
        JsonObject subscription = new JsonObject().put("id", subscriptionId).put("object", "subscription")
                .put("customer", customer.getString("id")).put("status", trial ? "trialing" : "active")
                .put("created", now).put("start_date", now).put("billing_cycle_anchor", periodEnd)
                .put("cancel_at_period_end", false).put("cancel_at", (Object) null).put("canceled_at", (Object) null)
                .put("ended_at", (Object) null).put("trial_start", trial ? now : null)
                .put("trial_end", trial ? periodEnd : null).put("currency", currency)
                .put("collection_method", "charge_automatically").put("default_payment_method", card.getString("id"))
                .put("items", new JsonObject().put("object", "list").put("data", items).put("has_more", false)
                        .put("total_count", items.size()).put("url", "/v1/subscription_items?subscription=" + subscriptionId))
                .put("metadata", subscriptionMetadata == null ? new JsonObject() : subscriptionMetadata)
                .put("livemode", false);
        JsonObject invoice = invoice(customer, subscriptionId, invoiceLines, total, currency, now, "subscription_create");
        subscription.put("latest_invoice", invoice.getString("id"));
        subscriptions.put(subscriptionId, subscription);
        session.put("status", "complete").put("payment_status", trial ? "no_payment_required" : "paid")
                .put("customer", customer.getString("id")).put("subscription", subscriptionId)
                .put("invoice", invoice.getString("id")).put("amount_total", total).put("amount_subtotal", total);
        events.add(StripeStandIn.event("checkout.session.completed", session.copy()));
        events.add(StripeStandIn.event("customer.subscription.created", subscription.copy()));
        events.add(StripeStandIn.event("invoice.payment_succeeded", invoice.copy()));
        return events;
    }

    // ---- Stripe's API ----------------------------------------------------------------------------------------------

    private void updateSubscription(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        String quantity = form.get("items[0][quantity]");
        String cancelAtPeriodEnd = form.get("cancel_at_period_end");
        answer(ctx, change(ctx.pathParam("id"), form.get("items[0][price]"),
                quantity == null ? null : Long.valueOf(quantity),
                cancelAtPeriodEnd == null ? null : Boolean.valueOf(cancelAtPeriodEnd)));
    }

    private void cancelSubscription(RoutingContext ctx) {
        answer(ctx, cancelNow(ctx.pathParam("id")));
    }

    private void listInvoices(RoutingContext ctx) {
        MultiMap q = ctx.queryParams();
        String customer = q.get("customer");
        int limit = q.get("limit") == null ? 10 : Integer.parseInt(q.get("limit"));
        String after = q.get("starting_after");
        List<JsonObject> newestFirst;
        synchronized (this) {
            newestFirst = new ArrayList<>(invoices.values());
        }
        java.util.Collections.reverse(newestFirst);
        if (after != null && newestFirst.stream().noneMatch(i -> i.getString("id").equals(after))) {
            missing(ctx, "invoice", after, "starting_after");
            return;
        }
        List<JsonObject> matching = new ArrayList<>();
        boolean started = after == null;
        for (JsonObject invoice : newestFirst) {
            if (!started) {
                started = invoice.getString("id").equals(after);
                continue;
            }
            if (customer == null || customer.equals(invoice.getString("customer"))) {
                matching.add(invoice);
            }
        }
        Json.send(ctx, 200, list("/v1/invoices", matching, limit));
    }

    private void listPaymentMethods(RoutingContext ctx) {
        String customer = ctx.pathParam("id");
        if (!customers.containsKey(customer)) {
            missing(ctx, "customer", customer, "customer");
            return;
        }
        String type = ctx.queryParams().get("type");
        int limit = ctx.queryParams().get("limit") == null ? 10 : Integer.parseInt(ctx.queryParams().get("limit"));
        List<JsonObject> matching;
        synchronized (this) {
            matching = paymentMethods.values().stream()
                    .filter(pm -> customer.equals(pm.getString("customer")))
                    .filter(pm -> type == null || type.equals(pm.getString("type")))
                    .toList();
        }
        Json.send(ctx, 200, list("/v1/customers/" + customer + "/payment_methods", matching, limit));
    }

    private void createPortalSession(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        String customer = form.get("customer");
        if (customer == null || !customers.containsKey(customer)) {
            missing(ctx, "customer", customer, "customer");
            return;
        }
        String id = "bps_" + StripeStandIn.random();
        JsonObject session = new JsonObject().put("id", id).put("object", "billing_portal.session")
                .put("customer", customer).put("return_url", form.get("return_url"))
                .put("configuration", "bpc_local").put("created", Instant.now().getEpochSecond())
                .put("livemode", false).put("locale", (Object) null).put("flow", (Object) null)
                .put("url", baseUrl + "/portal/" + id);
        synchronized (this) {
            portalSessions.put(id, session);
        }
        Json.send(ctx, 200, session);
    }

    // ---- The portal page -------------------------------------------------------------------------------------------

    private void portalPage(RoutingContext ctx) {
        JsonObject session = portalSession(ctx.pathParam("id"));
        if (session == null) {
            ctx.response().setStatusCode(404).end("No such billing portal session");
            return;
        }
        String customer = session.getString("customer");
        List<JsonObject> owned;
        List<JsonObject> bills;
        List<JsonObject> cards;
        synchronized (this) {
            owned = subscriptions.values().stream().filter(s -> customer.equals(s.getString("customer")))
                    .map(JsonObject::copy).toList();
            bills = invoices.values().stream().filter(i -> customer.equals(i.getString("customer")))
                    .map(JsonObject::copy).toList();
            cards = paymentMethods.values().stream().filter(p -> customer.equals(p.getString("customer")))
                    .map(JsonObject::copy).toList();
        }
        List<JsonObject> plans = prices.values().stream()
                .filter(p -> p.getBoolean("active") && "recurring".equals(p.getString("type"))).toList();
        Json.html(ctx, PortalPage.render(session, customers.get(customer), owned, bills, cards, plans, products));
    }

    private void portalChange(RoutingContext ctx) {
        JsonObject owned = ownedThroughPortal(ctx);
        if (owned == null) {
            return;
        }
        Answer changed = change(owned.getString("id"), ctx.request().getFormAttribute("price"), null, null);
        backToPortal(ctx, changed);
    }

    private void portalCancel(RoutingContext ctx) {
        JsonObject owned = ownedThroughPortal(ctx);
        if (owned == null) {
            return;
        }
        boolean atPeriodEnd = "period_end".equals(ctx.request().getFormAttribute("when"));
        backToPortal(ctx, atPeriodEnd ? change(owned.getString("id"), null, null, true) : cancelNow(owned.getString("id")));
    }

    /** The portal session's subscription named in the path, or null once a 404 is answered. */
    private JsonObject ownedThroughPortal(RoutingContext ctx) {
        JsonObject session = portalSession(ctx.pathParam("id"));
        JsonObject subscription = subscription(ctx.pathParam("sub"));
        if (session == null || subscription == null
                || !session.getString("customer").equals(subscription.getString("customer"))) {
            ctx.response().setStatusCode(404).end("No such subscription in this portal session");
            return null;
        }
        return subscription;
    }

    /** Back to the portal page once the change's webhook was delivered, so the app already knows of it. */
    private void backToPortal(RoutingContext ctx, Answer answer) {
        if (answer.status() != 200) {
            ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "text/plain")
                    .end(answer.body().getJsonObject("error").getString("message"));
            return;
        }
        webhooks.sendStripeInOrder(answer.events()).subscribe().with(
                delivered -> ctx.response().setStatusCode(303).putHeader("Location", "/portal/" + ctx.pathParam("id"))
                        .end(),
                failure -> ctx.fail(failure));
    }

    // ---- Hosted invoice page and PDF -------------------------------------------------------------------------------

    private void invoicePage(RoutingContext ctx) {
        JsonObject invoice = invoice(ctx.pathParam("id"));
        if (invoice == null) {
            ctx.response().setStatusCode(404).end("No such invoice");
            return;
        }
        Json.html(ctx, PortalPage.invoice(invoice));
    }

    private void invoicePdf(RoutingContext ctx) {
        JsonObject invoice = invoice(ctx.pathParam("id"));
        if (invoice == null) {
            ctx.response().setStatusCode(404).end("No such invoice");
            return;
        }
        ctx.response().putHeader("Content-Type", "application/pdf")
                .putHeader("Content-Disposition", "inline; filename=\"" + invoice.getString("number") + ".pdf\"")
                .end(io.vertx.core.buffer.Buffer.buffer(PortalPage.invoicePdf(invoice)));
    }

    // ---- Changes -----------------------------------------------------------------------------------------------------

    /** An API answer, and the events to send once it is given. */
    record Answer(int status, JsonObject body, List<JsonObject> events) {
    }

    /** Moves the one item to another price or seat count, or sets {@code cancel_at_period_end}. */
    private synchronized Answer change(String id, String priceId, Long quantity, Boolean cancelAtPeriodEnd) {
        JsonObject subscription = subscriptions.get(id);
        if (subscription == null) {
            return missingAnswer("subscription", id, "id");
        }
        if ("canceled".equals(subscription.getString("status"))) {
            return new Answer(400, error("A canceled subscription can only update its cancellation_details and "
                    + "metadata.", null), List.of());
        }
        JsonObject price = null;
        if (priceId != null) {
            price = prices.get(priceId);
            if (price == null || !price.getBoolean("active") || !"recurring".equals(price.getString("type"))) {
                return new Answer(400, error("No such active recurring price: '" + priceId + "'", "items[0][price]"),
                        List.of());
            }
        }
        JsonObject previous = new JsonObject();
        JsonObject itemsBefore = subscription.getJsonObject("items").copy();
        JsonObject item = subscription.getJsonObject("items").getJsonArray("data").getJsonObject(0);
        if (price != null && !price.getString("id").equals(item.getJsonObject("price").getString("id"))) {
            previous.put("items", itemsBefore);
            item.put("price", price.copy());
        }
        if (quantity != null && quantity != item.getLong("quantity").longValue()) {
            previous.put("items", itemsBefore);
            item.put("quantity", quantity);
        }
        if (cancelAtPeriodEnd != null && cancelAtPeriodEnd != subscription.getBoolean("cancel_at_period_end")) {
            previous.put("cancel_at_period_end", subscription.getBoolean("cancel_at_period_end"))
                    .put("cancel_at", subscription.getValue("cancel_at"))
                    .put("canceled_at", subscription.getValue("canceled_at"));
            subscription.put("cancel_at_period_end", cancelAtPeriodEnd)
                    .put("cancel_at", cancelAtPeriodEnd ? item.getLong("current_period_end") : null)
                    .put("canceled_at", cancelAtPeriodEnd ? Instant.now().getEpochSecond() : null)
                    .put("cancellation_details", new JsonObject()
                            .put("reason", cancelAtPeriodEnd ? "cancellation_requested" : null));
        }
        if (previous.isEmpty()) {
            return new Answer(200, subscription.copy(), List.of());
        }
        return new Answer(200, subscription.copy(), List.of(StripeStandIn.event("customer.subscription.updated",
                subscription.copy()).put("data", new JsonObject().put("object", subscription.copy())
                        .put("previous_attributes", previous))));
    }

    /** Ends the subscription now. */
    private synchronized Answer cancelNow(String id) {
        JsonObject subscription = subscriptions.get(id);
        if (subscription == null) {
            return missingAnswer("subscription", id, "id");
        }
        if ("canceled".equals(subscription.getString("status"))) {
            return new Answer(200, subscription.copy(), List.of());
        }
        long now = Instant.now().getEpochSecond();
        subscription.put("status", "canceled").put("canceled_at", now).put("ended_at", now)
                .put("cancellation_details", new JsonObject().put("reason", "cancellation_requested"));
        return new Answer(200, subscription.copy(),
                List.of(StripeStandIn.event("customer.subscription.deleted", subscription.copy())));
    }

    private void answer(RoutingContext ctx, Answer answer) {
        Json.send(ctx, answer.status(), answer.body());
        if (!answer.events().isEmpty()) {
            webhooks.sendStripeInOrder(answer.events()).subscribe().with(delivered -> { }, failure -> { });
        }
    }

    // ---- Objects -----------------------------------------------------------------------------------------------------

    private JsonObject paymentMethod(JsonObject customer, long now) {
        JsonObject card = new JsonObject().put("id", "pm_" + StripeStandIn.random()).put("object", "payment_method")
                .put("type", "card").put("customer", customer.getString("id")).put("created", now)
                .put("livemode", false)
                .put("billing_details", new JsonObject().put("email", customer.getString("email")))
                .put("card", new JsonObject().put("brand", "visa").put("display_brand", "visa").put("last4", "4242")
                        .put("exp_month", 12).put("exp_year", Year.now().getValue() + 3).put("funding", "credit")
                        .put("country", "US"));
        paymentMethods.put(card.getString("id"), card);
        JsonObject settings = customer.getJsonObject("invoice_settings");
        if (settings == null) {
            settings = new JsonObject();
            customer.put("invoice_settings", settings);
        }
        settings.put("default_payment_method", card.getString("id"));
        return card;
    }

    private JsonObject invoice(JsonObject customer, String subscriptionId, JsonArray lines, long total, String currency,
            long now, String reason) {
        String id = "in_" + StripeStandIn.random();
        JsonObject invoice = new JsonObject().put("id", id).put("object", "invoice")
                .put("customer", customer.getString("id")).put("customer_email", customer.getString("email"))
                .put("number", "LOCAL-" + String.format("%04d", invoiceNumbers.incrementAndGet()))
                .put("status", "paid").put("currency", currency).put("subtotal", total).put("total", total)
                .put("amount_due", total).put("amount_paid", total).put("amount_remaining", 0)
                .put("created", now).put("period_start", now).put("period_end", now).put("billing_reason", reason)
                .put("collection_method", "charge_automatically")
                .put("status_transitions", new JsonObject().put("finalized_at", now).put("paid_at", now))
                .put("hosted_invoice_url", baseUrl + "/invoice/" + id)
                .put("invoice_pdf", baseUrl + "/invoice/" + id + "/pdf")
                .put("parent", new JsonObject().put("type", "subscription_details").put("subscription_details",
                        new JsonObject().put("subscription", subscriptionId).put("metadata", new JsonObject())))
                .put("lines", new JsonObject().put("object", "list").put("data", lines).put("has_more", false)
                        .put("total_count", lines.size()).put("url", "/v1/invoices/" + id + "/lines"))
                .put("livemode", false);
        invoices.put(id, invoice);
        return invoice;
    }

    private JsonObject invoiceLine(String subscriptionId, JsonObject item, long amount, long start, long end) {
        JsonObject price = item.getJsonObject("price");
        JsonObject product = products.get(price.getString("product"));
        return new JsonObject().put("id", "il_" + StripeStandIn.random()).put("object", "line_item")
                .put("amount", amount).put("currency", price.getString("currency"))
                .put("description", item.getLong("quantity") + " × " + (product == null ? price.getString("id")
                        : product.getString("name")))
                .put("quantity", item.getLong("quantity"))
                .put("period", new JsonObject().put("start", start).put("end", end))
                .put("pricing", new JsonObject().put("type", "price_details").put("price_details", new JsonObject()
                        .put("price", price.getString("id")).put("product", price.getString("product"))))
                .put("parent", new JsonObject().put("type", "subscription_item_details").put("subscription_item_details",
                        new JsonObject().put("subscription", subscriptionId).put("subscription_item", item.getString("id"))
                                .put("proration", false)));
    }

    private static long periodEnd(long start, JsonObject price) {
        JsonObject recurring = price.getJsonObject("recurring");
        OffsetDateTime from = OffsetDateTime.ofInstant(Instant.ofEpochSecond(start), ZoneOffset.UTC);
        int count = recurring.getInteger("interval_count", 1);
        OffsetDateTime to = switch (recurring.getString("interval")) {
            case "day" -> from.plusDays(count);
            case "week" -> from.plusWeeks(count);
            case "year" -> from.plusYears(count);
            default -> from.plusMonths(count);
        };
        return to.toEpochSecond();
    }

    private synchronized JsonObject subscription(String id) {
        JsonObject subscription = subscriptions.get(id);
        return subscription == null ? null : subscription.copy();
    }

    private synchronized JsonObject invoice(String id) {
        JsonObject invoice = invoices.get(id);
        return invoice == null ? null : invoice.copy();
    }

    private synchronized JsonObject portalSession(String id) {
        return portalSessions.get(id);
    }

    private static JsonObject list(String url, List<JsonObject> matching, int limit) {
        JsonArray data = new JsonArray();
        matching.stream().limit(limit).forEach(data::add);
        return new JsonObject().put("object", "list").put("url", url).put("data", data)
                .put("has_more", matching.size() > limit);
    }

    private static void found(RoutingContext ctx, JsonObject item, String what) {
        if (item == null) {
            missing(ctx, what, ctx.pathParam("id"), "id");
        } else {
            Json.send(ctx, 200, item);
        }
    }

    private static void missing(RoutingContext ctx, String what, String id, String param) {
        Answer answer = missingAnswer(what, id, param);
        Json.send(ctx, answer.status(), answer.body());
    }

    private static Answer missingAnswer(String what, String id, String param) {
        JsonObject error = error("No such " + what + ": '" + id + "'", param);
        error.getJsonObject("error").put("code", "resource_missing");
        return new Answer(404, error, List.of());
    }

    private static JsonObject error(String message, String param) {
        JsonObject error = new JsonObject().put("type", "invalid_request_error").put("message", message);
        if (param != null) {
            error.put("param", param);
        }
        return new JsonObject().put("error", error);
    }
}
