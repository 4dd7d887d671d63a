package app.backbone.payment.catalogue;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.common.api.ApiResponse;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/stripe")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@APIResponse(responseCode = "401", description = "UNAUTHORIZED: no, malformed, expired or foreign Clerk token")
@APIResponse(responseCode = "502", description = "PROVIDER_ERROR: Stripe failed")
public class CatalogueResource {

    private final CatalogueService service;

    public CatalogueResource(CatalogueService service) {
        this.service = service;
    }

    @GET
    @Path("/products")
    @Operation(summary = "Products with default_price expanded; active defaults to true, limit 1 to 100, starting_after pages")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR: a bad query parameter")
    public Uni<ApiResponse<java.util.List<JsonNode>>> products(@QueryParam("active") String active,
            @QueryParam("limit") String limit, @QueryParam("starting_after") String startingAfter) {
        CatalogueQuery query = CatalogueQuery.parse(active, limit, startingAfter, null, null, null);
        return service.products(query).map(page -> ApiResponse.list(page.items(), page.hasMore()));
    }

    @GET
    @Path("/products/{id}")
    @Operation(summary = "One product with default_price expanded")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: Stripe has no such product")
    public Uni<ApiResponse<JsonNode>> product(@PathParam("id") String id) {
        return service.product(id).map(ApiResponse::of);
    }

    @GET
    @Path("/prices")
    @Operation(summary = "Prices with product expanded; filters active (default true), product, currency, type; limit and starting_after")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR: a bad query parameter")
    public Uni<ApiResponse<java.util.List<JsonNode>>> prices(@QueryParam("active") String active,
            @QueryParam("limit") String limit, @QueryParam("starting_after") String startingAfter,
            @QueryParam("product") String product, @QueryParam("currency") String currency,
            @QueryParam("type") String type) {
        CatalogueQuery query = CatalogueQuery.parse(active, limit, startingAfter, product, currency, type);
        return service.prices(query).map(page -> ApiResponse.list(page.items(), page.hasMore()));
    }

    @GET
    @Path("/prices/{id}")
    @Operation(summary = "One price with product expanded")
    @APIResponse(responseCode = "404", description = "NOT_FOUND: Stripe has no such price")
    public Uni<ApiResponse<JsonNode>> price(@PathParam("id") String id) {
        return service.price(id).map(ApiResponse::of);
    }
}
