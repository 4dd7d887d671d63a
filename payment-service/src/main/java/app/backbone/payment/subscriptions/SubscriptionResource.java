package app.backbone.payment.subscriptions;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ApiResponse;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.IdempotentCreation;
import app.backbone.data.subscriptions.SubscriptionView;
import app.backbone.payment.auth.ClerkUsers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/stripe")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@APIResponse(responseCode = "401", description = "UNAUTHORIZED: no, malformed, expired or foreign Clerk token")
public class SubscriptionResource {

    private final SubscriptionCheckouts checkouts;
    private final SubscriptionService service;
    private final ClerkUsers users;

    public SubscriptionResource(SubscriptionCheckouts checkouts, SubscriptionService service, ClerkUsers users) {
        this.checkouts = checkouts;
        this.service = service;
        this.users = users;
    }

    @POST
    @Path("/checkout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a subscription: a Stripe Checkout session in subscription mode for the caller's customer")
    @APIResponse(responseCode = "201", description = "{url, sessionId}; header Idempotent-Replayed: true on a replay")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR (unknown, inactive, one-time or metered price; a URL off the app's origins; a trial too long or not the first subscription) or INVALID_JSON")
    @APIResponse(responseCode = "409", description = "CONFLICT: the Idempotency-Key was used with another body, or its first request is still running")
    @APIResponse(responseCode = "502", description = "PROVIDER_ERROR: Stripe failed")
    public Uni<Response> checkout(@Valid SubscriptionCheckoutRequest request,
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (request == null) {
            throw new ApiException(ErrorCode.INVALID_JSON, "A JSON body with priceId is required");
        }
        return users.required()
                .flatMap(user -> checkouts.start(user, request, idempotencyKey))
                .map(started -> IdempotentCreation.answer(started.result(), started.replayed()));
    }

    @GET
    @Path("/subscriptions")
    @Operation(summary = "The caller's subscriptions, as recorded from Stripe's webhooks")
    @APIResponse(responseCode = "200", description = "list of subscriptions, with count and hasMore")
    public Uni<ApiResponse<List<SubscriptionView>>> subscriptions() {
        return users.required().flatMap(service::list).map(found -> ApiResponse.list(found, false));
    }

    @POST
    @Path("/subscriptions/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel one of the caller's subscriptions, at the end of its period or now")
    @APIResponse(responseCode = "200", description = "the subscription as Stripe now has it")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR (atPeriodEnd missing) or INVALID_JSON")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: the caller has no such subscription")
    @APIResponse(responseCode = "409", description = "CONFLICT: the subscription has already ended, or Stripe refused the change")
    @APIResponse(responseCode = "502", description = "PROVIDER_ERROR: Stripe failed")
    public Uni<ApiResponse<StripeSubscription>> cancel(@PathParam("id") String id, @Valid CancelRequest request) {
        if (request == null) {
            throw new ApiException(ErrorCode.INVALID_JSON, "A JSON body with atPeriodEnd is required");
        }
        return users.required()
                .flatMap(user -> service.cancel(user, id, request.atPeriodEnd()))
                .map(ApiResponse::of);
    }

    @POST
    @Path("/subscriptions/{id}/update")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move one of the caller's subscriptions to another price or number of seats, with proration")
    @APIResponse(responseCode = "200", description = "the subscription as Stripe now has it")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR (unknown, inactive, one-time or metered price; bad quantity or prorationBehavior) or INVALID_JSON")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: the caller has no such subscription")
    @APIResponse(responseCode = "409", description = "CONFLICT: the subscription has ended, has several items, or Stripe refused the change")
    @APIResponse(responseCode = "502", description = "PROVIDER_ERROR: Stripe failed")
    public Uni<ApiResponse<StripeSubscription>> update(@PathParam("id") String id, @Valid UpdateRequest request) {
        if (request == null) {
            throw new ApiException(ErrorCode.INVALID_JSON, "A JSON body with priceId is required");
        }
        return users.required()
                .flatMap(user -> service.update(user, id, request))
                .map(ApiResponse::of);
    }
}
