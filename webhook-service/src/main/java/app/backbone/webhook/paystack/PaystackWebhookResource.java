package app.backbone.webhook.paystack;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.common.network.ClientAddresses;
import app.backbone.webhook.WebhookAck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Paystack's webhook, at its own path and at the path the first backend's Paystack dashboard points at. */
@Path("")
public class PaystackWebhookResource {

    private final PaystackWebhookService service;
    private final ClientAddresses addresses;

    public PaystackWebhookResource(PaystackWebhookService service, ClientAddresses addresses) {
        this.service = service;
        this.addresses = addresses;
    }

    @POST
    @Path("/webhooks/paystack")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Paystack event: signature checked on the raw body, applied exactly once")
    @APIResponse(responseCode = "200", description = "{\"received\":true}, or with \"duplicate\":true for a replay")
    @APIResponse(responseCode = "400", description = "MISSING_SIGNATURE, INVALID_SIGNATURE or INVALID_JSON")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: source address not in PAYSTACK_ALLOWED_IPS")
    @APIResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE")
    @APIResponse(responseCode = "500", description = "INTERNAL_ERROR: nothing was applied; Paystack retries")
    public Uni<WebhookAck> receive(@HeaderParam("x-paystack-signature") String signature, byte[] body,
            @Context HttpServerRequest request) {
        String client = addresses.clientIp(request);
        return service.receive(body == null ? new byte[0] : body, signature, client);
    }

    @POST
    @Path("/api/payment/webhook")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The first backend's Paystack webhook path; the same handler as /webhooks/paystack")
    @APIResponse(responseCode = "200", description = "{\"received\":true}, or with \"duplicate\":true for a replay")
    @APIResponse(responseCode = "400", description = "MISSING_SIGNATURE, INVALID_SIGNATURE or INVALID_JSON")
    @APIResponse(responseCode = "403", description = "FORBIDDEN: source address not in PAYSTACK_ALLOWED_IPS")
    public Uni<WebhookAck> receiveLegacy(@HeaderParam("x-paystack-signature") String signature, byte[] body,
            @Context HttpServerRequest request) {
        return receive(signature, body, request);
    }
}
