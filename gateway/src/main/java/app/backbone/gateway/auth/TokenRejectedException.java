package app.backbone.gateway.auth;

/** A bearer token that does not pass; the message names the reason and never carries the token. */
public class TokenRejectedException extends RuntimeException {

    public TokenRejectedException(String reason) {
        super(reason, null, false, false);
    }
}
