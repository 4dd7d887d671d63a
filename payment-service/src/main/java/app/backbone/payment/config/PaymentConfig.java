package app.backbone.payment.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import app.backbone.data.catalogue.CatalogueChannel;
import app.backbone.data.customers.CustomerChannel;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every setting of the payment service (README lists the environment variables behind them). */
@ConfigMapping(prefix = "payment")
public interface PaymentConfig {

    /** The provider used when a request names none: {@code stripe} or {@code paystack} ({@code PAYMENT_PROVIDER}). */
    @WithDefault("paystack")
    String provider();

    /** The currency used when a request names none ({@code PAYMENT_CURRENCY}). */
    @WithDefault("KES")
    String currency();

    /** Currencies a payment may be made in ({@code PAYMENT_CURRENCIES}, comma separated). */
    @WithDefault("KES,USD,EUR,GBP,NGN,GHS,ZAR")
    Set<String> currencies();

    /** The largest amount one payment may have, in major units (Stripe refuses more than 8 digits of minor units). */
    @WithDefault("999999")
    long maxAmount();

    /** Where the provider sends the payer after paying ({@code PAYMENT_SUCCESS_URL}); {@code reference} is appended. */
    String successUrl();

    /** Where Stripe sends the payer who gives up ({@code PAYMENT_CANCEL_URL}); {@code reference} is appended. */
    String cancelUrl();

    Stripe stripe();

    Paystack paystack();

    /**
     * How long after initiate {@code verify} still asks the provider about a {@code failed} or {@code cancelled}
     * payment: a payer can come back to the same checkout and pay, and money that arrives wins.
     */
    @WithDefault("48h")
    Duration reopenWindow();

    Reconciler reconciler();

    Idempotency idempotency();

    Catalogue catalogue();

    Customers customers();

    Subscriptions subscriptions();

    Clerk clerk();

    interface Stripe {
        /** The secret API key ({@code STRIPE_SECRET_KEY}). */
        String secretKey();

        /** The API base URL ({@code STRIPE_API_BASE}); point it at stripe-mock or a stub to run offline. */
        String apiBase();

        /** Connect timeout of every Stripe call. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Read timeout of every Stripe call. */
        @WithDefault("20s")
        Duration readTimeout();

        /** How often stripe-java retries a failed call (with the same idempotency key). */
        @WithDefault("2")
        int maxNetworkRetries();

        /** The line item name shown on the Checkout page. */
        @WithDefault("Payment")
        String productName();

        /**
         * How long after initiate a Stripe payment whose session id was never recorded (the database failed right
         * after Stripe answered) is failed by the reconciler: past Stripe's 24 h session lifetime, nobody can pay it.
         */
        @WithDefault("25h")
        Duration unrecordedSessionLimit();
    }

    interface Paystack {
        /** The secret key, sent as a bearer token ({@code PAYSTACK_SECRET_KEY}). */
        String secretKey();

        /** The API base URL ({@code PAYSTACK_API_BASE}). */
        String apiBase();

        /** Connect timeout of every Paystack call. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Read timeout of every Paystack call. */
        @WithDefault("20s")
        Duration readTimeout();

        /**
         * How long an {@code abandoned} Paystack transaction may stay open before the reconciler cancels it (and how
         * long one Paystack does not know may stay open before it is failed).
         */
        @WithDefault("24h")
        Duration abandonAfter();
    }

    interface Reconciler {
        /** Whether the scheduled reconciler runs in this replica. */
        @WithDefault("true")
        boolean enabled();

        /** How often it looks for open payments (scheduler syntax, e.g. {@code 60s}); its schedule reads it. */
        @WithDefault("60s")
        String interval();

        /** How old an open payment must be before the reconciler asks the provider about it. */
        @WithDefault("15m")
        Duration minAge();

        /** How long a claimed payment is left alone, by other replicas and by the next runs. */
        @WithDefault("10m")
        Duration lease();

        /** How many payments one run claims. */
        @WithDefault("25")
        int batchSize();
    }

    interface Idempotency {
        /** How long an Idempotency-Key is remembered. */
        @WithDefault("24h")
        Duration ttl();

        /** How long a retry waits for the first request with its key to finish before answering 409. */
        @WithDefault("25s")
        Duration retryWait();

        /**
         * How long a key may stay claimed without an answer before a retry takes it over (its first request died
         * mid-way, with the database down): longer than the slowest initiate (provider timeouts and retries).
         */
        @WithDefault("3m")
        Duration inFlightLimit();
    }

