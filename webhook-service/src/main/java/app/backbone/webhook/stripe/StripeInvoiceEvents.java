package app.backbone.webhook.stripe;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import app.backbone.data.customers.CustomerMappings;
import app.backbone.data.outbox.Outbox;
import app.backbone.data.outbox.OutboxMail;
import app.backbone.data.subscriptions.SubscriptionChange;
import app.backbone.data.subscriptions.SubscriptionRecord;
import app.backbone.data.subscriptions.SubscriptionState;
import app.backbone.data.subscriptions.Subscriptions;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * What a subscription's invoice events do: {@code invoice.payment_succeeded} and {@code invoice.payment_failed} move
 * the subscription's status as a payment can (see {@link app.backbone.data.subscriptions.SubscriptionMerge}) and mail
 * the customer a receipt, or a "please update your card", once per invoice (per failed attempt). An invoice that is
 * no subscription's is only counted: a one-off payment has its own receipt.
 */
@ApplicationScoped
public class StripeInvoiceEvents {

    private final Subscriptions subscriptions;
    private final CustomerMappings customers;
    private final Outbox outbox;
    private final SubscriptionMails mails;
    private final SubscriptionCounters counters;

    public StripeInvoiceEvents(Subscriptions subscriptions, CustomerMappings customers, Outbox outbox,
            SubscriptionMails mails, SubscriptionCounters counters) {
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.outbox = outbox;
        this.mails = mails;
        this.counters = counters;
    }

    public static boolean handles(String type) {
        return type.equals("invoice.payment_succeeded") || type.equals("invoice.payment_failed");
    }

    public Uni<Void> apply(SqlClient tx, StripeEvent event) {
        boolean paid = event.type().equals("invoice.payment_succeeded");
        StripeInvoice invoice = StripeInvoice.from(event.object());
        counters.invoice(tx, paid);
        if (invoice.subscriptionId() == null || invoice.customerId() == null || invoice.id() == null) {
            Log.debugf("Stripe invoice event %s is not for a subscription; counted only", event.id());
            return done();
        }
        SubscriptionState state = SubscriptionState.fromInvoice(invoice.subscriptionId(), invoice.customerId(),
                impliedStatus(invoice, paid), invoice.priceId(), invoice.periodStart(), invoice.periodEnd(),
                event.created());
        return subscriptions.record(tx, state).flatMap(change -> {
            counters.count(tx, change);
            return paid ? receipt(tx, event, invoice) : paymentFailed(tx, event, invoice, change);
        });
    }

    /**
     * The status an invoice's payment implies: paid, {@code active} (a free invoice, as at a trial's start, implies
     * nothing); failed, {@code past_due}, except for a subscription's first invoice, which leaves it incomplete.
     */
    private static String impliedStatus(StripeInvoice invoice, boolean paid) {
        if (paid) {
            return invoice.amountPaid() != null && invoice.amountPaid() == 0 ? null : "active";
        }
        return "subscription_create".equals(invoice.billingReason()) ? null : "past_due";
    }

    private Uni<Void> receipt(SqlClient tx, StripeEvent event, StripeInvoice invoice) {
        if (invoice.amountPaid() == null || invoice.amountPaid() <= 0) {
            Log.infof("Stripe invoice %s paid nothing; no receipt (event %s)", invoice.id(), event.id());
            return done();
        }
        return mail(tx, invoice, to -> mails.receipt(to, invoice, event.created()));
    }

    private Uni<Void> paymentFailed(SqlClient tx, StripeEvent event, StripeInvoice invoice, SubscriptionChange change) {
        SubscriptionRecord subscription = change.current();
        if (subscription != null && SubscriptionRecord.isFinal(subscription.status())) {
            Log.infof("Subscription %s is %s; no card reminder for Stripe invoice %s (event %s)", subscription.id(),
                    subscription.status(), invoice.id(), event.id());
            return done();
        }
        if (subscription != null && SubscriptionRecord.isLive(subscription.status())
                && subscription.statusClock() != null
                && subscription.statusClock().isAfter(event.created())) {
            // A failed attempt delivered after a later event left the subscription paid: the card was fixed already.
            Log.infof("Subscription %s is %s since after this failure; no card reminder for Stripe invoice %s (event %s)",
                    subscription.id(), subscription.status(), invoice.id(), event.id());
            return done();
        }
        return mail(tx, invoice, to -> mails.paymentFailed(to, invoice));
    }

    /** Queues the mail to the invoice's e-mail, else the one recorded for its customer; none known, none sent. */
    private Uni<Void> mail(SqlClient tx, StripeInvoice invoice, Function<String, OutboxMail> mail) {
        String onInvoice = SubscriptionMails.address(invoice.customerEmail());
        Uni<String> address = onInvoice != null ? Uni.createFrom().item(onInvoice)
                : customers.findEmail(tx, invoice.customerId()).map(SubscriptionMails::address);
        return address.flatMap(to -> {
            if (to == null) {
                Log.warnf("No e-mail known for Stripe invoice %s (customer %s); no mail", invoice.id(),
                        invoice.customerId());
                return done();
            }
            return outbox.enqueue(tx, mail.apply(to)).replaceWithVoid();
        });
    }

    private static Uni<Void> done() {
        return Uni.createFrom().voidItem();
    }
}
