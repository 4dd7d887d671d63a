package app.backbone.payment.billing;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.common.api.ApiResponse;
import app.backbone.payment.auth.ClerkUsers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/stripe")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@APIResponse(responseCode = "401", description = "UNAUTHORIZED: no, malformed, expired or foreign Clerk token")
@APIResponse(responseCode = "502", description = "PROVIDER_ERROR: Stripe failed")
public class BillingResource {

    private final BillingService service;
    private final ClerkUsers users;

    public BillingResource(BillingService service, ClerkUsers users) {
        this.service = service;
        this.users = users;
    }

    @POST
    @Path("/portal")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A Stripe billing portal session for the caller's customer (cards, invoices, plan)")
    @APIResponse(responseCode = "201", description = "{url}")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR: returnUrl is not on one of the app's origins")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: the caller has no Stripe customer yet")
    public Uni<Response> portal(@Valid PortalRequest request) {
        PortalRequest body = request == null ? new PortalRequest(null) : request;
        return users.required()
                .flatMap(user -> service.portal(user, body))
                .map(session -> Response.status(Response.Status.CREATED).entity(ApiResponse.of(session)).build());
    }

    @GET
    @Path("/invoices")
    @Operation(summary = "The caller's invoices, newest first; limit 1 to 100 (default 10), starting_after pages")
    @APIResponse(responseCode = "200", description = "list of {id, number, status, currency, total, amountDue, amountPaid, hostedInvoiceUrl, invoicePdf, created, periodStart, periodEnd, subscriptionId}, with count and hasMore")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR: a bad query parameter")
    public Uni<ApiResponse<List<InvoiceView>>> invoices(@QueryParam("limit") String limit,
            @QueryParam("starting_after") String startingAfter, @QueryParam("startingAfter") String startingAfterAlias) {
        InvoiceQuery query = InvoiceQuery.parse(limit, startingAfter != null ? startingAfter : startingAfterAlias);
        return users.required()
                .flatMap(user -> service.invoices(user, query))
                .map(page -> ApiResponse.list(page.invoices(), page.hasMore()));
    }

    @GET
    @Path("/invoices/{id}")
    @Operation(summary = "One of the caller's invoices")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: the caller has no such invoice")
    public Uni<ApiResponse<InvoiceView>> invoice(@PathParam("id") String id) {
        return users.required().flatMap(user -> service.invoice(user, id)).map(ApiResponse::of);
    }

    @GET
    @Path("/payment-methods")
    @Operation(summary = "The caller's saved cards, read-only (changes go through the billing portal)")
    @APIResponse(responseCode = "200", description = "list of {id, brand, last4, expMonth, expYear, default}, with count and hasMore")
    public Uni<ApiResponse<List<PaymentMethodView>>> paymentMethods() {
        return users.required().flatMap(service::paymentMethods)
                .map(found -> ApiResponse.list(found.methods(), found.hasMore()));
    }
}
