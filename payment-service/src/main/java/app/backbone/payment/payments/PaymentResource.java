package app.backbone.payment.payments;

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
import app.backbone.payment.auth.ClerkUsers;
import io.smallrye.mutiny.Uni;

@Path("/api/payment")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    private final PaymentService service;
    private final PaymentVerification verification;
    private final ClerkUsers users;

    public PaymentResource(PaymentService service, PaymentVerification verification, ClerkUsers users) {
        this.service = service;
        this.verification = verification;
        this.users = users;
    }

    @POST
    @Path("/initiate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a payment: store it pending and open a Stripe Checkout Session or Paystack transaction")
    @APIResponse(responseCode = "201", description = "{reference, authorizationUrl, provider}; header Idempotent-Replayed: true on a replay")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR with field details, or INVALID_JSON")
    @APIResponse(responseCode = "401", description = "UNAUTHORIZED: a token was sent and is not valid")
    @APIResponse(responseCode = "409", description = "CONFLICT: the Idempotency-Key was used with another body, or its first request is still running")
    @APIResponse(responseCode = "502", description = "PROVIDER_ERROR: the provider failed; the payment is stored as failed")
    @APIResponse(responseCode = "503", description = "SERVICE_UNAVAILABLE: the database is down")
    public Uni<Response> initiate(@Valid InitiateRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (request == null) {
            throw new ApiException(ErrorCode.INVALID_JSON, "A JSON body with email and amount is required");
        }
        return users.optional()
                .flatMap(user -> service.initiate(request, user, idempotencyKey))
                .map(initiated -> IdempotentCreation.answer(initiated.result(), initiated.replayed()));
    }

    @GET
    @Path("/verify/{reference}")
    @Operation(summary = "The payment's status, after asking the provider when it is still open (or lately failed)")
    @APIResponse(responseCode = "200", description = "{reference, status, amount, currency, provider, refundedAmount, refundedAt, disputeStatus, disputedAt, paidAt, createdAt, updatedAt}")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: no payment has this reference")
    @APIResponse(responseCode = "502", description = "PROVIDER_ERROR: the provider failed; the payment is unchanged")
    public Uni<ApiResponse<PaymentView>> verify(@PathParam("reference") String reference) {
        return verification.verify(reference).map(ApiResponse::of);
    }
}
