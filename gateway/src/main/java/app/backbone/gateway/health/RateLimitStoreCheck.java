package app.backbone.gateway.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import app.backbone.gateway.ratelimit.RateLimiter;

/**
 * Says where the rate-limit buckets live. Always UP: without Redis the gateway still limits, per replica, so taking it
 * out of service would only turn a weaker limit into an outage; {@code degraded: true} tells monitoring.
 */
@Readiness
@ApplicationScoped
public class RateLimitStoreCheck implements HealthCheck {

    private final RateLimiter rateLimiter;

    public RateLimitStoreCheck(RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("rate-limit-store").up()
                .withData("store", rateLimiter.storeDescription())
                .withData("degraded", rateLimiter.degraded())
                .build();
    }
}
