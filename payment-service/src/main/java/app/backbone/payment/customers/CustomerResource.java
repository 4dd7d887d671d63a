package app.backbone.payment.customers;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.common.api.ApiResponse;
import app.backbone.data.subscriptions.SubscriptionView;
import app.backbone.payment.auth.ClerkUsers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/stripe")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@APIResponse(responseCode = "401", description = "UNAUTHORIZED: no, malformed, expired or foreign Clerk token")
public class CustomerResource {

    private final CustomerService service;
    private final ClerkUsers users;

    public CustomerResource(CustomerService service, ClerkUsers users) {
        this.service = service;
        this.users = users;
    }

    /** The answer of GET /stripe/subscription. */
    public record Subscriptions(boolean active, List<SubscriptionView> subscriptions) {
    }

    @POST
    @Path("/customer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The caller's Stripe customer, created on the first call (one per Clerk user)")
    @APIResponse(responseCode = "201", description = "Created: {data: customer, created: true}")
    @APIResponse(responseCode = "200", description = "Already mapped: {data: customer, created: false}")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR or INVALID_JSON")
    @APIResponse(responseCode = "409", description = "CONFLICT: another request is still creating this user's customer")
    @APIResponse(responseCode = "502", description = "PROVIDER_ERROR: Stripe failed")
    public Uni<Response> customer(@Valid CustomerRequest request) {
        CustomerRequest body = request == null ? new CustomerRequest(null, null, null) : request;
        return users.required()
                .flatMap(user -> service.ensureCustomer(user, body))
                .map(result -> Response.status(result.created() ? 201 : 200)
                        .entity(ApiResponse.created(result.customer(), result.created())).build());
    }

    @GET
    @Path("/subscription")
    @Operation(summary = "The caller's subscriptions, as recorded from Stripe's webhooks, and whether one is active")
    @APIResponse(responseCode = "200", description = "{active, subscriptions: [{id, status, priceId, customerId, currentPeriodEnd, updatedAt}]}")
    public Uni<ApiResponse<Subscriptions>> subscription() {
        return users.required()
                .flatMap(service::subscriptions)
                .map(found -> ApiResponse.of(new Subscriptions(found.stream().anyMatch(SubscriptionView::isActive),
                        found)));
    }
}