    interface Catalogue {
        /** How long a catalogue answer is served from memory; a catalogue_changed notification ends it sooner. */
        @WithDefault("30s")
        Duration cacheTtl();

        /** At most this many answers are kept. */
        @WithDefault("500")
        int cacheMaxEntries();

        /** The Postgres channel the webhook service notifies when a product or price changes. */
        @WithDefault(CatalogueChannel.NAME)
        String channel();
    }

    interface Customers {
        /**
         * How long a request's claim on creating a user's first Stripe customer lasts if it never finishes (the
         * claimer died). It must be longer than the longest Stripe call, (connect-timeout + read-timeout) x
         * (max-network-retries + 1) plus stripe-java's pauses between retries, or a second request could call Stripe
         * while the first still waits; the service refuses to start when it is not.
         */
        @WithDefault("3m")
        Duration claimLease();

        /**
         * How long a request waits for another request that holds the user's claim to map the customer, before it
         * answers 409 CONFLICT ("retry shortly"). Below the gateway's 30 s upstream response timeout.
         */
        @WithDefault("25s")
        Duration claimWait();

        /** How often a waiting request looks for the mapping (or an expired claim). */
        @WithDefault("100ms")
        Duration pollInterval();

        /**
         * How long a user's mapping and Stripe customer object are served from memory to the user's repeat call
         * ({@code PAYMENT_CUSTOMERS_CACHE_TTL}); a customer_changed notification ends it sooner. {@code 0} reads the
         * database and asks Stripe on every call.
         */
        @WithDefault("5m")
        Duration cacheTtl();

        /** At most this many customer objects, and as many mappings, are kept ({@code PAYMENT_CUSTOMERS_CACHE_MAX_ENTRIES}; 2-4 KB a customer). */
        @WithDefault("1000")
        int cacheMaxEntries();

        /** The Postgres channel the webhook service notifies when a customer is updated or deleted. */
        @WithDefault(CustomerChannel.NAME)
        String channel();
    }

    interface Subscriptions {
        /**
         * Where Stripe sends a subscriber after a subscription checkout when the request names no {@code successUrl}
         * ({@code SUBSCRIPTION_SUCCESS_URL}, else {@code PAYMENT_SUCCESS_URL}); {@code {CHECKOUT_SESSION_ID}} in it is
         * filled in by Stripe.
         */
        String successUrl();

        /** Where Stripe sends one who gives up ({@code SUBSCRIPTION_CANCEL_URL}, else {@code PAYMENT_CANCEL_URL}). */
        String cancelUrl();

        /**
         * Where the billing portal's "return" link leads when the request names none ({@code BILLING_PORTAL_RETURN_URL},
         * else the app's billing page {@code BILLING_PAGE_URL}); unset, the home page of the app (the origin of
         * {@link #successUrl()}). A {@code {...}} placeholder in it stops the service at start: only a Checkout success
         * URL has one filled in.
         */
        Optional<String> portalReturnUrl();

        /**
         * The app's origins ({@code PAYMENT_REDIRECT_ORIGINS}, else {@code CORS_ORIGINS}): a {@code successUrl},
         * {@code cancelUrl} or {@code returnUrl} a client sends must be on one of them (or on the origin of one of the
         * configured default URLs), so our Stripe pages never send a user to someone else's site.
         */
        List<String> redirectOrigins();

        /**
         * Identical {@code POST /stripe/checkout} requests of one user without {@code Idempotency-Key} within this
         * window answer the first one's session (a double-click opens one session, not two); {@code 0} turns it off.
         */
        @WithDefault("60s")
        Duration sameCheckoutWindow();

        /**
         * The longest trial a client may ask for in {@code POST /stripe/checkout} ({@code trialDays}); {@code 0}: no
         * client-chosen trials. A trial is only for a user's first subscription.
         */
        @WithDefault("30")
        int maxTrialDays();
    }

    interface Clerk {
        /** The {@code iss} every token must carry ({@code CLERK_ISSUER}). */
        String issuer();

        /**
         * Where token keys come from: the PEM of {@code CLERK_JWT_KEY}, else the {@code CLERK_JWKS_URL}. smallrye-jwt
         * reads them through ClerkConfigSource; this setting makes a production start without either fail at once.
         */
        String keySource();

        /** Allowed {@code azp} values ({@code CLERK_AUTHORIZED_PARTIES}); when set, a token must carry one of them. */
        Optional<List<String>> authorizedParties();

        /** {@code aud} values of Clerk JWT-template tokens to accept ({@code CLERK_AUDIENCES}); session tokens carry none. */
        Optional<List<String>> audiences();
    }
}
