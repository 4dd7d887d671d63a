package app.backbone.local.providers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonObject;

/**
 * The local billing portal (what Stripe's hosted portal does for a customer): each subscription with "change plan",
 * "cancel at period end" and "cancel now", the saved cards and the invoices; and an invoice's hosted page and PDF.
 */
final class PortalPage {

    private PortalPage() {
    }

    static String render(JsonObject session, JsonObject customer, List<JsonObject> subscriptions,
            List<JsonObject> invoices, List<JsonObject> cards, List<JsonObject> plans, Map<String, JsonObject> products) {
        String base = "/portal/" + session.getString("id");
        StringBuilder subs = new StringBuilder();
        for (JsonObject sub : subscriptions) {
            JsonObject item = sub.getJsonObject("items").getJsonArray("data").getJsonObject(0);
            JsonObject price = item.getJsonObject("price");
            String status = sub.getString("status");
            subs.append("<section class=\"subscription\" id=\"").append(Json.escape(sub.getString("id"))).append("\">")
                    .append("<h3>").append(Json.escape(planName(price, products))).append(" &middot; ")
                    .append(Json.escape(pricePerInterval(price))).append("</h3>")
                    .append("<p>Status: <b class=\"status\">").append(Json.escape(status)).append("</b>, ")
                    .append(item.getLong("quantity")).append(" seat(s), current period ends ")
                    .append(date(item.getLong("current_period_end"))).append("</p>");
            if (Boolean.TRUE.equals(sub.getBoolean("cancel_at_period_end"))) {
                subs.append("<p class=\"ending\">Ends at the end of this period.</p>");
            }
            if (!"canceled".equals(status) && !"incomplete_expired".equals(status)) {
                String action = base + "/subscriptions/" + Json.escape(sub.getString("id"));
                StringBuilder options = new StringBuilder();
                for (JsonObject plan : plans) {
                    if (!plan.getString("id").equals(price.getString("id"))) {
                        options.append("<option value=\"").append(Json.escape(plan.getString("id"))).append("\">")
                                .append(Json.escape(planName(plan, products) + " · " + pricePerInterval(plan)))
                                .append("</option>");
                    }
                }
                subs.append("<form method=\"post\" action=\"").append(action).append("/change\">")
                        .append("<select name=\"price\" id=\"new-plan\">").append(options).append("</select> ")
                        .append("<button id=\"change-plan\">Change plan</button></form>");
                if (!Boolean.TRUE.equals(sub.getBoolean("cancel_at_period_end"))) {
                    subs.append("<form method=\"post\" action=\"").append(action).append("/cancel\" style=\"display:inline\">")
                            .append("<input type=\"hidden\" name=\"when\" value=\"period_end\">")
                            .append("<button id=\"cancel-at-period-end\">Cancel at period end</button></form> ");
                }
                subs.append("<form method=\"post\" action=\"").append(action).append("/cancel\" style=\"display:inline\">")
                        .append("<input type=\"hidden\" name=\"when\" value=\"now\">")
                        .append("<button id=\"cancel-now\">Cancel now</button></form>");
            }
            subs.append("</section>");
        }
        if (subscriptions.isEmpty()) {
            subs.append("<p>No subscriptions.</p>");
        }
        StringBuilder cardRows = new StringBuilder();
        for (JsonObject card : cards) {
            JsonObject details = card.getJsonObject("card");
            cardRows.append("<li>").append(Json.escape(details.getString("brand"))).append(" ending ")
                    .append(Json.escape(details.getString("last4"))).append(", expires ")
                    .append(details.getInteger("exp_month")).append("/").append(details.getInteger("exp_year"))
                    .append("</li>");
        }
        StringBuilder invoiceRows = new StringBuilder();
        for (JsonObject invoice : invoices) {
            invoiceRows.append("<li><a href=\"").append(Json.escape(invoice.getString("hosted_invoice_url"))).append("\">")
                    .append(Json.escape(invoice.getString("number"))).append("</a> ")
                    .append(Json.escape(StripeStandIn.formatAmount(invoice.getLong("total"), invoice.getString("currency"))))
                    .append(" ").append(Json.escape(invoice.getString("status"))).append("</li>");
        }
        String returnUrl = session.getString("return_url");
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Billing portal (local)</title>
                <style>body{font-family:sans-serif;max-width:40em;margin:3em auto}button{margin:.3em}
                section{border:1px solid #ccc;padding:.5em 1em;margin:1em 0}</style>
                </head><body>
                <h1>Billing portal (local)</h1>
                <p>For %1$s. No money moves here: each button sends the signed webhook the real Stripe would send
                (customer.subscription.updated or customer.subscription.deleted).</p>
                <h2>Subscriptions</h2>
                %2$s
                <h2>Cards</h2><ul>%3$s</ul>
                <h2>Invoices</h2><ul>%4$s</ul>
                %5$s
                </body></html>
                """.formatted(Json.escape(customer == null ? session.getString("customer")
                        : customer.getString("email") == null ? customer.getString("id") : customer.getString("email")),
                subs, cardRows, invoiceRows,
                returnUrl == null ? "" : "<p><a id=\"return\" href=\"" + Json.escape(returnUrl) + "\">Return to the app</a></p>");
    }

    static String invoice(JsonObject invoice) {
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Invoice %1$s</title>
                <style>body{font-family:sans-serif;max-width:32em;margin:3em auto}</style></head><body>
                <h1>Invoice %1$s</h1>
                <table><tr><th align="left">Amount</th><td>%2$s</td></tr>
                <tr><th align="left">Status</th><td>%3$s</td></tr>
                <tr><th align="left">Date</th><td>%4$s</td></tr></table>
                <p><a href="%5$s">Download PDF</a></p>
                </body></html>
                """.formatted(Json.escape(invoice.getString("number")),
                Json.escape(StripeStandIn.formatAmount(invoice.getLong("total"), invoice.getString("currency"))),
                Json.escape(invoice.getString("status")), date(invoice.getLong("created")),
                Json.escape(invoice.getString("invoice_pdf")));
    }

    /** A one-page PDF naming the invoice, its amount and status. */
    static byte[] invoicePdf(JsonObject invoice) {
        String text = ("Invoice " + invoice.getString("number") + " - "
                + StripeStandIn.formatAmount(invoice.getLong("total"), invoice.getString("currency")) + " - "
                + invoice.getString("status")).replaceAll("[()\\\\]", "");
        String stream = "BT /F1 14 Tf 72 720 Td (" + text + ") Tj ET";
        String[] objects = {
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
                        + " /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        int[] offsets = new int[objects.length];
        for (int i = 0; i < objects.length; i++) {
            offsets[i] = pdf.length();
            pdf.append(i + 1).append(" 0 obj\n").append(objects[i]).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.length + 1).append("\n0000000000 65535 f \n");
        for (int offset : offsets) {
            pdf.append(String.format("%010d 00000 n \n", offset));
        }
        pdf.append("trailer\n<< /Size ").append(objects.length + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static String planName(JsonObject price, Map<String, JsonObject> products) {
        Object product = price.getValue("product");
        JsonObject found = product instanceof String id ? products.get(id) : (JsonObject) product;
        return found == null ? price.getString("id") : found.getString("name");
    }

    static String pricePerInterval(JsonObject price) {
        JsonObject recurring = price.getJsonObject("recurring");
        String amount = StripeStandIn.formatAmount(price.getLong("unit_amount"), price.getString("currency"));
        return recurring == null ? amount : amount + " / " + recurring.getString("interval");
    }

    private static String date(Long epochSeconds) {
        return epochSeconds == null ? "" : LocalDate.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC).toString();
    }
}
