package app.backbone.common.config;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Tells an operator who starts a service with the subscriptions backend's {@code .env} which of its variables mean
 * nothing here and what to set instead, one line each; and which old names are being read as new ones.
 */
@ApplicationScoped
public class ExpressBackendVariablesNotice {

    void onStart(@Observes StartupEvent event) {
        notice(System::getenv).forEach(Log::warn);
    }

    static java.util.List<String> notice(Function<String, String> env) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (set(env, "SUPABASE_URL") || set(env, "SUPABASE_SERVICE_ROLE_KEY")) {
            lines.add("SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are not used here: set DATABASE_URL to the Supabase "
                    + "database's connection string (Project Settings > Database, postgresql://postgres:...@db.<project>.supabase.co:5432/postgres)");
        }
        if (set(env, "CLERK_PUBLISHABLE_KEY") && !set(env, "CLERK_ISSUER")
                && ExpressBackendVariables.frontendApiHost(env.apply("CLERK_PUBLISHABLE_KEY")).isEmpty()) {
            lines.add("CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (pk_test_... or pk_live_...): set CLERK_ISSUER");
        }
        return lines;
    }

    private static boolean set(Function<String, String> env, String name) {
        String value = env.apply(name);
        return value != null && !value.isBlank();
    }
}
