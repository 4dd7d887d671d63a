package app.backbone.contact;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ApiResponse;
import app.backbone.common.api.ErrorCode;
import io.smallrye.mutiny.Uni;

@Path("/api/contact")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ContactResource {

    private final ContactService service;

    public ContactResource(ContactService service) {
        this.service = service;
    }

    @POST
    @Operation(summary = "Submit the contact form: the message is stored and both e-mails are queued")
    @APIResponse(responseCode = "201", description = "Stored; the confirmation and the notification will be mailed")
    @APIResponse(responseCode = "400", description = "VALIDATION_ERROR with field details, or INVALID_JSON")
    @APIResponse(responseCode = "413", description = "PAYLOAD_TOO_LARGE")
    @APIResponse(responseCode = "415", description = "UNSUPPORTED_MEDIA_TYPE")
    @APIResponse(responseCode = "503", description = "SERVICE_UNAVAILABLE: the database is down")
    public Uni<Response> submit(@Valid ContactRequest request) {
        if (request == null) {
            throw new ApiException(ErrorCode.INVALID_JSON, "A JSON body with name, email and message is required");
        }
        return service.submit(request)
                .map(contact -> Response.status(Response.Status.CREATED).entity(ApiResponse.of(contact)).build());
    }
}
