package app.backbone.webhook.stripe;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.webhook.events.JsonFields;

/**
 * The parts of a Stripe invoice the service reads, in both shapes of API version 2025-03-31 (the subscription under
 * {@code parent.subscription_details}, a line's price under {@code pricing.price_details}). Amounts are in the
 * currency's minor units (null when Stripe sent none); the price and period are the first line's.
 */
record StripeInvoice(String id, String number, String customerId, String customerEmail, String subscriptionId,
        Long amountPaid, Long amountDue, String currency, String hostedInvoiceUrl, String invoicePdfUrl,
        Long attemptCount, OffsetDateTime nextPaymentAttempt, OffsetDateTime paidAt, String billingReason,
        String priceId, OffsetDateTime periodStart, OffsetDateTime periodEnd) {

    static StripeInvoice from(JsonNode invoice) {
        String subscriptionId = JsonFields.id(invoice, "subscription");
        if (subscriptionId == null) {
            subscriptionId = JsonFields.id(invoice, "parent", "subscription_details", "subscription");
        }
        JsonNode line = JsonFields.first(invoice, "lines", "data");
        String priceId = null;
        OffsetDateTime periodStart = null;
        OffsetDateTime periodEnd = null;
        if (line != null) {
            priceId = JsonFields.id(line, "price");
            if (priceId == null) {
                priceId = JsonFields.text(line, "pricing", "price_details", "price");
            }
            periodStart = JsonFields.epochSeconds(line, "period", "start");
            periodEnd = JsonFields.epochSeconds(line, "period", "end");
        }
        return new StripeInvoice(JsonFields.text(invoice, "id"), JsonFields.text(invoice, "number"),
                JsonFields.id(invoice, "customer"), JsonFields.text(invoice, "customer_email"), subscriptionId,
                JsonFields.number(invoice, "amount_paid"), JsonFields.number(invoice, "amount_due"),
                JsonFields.text(invoice, "currency"), JsonFields.text(invoice, "hosted_invoice_url"),
                JsonFields.text(invoice, "invoice_pdf"), JsonFields.number(invoice, "attempt_count"),
                JsonFields.epochSeconds(invoice, "next_payment_attempt"),
                JsonFields.epochSeconds(invoice, "status_transitions", "paid_at"),
                JsonFields.text(invoice, "billing_reason"), priceId, periodStart, periodEnd);
    }
}
