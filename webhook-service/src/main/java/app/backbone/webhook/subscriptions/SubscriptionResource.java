package app.backbone.webhook.subscriptions;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.common.api.ApiResponse;
import app.backbone.webhook.auth.ClerkUsers;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

@Path("/stripe/subscription")
@Authenticated
public class SubscriptionResource {

    private final SubscriptionLookup lookup;
    private final ClerkUsers users;
    private final JsonWebToken token;

    public SubscriptionResource(SubscriptionLookup lookup, ClerkUsers users, JsonWebToken token) {
        this.lookup = lookup;
        this.users = users;
        this.token = token;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether the caller (the Clerk user of the bearer token) has an active Stripe subscription")
    @APIResponse(responseCode = "200", description = "{subscribed, stripeCustomerId, subscriptions[]}")
    @APIResponse(responseCode = "401", description = "UNAUTHORIZED: no, malformed, expired or foreign token")
    @APIResponse(responseCode = "503", description = "SERVICE_UNAVAILABLE: the database is down")
    public Uni<ApiResponse<SubscriptionView>> mine() {
        String clerkUserId = users.userIdOf(token);
        return lookup.forClerkUser(clerkUserId).map(ApiResponse::of);
    }
}
