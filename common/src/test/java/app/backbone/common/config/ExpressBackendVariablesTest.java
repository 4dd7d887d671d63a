package app.backbone.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ExpressBackendVariablesTest {

    private static String publishableKey(String prefix, String host) {
        return prefix + Base64.getEncoder().encodeToString((host + "$").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void subscriptionsBackendEnvGivesIssuerJwksAndOrigins() {
        Map<String, String> env = Map.of(
                "CORS_ORIGIN", "http://localhost:3001",
                "CLERK_PUBLISHABLE_KEY", publishableKey("pk_test_", "clerk.example.com"),
                "CLERK_SECRET_KEY", "sk_test_x");
        assertEquals(Map.of(
                "CORS_ORIGINS", "http://localhost:3001",
                "CLERK_ISSUER", "https://clerk.example.com",
                "CLERK_JWKS_URL", "https://clerk.example.com/.well-known/jwks.json"),
                ExpressBackendVariables.derive(env::get));
    }

    @Test
    void newNamesWinOverOldOnes() {
        Map<String, String> env = Map.of(
                "CLERK_PUBLISHABLE_KEY", publishableKey("pk_live_", "clerk.shop.com"),
                "CLERK_JWKS_URL", "https://keys.example/jwks.json");
        var lookup = ExpressBackendVariables.withOldNames(env::get);
        assertEquals("https://keys.example/jwks.json", lookup.apply("CLERK_JWKS_URL"));
        assertEquals("https://clerk.shop.com", lookup.apply("CLERK_ISSUER"));
        assertEquals(275, new ExpressBackendVariables(env::get).getOrdinal());
    }

    @Test
    void somethingThatIsNotAPublishableKeyGivesNothing() {
        assertEquals(Optional.empty(), ExpressBackendVariables.frontendApiHost("sk_test_abc"));
        assertEquals(Optional.empty(), ExpressBackendVariables.frontendApiHost("pk_test_%%%"));
        assertEquals(Optional.empty(), ExpressBackendVariables.frontendApiHost(publishableKey("pk_test_", "evil.com/x")));
        assertEquals(Optional.empty(),
                ExpressBackendVariables.frontendApiHost("pk_test_" + Base64.getEncoder().encodeToString("a.b".getBytes())));
        assertEquals(Optional.of("fond-ant-12.clerk.accounts.dev"),
                ExpressBackendVariables.frontendApiHost(publishableKey("pk_test_", "fond-ant-12.clerk.accounts.dev")));
    }

    @Test
    void supabaseVariablesAreNamedWithWhatToSetInstead() {
        List<String> lines = ExpressBackendVariablesNotice.notice(Map.of("SUPABASE_URL", "https://x.supabase.co",
                "SUPABASE_SERVICE_ROLE_KEY", "secret")::get);
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("DATABASE_URL"));
        assertTrue(!lines.get(0).contains("secret"));
        assertEquals(List.of(), ExpressBackendVariablesNotice.notice(Map.<String, String>of()::get));
    }
}
