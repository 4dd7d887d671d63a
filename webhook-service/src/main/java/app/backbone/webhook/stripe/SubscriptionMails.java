package app.backbone.webhook.stripe;

import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import app.backbone.data.outbox.MailConfig;
import app.backbone.data.outbox.OutboxMail;
import app.backbone.data.payments.Currencies;
import app.backbone.data.subscriptions.SubscriptionRecord;
import app.backbone.webhook.WebhookConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * The mails Stripe's subscription and invoice events send, through the outbox. Each has a dedupe key naming what it is
 * about, so it is queued once however often the word arrives. They carry amounts, dates, an invoice number and links
 * Stripe made for the customer (the hosted invoice page and its PDF), and the app's billing page; no id of ours or
 * Stripe's, no card data, nothing secret.
 */
@ApplicationScoped
public class SubscriptionMails {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final int MAX_ADDRESS = 255;

    private final MailConfig mail;
    private final String billingPageUrl;

    public SubscriptionMails(MailConfig mail, WebhookConfig config) {
        this.mail = mail;
        this.billingPageUrl = config.mail().billingPageUrl().map(URI::toString).orElse(null);
    }

    void checkConfiguration(@Observes StartupEvent event) {
        if (billingPageUrl != null && link(billingPageUrl) == null) {
            throw new IllegalStateException("BILLING_PAGE_URL must be an absolute http(s) URL, not " + billingPageUrl);
        }
    }

    /** The address if it can be mailed (the outbox holds 255 characters), else null. */
    static String address(String email) {
        return email != null && email.length() <= MAX_ADDRESS && email.indexOf('@') > 0 ? email : null;
    }

    OutboxMail receipt(String to, StripeInvoice invoice, OffsetDateTime paidAt) {
        Map<String, Object> model = invoiceModel(invoice, invoice.amountPaid());
        model.put("paidOn", day(invoice.paidAt() != null ? invoice.paidAt() : paidAt));
        if (invoice.periodStart() != null && invoice.periodEnd() != null) {
            model.put("periodStart", day(invoice.periodStart()));
            model.put("periodEnd", day(invoice.periodEnd()));
        }
        putLink(model, "invoicePdfUrl", invoice.invoicePdfUrl());
        return new OutboxMail("invoice-receipt:" + invoice.id(), to, null, "Your subscription payment receipt",
                "invoice-receipt", model);
    }

    OutboxMail paymentFailed(String to, StripeInvoice invoice) {
        Map<String, Object> model = invoiceModel(invoice, invoice.amountDue());
        if (invoice.nextPaymentAttempt() != null) {
            model.put("nextAttempt", day(invoice.nextPaymentAttempt()));
        }
        putLink(model, "billingPageUrl", billingPageUrl);
        // One mail per failed attempt: Stripe retries, and each failure is news to the customer.
        String attempt = invoice.attemptCount() == null ? "" : ":" + invoice.attemptCount();
        return new OutboxMail("invoice-payment-failed:" + invoice.id() + attempt, to, null,
                "Please update your card", "invoice-payment-failed", model);
    }

    OutboxMail trialEnding(String to, SubscriptionRecord subscription) {
        Map<String, Object> model = new HashMap<>();
        model.put("trialEnd", day(subscription.trialEnd()));
        model.put("endsWithTrial", subscription.cancellationScheduled());
        model.put("company", mail.companyName());
        putLink(model, "billingPageUrl", billingPageUrl);
        return new OutboxMail("subscription-trial-ending:" + subscription.id() + ":"
                + subscription.trialEnd().toEpochSecond(), to, null, "Your free trial ends soon",
                "subscription-trial-ending", model);
    }

    private Map<String, Object> invoiceModel(StripeInvoice invoice, Long minorAmount) {
        Map<String, Object> model = new HashMap<>();
        model.put("number", invoice.number() != null ? invoice.number() : "-");
        String currency = invoice.currency() == null ? "" : invoice.currency().toUpperCase(Locale.ROOT);
        model.put("amount", minorAmount == null || currency.isEmpty() ? "-" : Currencies.display(minorAmount, currency));
        model.put("currency", currency);
        model.put("company", mail.companyName());
        putLink(model, "hostedInvoiceUrl", invoice.hostedInvoiceUrl());
        return model;
    }

    private static String day(OffsetDateTime time) {
        return DAY.format(time.withOffsetSameInstant(ZoneOffset.UTC)) + " (UTC)";
    }

    private static void putLink(Map<String, Object> model, String key, String url) {
        String link = link(url);
        if (link != null) {
            model.put(key, link);
        }
    }

    /** The URL if it is an absolute http(s) link, else null: a mail links nowhere else. */
    static String link(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null ? url : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
