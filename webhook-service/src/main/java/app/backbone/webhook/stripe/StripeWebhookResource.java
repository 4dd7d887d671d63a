package app.backbone.webhook.stripe;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.webhook.WebhookAck;
import io.smallrye.mutiny.Uni;

@Path("/webhooks/stripe")
public class StripeWebhookResource {

    private final StripeWebhookService service;

    public StripeWebhookResource(StripeWebhookService service) {
        this.service = service;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Stripe event: signature checked on the raw body, applied exactly once")
    @APIResponse(responseCode = "200", description = "{\"received\":true}, or with \"duplicate\":true for a replay")
    @APIResponse(responseCode = "400", description = "MISSING_SIGNATURE, INVALID_SIGNATURE or INVALID_JSON")
    @APIResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE")
    @APIResponse(responseCode = "500", description = "INTERNAL_ERROR: nothing was applied; Stripe retries")
    @APIResponse(responseCode = "503", description = "SERVICE_UNAVAILABLE: the database is down; Stripe retries")
    public Uni<WebhookAck> receive(@HeaderParam("Stripe-Signature") String signature, byte[] body) {
        return service.receive(body == null ? new byte[0] : body, signature);
    }
}
