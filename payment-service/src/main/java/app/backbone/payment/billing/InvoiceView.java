package app.backbone.payment.billing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One of the caller's invoices: amounts in the currency's minor units (as Stripe gives them), Stripe's hosted page and
 * PDF, and the service period (the subscription line's, else the invoice's own).
 */
public record InvoiceView(String id, String number, String status, String currency, Long total, Long amountDue,
        Long amountPaid, String hostedInvoiceUrl, String invoicePdf, OffsetDateTime created,
        OffsetDateTime periodStart, OffsetDateTime periodEnd, String subscriptionId) {

    static InvoiceView from(JsonNode invoice) {
        JsonNode line = invoice.path("lines").path("data").path(0);
        JsonNode period = line.path("period");
        OffsetDateTime start = time(period.path("start"));
        OffsetDateTime end = time(period.path("end"));
        if (start == null || end == null) {
            start = time(invoice.path("period_start"));
            end = time(invoice.path("period_end"));
        }
        return new InvoiceView(text(invoice.path("id")), text(invoice.path("number")), text(invoice.path("status")),
                text(invoice.path("currency")), number(invoice.path("total")), number(invoice.path("amount_due")),
                number(invoice.path("amount_paid")), text(invoice.path("hosted_invoice_url")),
                text(invoice.path("invoice_pdf")), time(invoice.path("created")), start, end, subscription(invoice));
    }

    /** The invoice's customer id, expanded or not. */
    static String customerOf(JsonNode invoice) {
        return id(invoice.path("customer"));
    }

    /** The subscription moved under {@code parent.subscription_details} in API version 2025-03-31. */
    private static String subscription(JsonNode invoice) {
        String id = id(invoice.path("subscription"));
        return id != null ? id : id(invoice.path("parent").path("subscription_details").path("subscription"));
    }

    private static String id(JsonNode node) {
        return node.isObject() ? text(node.path("id")) : text(node);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Long number(JsonNode node) {
        return node.canConvertToLong() ? node.asLong() : null;
    }

    private static OffsetDateTime time(JsonNode epochSeconds) {
        return epochSeconds.canConvertToLong()
                ? OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds.asLong()), ZoneOffset.UTC) : null;
    }
}
