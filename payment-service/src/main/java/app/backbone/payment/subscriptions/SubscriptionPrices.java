package app.backbone.payment.subscriptions;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.payment.catalogue.CatalogueService;
import io.smallrye.mutiny.Uni;

/**
 * The prices a subscription may be on: the catalogue's active recurring, licensed (per seat) ones, read through the
 * catalogue cache.
 */
@ApplicationScoped
public class SubscriptionPrices {

    /** The most seats one subscription may have. */
    public static final int MAX_QUANTITY = 10000;

    private final CatalogueService catalogue;

    public SubscriptionPrices(CatalogueService catalogue) {
        this.catalogue = catalogue;
    }

    /** The price, when it is an active recurring one; otherwise VALIDATION_ERROR on {@code priceId}. */
    public Uni<JsonNode> require(String priceId) {
        return catalogue.price(priceId)
                .onFailure(e -> e instanceof ApiException api && api.code() == ErrorCode.NOT_FOUND)
                .transform(e -> ApiException.validation("priceId", "names no price in the catalogue"))
                .invoke(price -> {
                    if (!price.path("active").asBoolean(false)) {
                        throw ApiException.validation("priceId", "names a price that is not active");
                    }
                    if (!"recurring".equals(price.path("type").asText())) {
                        throw ApiException.validation("priceId", "names a one-time price; a subscription needs a"
                                + " recurring one");
                    }
                    // Seats are what this API sells; Stripe refuses a quantity on a metered (usage-billed) price.
                    if ("metered".equals(price.path("recurring").path("usage_type").asText())) {
                        throw ApiException.validation("priceId", "names a metered price; subscriptions here are"
                                + " sold by seats");
                    }
                });
    }
}
