package app.backbone.payment.billing;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.param.CustomerPaymentMethodListParams;
import com.stripe.param.InvoiceListParams;

import app.backbone.common.api.ApiException;
import app.backbone.payment.auth.ClerkUser;
import app.backbone.payment.customers.CustomerService;
import app.backbone.payment.providers.ProviderFailure;
import app.backbone.payment.providers.StripeConnector;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * What Stripe keeps about the caller's billing, always for the caller's own customer: the billing portal, invoices and
 * saved cards. A caller without a Stripe customer has no invoices or cards (Stripe is not asked) and no portal.
 */
@ApplicationScoped
public class BillingService {

    /** Cards listed at most; a customer with more manages them in the portal. */
    private static final long MAX_PAYMENT_METHODS = 100;

    private final CustomerService customers;
    private final ReturnUrls returnUrls;
    private final StripeConnector stripe;

    public BillingService(CustomerService customers, ReturnUrls returnUrls, StripeConnector stripe) {
        this.customers = customers;
        this.returnUrls = returnUrls;
        this.stripe = stripe;
    }

    /** One page of invoices, newest first. */
    public record InvoicePage(List<InvoiceView> invoices, boolean hasMore) {
    }

    /** The caller's cards, and whether Stripe holds more than are listed. */
    public record PaymentMethods(List<PaymentMethodView> methods, boolean hasMore) {
    }

    public Uni<PortalSession> portal(ClerkUser user, PortalRequest request) {
        String returnUrl = returnUrls.portalReturn(request.returnUrl());
        return customers.existingCustomerId(user).flatMap(customer -> {
            if (customer == null) {
                return Uni.createFrom().failure(ApiException.notFound(
                        "You have no Stripe customer yet: subscribe first (POST /stripe/checkout)"));
            }
            return stripe.createPortalSession(com.stripe.param.billingportal.SessionCreateParams.builder()
                            .setCustomer(customer).setReturnUrl(returnUrl).build())
                    .map(session -> {
                        String url = session.path("url").asText(null);
                        if (url == null) {
                            throw new ProviderFailure("Stripe did not open a billing portal session", null);
                        }
                        Log.infof("Billing portal session opened for user %s", user.id());
                        return new PortalSession(url);
                    });
        });
    }

    public Uni<InvoicePage> invoices(ClerkUser user, InvoiceQuery query) {
        return customers.existingCustomerId(user).flatMap(customer -> {
            if (customer == null) {
                return Uni.createFrom().item(new InvoicePage(List.of(), false));
            }
            InvoiceListParams.Builder params = InvoiceListParams.builder().setCustomer(customer)
                    .setLimit((long) query.limit());
            if (query.startingAfter() != null) {
                params.setStartingAfter(query.startingAfter());
            }
            return stripe.listInvoices(params.build()).map(answer -> {
                if (answer.missing()) {
                    // Stripe answers resource_missing for a starting_after id it does not know.
                    throw ApiException.validation("starting_after", "names no invoice Stripe knows");
                }
                List<InvoiceView> invoices = new ArrayList<>();
                for (JsonNode invoice : data(answer.body())) {
                    // Stripe filtered by the customer; a stray one is never shown.
                    if (customer.equals(InvoiceView.customerOf(invoice))) {
                        invoices.add(InvoiceView.from(invoice));
                    }
                }
                return new InvoicePage(invoices, answer.body().path("has_more").asBoolean(false));
            });
        });
    }

    /** The invoice, if it is the caller's; another customer's is answered exactly like one that does not exist. */
    public Uni<InvoiceView> invoice(ClerkUser user, String id) {
        if (id == null || !InvoiceQuery.INVOICE_ID.matcher(id).matches()) {
            return Uni.createFrom().failure(ApiException.notFound("No such invoice"));
        }
        return customers.existingCustomerId(user).flatMap(customer -> customer == null
                ? Uni.createFrom().failure(ApiException.notFound("No such invoice"))
                : stripe.retrieveInvoice(id).map(found -> found
                        .filter(invoice -> customer.equals(InvoiceView.customerOf(invoice)))
                        .map(InvoiceView::from)
                        .orElseThrow(() -> ApiException.notFound("No such invoice"))));
    }

    /** The caller's cards, the customer's default one marked. */
    public Uni<PaymentMethods> paymentMethods(ClerkUser user) {
        return customers.existingCustomerId(user).flatMap(customer -> {
            if (customer == null) {
                return Uni.createFrom().item(new PaymentMethods(List.of(), false));
            }
            Uni<JsonNode> cards = stripe.listPaymentMethods(customer, CustomerPaymentMethodListParams.builder()
                    .setType(CustomerPaymentMethodListParams.Type.CARD).setLimit(MAX_PAYMENT_METHODS).build());
            return Uni.combine().all().unis(stripe.retrieveCustomer(customer), cards).asTuple().map(both -> {
                String defaultId = defaultPaymentMethod(both.getItem1());
                List<PaymentMethodView> methods = new ArrayList<>();
                for (JsonNode method : data(both.getItem2())) {
                    methods.add(PaymentMethodView.from(method, defaultId));
                }
                return new PaymentMethods(methods, both.getItem2().path("has_more").asBoolean(false));
            });
        });
    }

    /** The customer's default for invoices (subscriptions use it), else its legacy default source. */
    private static String defaultPaymentMethod(JsonNode customer) {
        JsonNode method = customer.path("invoice_settings").path("default_payment_method");
        if (method.isObject()) {
            method = method.path("id");
        }
        if (method.isTextual()) {
            return method.asText();
        }
        JsonNode source = customer.path("default_source");
        return source.isTextual() ? source.asText() : source.path("id").asText(null);
    }

    private static JsonNode data(JsonNode list) {
        JsonNode data = list.path("data");
        if (!data.isArray()) {
            throw new ProviderFailure("Stripe answered a list without data", null);
        }
        return data;
    }
}
