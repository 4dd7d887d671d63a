package app.backbone.contact;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** A CAPTCHA provider's {@code siteverify} call; built by {@link CaptchaVerifier} with the full endpoint URL. */
public interface SiteVerifyApi {

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<JsonNode> verify(@FormParam("secret") String secret, @FormParam("response") String token);
}
