package app.backbone.gateway.support;

import java.util.concurrent.atomic.AtomicInteger;

/** A new client address per call (sent as X-Forwarded-For from the trusted test peer), so per-IP buckets never collide. */
public final class ClientIps {

    private static final AtomicInteger NEXT = new AtomicInteger(1);

    private ClientIps() {
    }

    public static String next() {
        int n = NEXT.getAndIncrement();
        return "198.18." + (n / 250) + "." + (1 + n % 250);
    }
}
