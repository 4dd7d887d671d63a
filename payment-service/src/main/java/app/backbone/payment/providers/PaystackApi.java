package app.backbone.payment.providers;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;

/** The two Paystack transaction calls the service makes. Built by {@link PaystackConnector} with its base URL. */
@Path("/transaction")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface PaystackApi {

    @POST
    @Path("/initialize")
    Uni<JsonNode> initialize(@HeaderParam("Authorization") String authorization, ObjectNode body);

    @GET
    @Path("/verify/{reference}")
    Uni<JsonNode> verify(@HeaderParam("Authorization") String authorization, @PathParam("reference") String reference);
}
