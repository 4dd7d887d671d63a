package app.backbone.payment.billing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import app.backbone.common.api.ApiException;
import app.backbone.payment.config.PaymentConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The URLs Stripe's hosted pages (Checkout, the billing portal) send a user back to. A client may name its own, but
 * only on one of the app's origins ({@code PAYMENT_REDIRECT_ORIGINS}, else {@code CORS_ORIGINS}) or of the configured
 * defaults: otherwise anyone could make our Stripe pages lead a paying user to a look-alike site.
 */
@ApplicationScoped
public class ReturnUrls {

    /** Stripe fills this in on a Checkout success URL; it is not valid in a URI, so it is set aside for the check. */
    private static final String SESSION_TEMPLATE = "{CHECKOUT_SESSION_ID}";

    /** A placeholder such as Stripe's {@code {CHECKOUT_SESSION_ID}}: no page other than Checkout's fills one in. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*}");

    private final PaymentConfig.Subscriptions config;
    private final Set<String> origins = new LinkedHashSet<>();
    private final String portalReturnDefault;

    @Inject
    public ReturnUrls(PaymentConfig config) {
        this(config.subscriptions());
    }

    ReturnUrls(PaymentConfig.Subscriptions subscriptions) {
        this.config = subscriptions;
        this.portalReturnDefault = portalReturnDefault(subscriptions);
        for (String origin : this.config.redirectOrigins()) {
            if (origin.isBlank()) {
                continue;
            }
            String normalized = originOf(origin.trim());
            if (normalized == null || !isBareOrigin(origin.trim())) {
                throw new IllegalStateException("payment.subscriptions.redirect-origins (PAYMENT_REDIRECT_ORIGINS or"
                        + " CORS_ORIGINS) holds something that is not an http(s) origin: " + origin);
            }
            origins.add(normalized);
        }
        for (String fallback : new String[] {this.config.successUrl(), this.config.cancelUrl(), portalReturnDefault}) {
            String origin = originOf(fallback);
            if (origin == null) {
                throw new IllegalStateException("A default subscription URL is not an absolute http(s) URL: " + fallback);
            }
            origins.add(origin);
        }
    }

    /** Builds the bean at start, so a wrong default URL stops the service at once rather than at the first request. */
    void onStart(@Observes StartupEvent event) {
        Log.debugf("The billing portal returns to %s unless a request names another URL", portalReturnDefault);
    }

    /**
     * {@code BILLING_PORTAL_RETURN_URL} (else {@code BILLING_PAGE_URL}) as given, refused with a placeholder in it; unset,
     * the app's home page: the origin of the subscription success URL.
     */
    private static String portalReturnDefault(PaymentConfig.Subscriptions config) {
        Optional<String> configured = config.portalReturnUrl().map(String::trim).filter(url -> !url.isEmpty());
        if (configured.isPresent()) {
            if (PLACEHOLDER.matcher(configured.get()).find()) {
                throw new IllegalStateException("BILLING_PORTAL_RETURN_URL (payment.subscriptions.portal-return-url, or"
                        + " BILLING_PAGE_URL when that is not set) holds a placeholder such as {CHECKOUT_SESSION_ID},"
                        + " which Stripe fills in only on a Checkout success URL; the portal would send users to it"
                        + " as written. Name a page of the app without one: " + configured.get());
            }
            return configured.get();
        }
        String home = originOf(config.successUrl());
        return home == null ? config.successUrl() : home + "/";
    }

    public String checkoutSuccess(String requested) {
        return choose("successUrl", requested, config.successUrl());
    }

    public String checkoutCancel(String requested) {
        return choose("cancelUrl", requested, config.cancelUrl());
    }

    public String portalReturn(String requested) {
        if (requested != null && PLACEHOLDER.matcher(requested).find()) {
            throw ApiException.validation("returnUrl",
                    "must not hold a placeholder such as {CHECKOUT_SESSION_ID}: the portal does not fill it in");
        }
        return choose("returnUrl", requested, portalReturnDefault);
    }

    /** The origins a client's URL may be on. */
    public Set<String> origins() {
        return Set.copyOf(origins);
    }

    private String choose(String field, String requested, String fallback) {
        if (requested == null) {
            return fallback;
        }
        String origin = originOf(requested);
        if (origin == null) {
            throw ApiException.validation(field, "must be an absolute http(s) URL");
        }
        if (!origins.contains(origin)) {
            throw ApiException.validation(field, "must be on one of the app's origins");
        }
        return requested;
    }

    /** An origin as CORS lists it: scheme, host and port, nothing after them but an optional slash. */
    private static boolean isBareOrigin(String entry) {
        try {
            URI uri = new URI(entry);
            return (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** {@code scheme://host[:port]}, lower case, without a default port; null for anything but a plain http(s) URL. */
    static String originOf(String url) {
        try {
            URI uri = new URI(url.replace(SESSION_TEMPLATE, "session"));
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null
                    || uri.isOpaque()) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || "http".equals(scheme) && port == 80 || "https".equals(scheme) && port == 443;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
