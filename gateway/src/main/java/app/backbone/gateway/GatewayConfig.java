package app.backbone.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the gateway can be told: its route table, the upstream client, Clerk, CORS, rate limits, headers. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The route table, by route name; the longest matching prefix wins. */
    Map<String, Route> routes();

    /** How the gateway talks to the services behind it. */
    Upstream upstream();

    /** How Clerk session tokens are checked. */
    Jwt jwt();

    /** Which browser origins may call the API. */
    Cors cors();

    /** Request quotas. */
    RateLimit rateLimit();

    /** Peers (IP addresses or CIDR ranges) whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} are believed. */
    Optional<List<String>> trustedProxies();

    /** Response headers the gateway adds to every answer. */
    Headers headers();

    interface Route {

        /** Path prefix this route serves, matched on whole path segments ({@code /api/contact} serves {@code /api/contact/x}, not {@code /api/contactx}). */
        String prefix();

        /** Base URL of the service the requests go to; the path is forwarded unchanged. */
        String upstream();

        /** Whether a Clerk token is required, optional (checked when sent) or ignored. */
        @WithDefault("none")
        AuthMode auth();

        /** Name of the rate-limit policy under {@code gateway.rate-limit.policies}. */
        @WithDefault("default")
        String rateLimit();

        /** Largest request body accepted; a bigger one gets 413. */
        @WithDefault("256K")
        MemorySize bodyLimit();

        /** Whether browser origins are checked and CORS headers answered; off for server-to-server routes such as webhooks. */
        @WithDefault("true")
        boolean cors();

        /**
         * The HTTP methods this route serves (e.g. {@code POST}); a request with another method falls through to the
         * next matching route, so one path can be counted by a stricter policy only where it calls a provider. Unset:
         * every method.
         */
        Optional<Set<String>> methods();
    }

    enum AuthMode {
        /** The token is neither needed nor checked. */
        NONE,
        /** No token passes; a sent token must be valid. */
        OPTIONAL,
        /** A valid token is needed. */
        REQUIRED
    }

    interface Upstream {

        /** Longest wait for a TCP connection to a service; past it the answer is 503. */
        @WithDefault("2s")
        Duration connectTimeout();

        /** Longest silence from a service while waiting for its answer; past it the answer is 504. */
        @WithDefault("30s")
        Duration responseTimeout();

        /** Connections kept per service. */
        @WithDefault("64")
        int maxConnectionsPerUpstream();
    }

    interface Jwt {

        /** Expected {@code iss} claim, e.g. {@code https://clerk.example.com}. */
        Optional<String> issuer();

        /** Where Clerk publishes its signing keys, e.g. {@code https://clerk.example.com/.well-known/jwks.json}. */
        Optional<String> jwksUrl();

        /** Clerk's PEM public key; when set it is used instead of the JWKS URL. */
        Optional<String> publicKey();

        /** Clerk's secret key ({@code CLERK_SECRET_KEY}): sent as a bearer token when the JWKS URL is Clerk's Backend API. */
        Optional<String> secretKey();

        /** Origins allowed in the {@code azp} claim; when set, a token must carry one of them. */
        Optional<List<String>> authorizedParties();

        /** {@code aud} values of Clerk JWT-template tokens to accept; session tokens carry none. */
        Optional<List<String>> audiences();

        /** Clock skew allowed on {@code exp} and {@code nbf}. */
        @WithDefault("5s")
        Duration clockSkew();

        /** Keys fetched from the JWKS URL are refetched after this long. */
        @WithDefault("10m")
        Duration jwksCacheTtl();

        /** A token with an unknown key id triggers a refetch at most this often. */
        @WithDefault("30s")
        Duration jwksRefetchMinInterval();

        /**
         * Verified tokens remembered (by their exact string) so a client's next requests skip the RS256 check; each is
         * still refused after its {@code exp} or once its key leaves Clerk's key set. 0 checks every request afresh.
         */
        @WithDefault("10000")
        long verifiedTokenCacheSize();
    }

    interface Cors {

        /** Exact origins allowed, e.g. {@code https://app.example.com}. */
        @WithDefault("http://localhost:3000,http://localhost:5173")
        List<String> origins();

        /** Methods a preflight allows. */
        @WithDefault("GET,POST,PUT,PATCH,DELETE,OPTIONS")
        List<String> methods();

        /** Request headers a preflight allows. */
        @WithDefault("Authorization,Content-Type,Idempotency-Key,X-Request-Id")
        List<String> headers();

        /** Response headers a browser script may read. */
        @WithDefault("X-Request-Id,RateLimit,RateLimit-Policy,Retry-After")
        List<String> exposedHeaders();

        /** How long a browser may cache a preflight answer. */
        @WithDefault("10m")
        Duration maxAge();

        /** Whether cookies may be sent cross-origin (Clerk tokens travel in Authorization, so off by default). */
        @WithDefault("false")
        boolean allowCredentials();
    }

    interface RateLimit {

        /** Named policies routes refer to; {@code default} must exist. */
        Map<String, Policy> policies();

        /** Redis URL ({@code redis://host:6379/0}); when set the buckets live there and replicas share them. */
        Optional<String> redisUrl();

        /** Prefix of the Redis keys holding buckets. */
        @WithDefault("gateway:rate-limit:")
        String redisKeyPrefix();

        /** IPv6 clients are counted per network of this prefix length (one host usually owns a whole /64). */
        @WithDefault("64")
        int ipv6Prefix();

        /** Buckets kept in memory (oldest idle dropped first) when Redis is not used or is failing. */
        @WithDefault("100000")
        long maxLocalBuckets();
    }

    interface Policy {

        /** Who a bucket belongs to: the client IP, or the verified user as well as the client IP. */
        @WithDefault("ip")
        KeyBy keyBy();

        /** The limits, all of which must allow a request. */
        List<Limit> limits();
    }

    enum KeyBy {
        IP,
        USER
    }

    interface Limit {

        /** Requests allowed per window. */
        long requests();

        /** Window length; tokens refill gradually over it. */
        Duration per();
    }

    interface Headers {

        /** {@code Strict-Transport-Security} value sent on requests that came over TLS. */
        @WithDefault("max-age=31536000; includeSubDomains")
        String hsts();

        /** {@code Content-Security-Policy} value. */
        @WithDefault("default-src 'none'; frame-ancestors 'none'")
        String contentSecurityPolicy();
    }
}
