package app.backbone.local.clerk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.util.Base64;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * A development stand-in for Clerk: an RSA key pair kept in the data folder, its JWKS served where Clerk serves one,
 * and session tokens shaped like Clerk's (RS256, {@code iss}, {@code sub}, {@code azp}, {@code sid}).
 */
public final class DevClerk {

    public static final String KEY_ID = "local-dev-key";

    private final RSAPrivateCrtKey privateKey;
    private final RSAPublicKey publicKey;
    private final String issuer;

    private DevClerk(RSAPrivateCrtKey privateKey, RSAPublicKey publicKey, String issuer) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.issuer = issuer;
    }

    /** Loads the key kept in {@code keyFile}, or makes and keeps a new one. */
    public static DevClerk load(Path keyFile, String issuer) {
        try {
            RSAPrivateCrtKey key;
            if (Files.exists(keyFile)) {
                byte[] der = Base64.getMimeDecoder().decode(Files.readString(keyFile)
                        .replaceAll("-----[A-Z ]+-----", ""));
                key = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            } else {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                key = (RSAPrivateCrtKey) pair.getPrivate();
                Files.createDirectories(keyFile.getParent());
                // A private key: readable by its owner only, from the moment it exists.
                Files.createFile(keyFile, keyFileAttributes(keyFile));
                Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
            }
            RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
            return new DevClerk(key, publicKey, issuer);
        } catch (IOException | NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("Cannot load or make the development signing key " + keyFile, e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] keyFileAttributes(Path keyFile) {
        if (!keyFile.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] { java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")) };
    }

    public String issuer() {
        return issuer;
    }

    public String jwksUrl() {
        return issuer + "/.well-known/jwks.json";
    }

    public String token(String userId, String authorizedParty, Duration lifetime) {
        return Jwt.issuer(issuer).subject(userId).claim("azp", authorizedParty).claim("sid", "sess_local_dev")
                .expiresIn(lifetime).jws().keyId(KEY_ID).algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256)
                .sign(privateKey);
    }

    public JsonObject jwks() {
        RsaJsonWebKey key = new RsaJsonWebKey(publicKey);
        key.setKeyId(KEY_ID);
        key.setUse("sig");
        key.setAlgorithm("RS256");
        return new JsonObject(new JsonWebKeySet(key).toJson());
    }

    public Router router(Vertx vertx) {
        Router router = Router.router(vertx);
        router.get("/.well-known/jwks.json").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "application/json").end(jwks().encode()));
        return router;
    }
}
