package app.backbone.payment.payments;

import java.math.BigDecimal;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.data.payments.Currencies;
import app.backbone.payment.catalogue.CatalogueService;
import io.smallrye.mutiny.Uni;

/**
 * Server-side pricing for initiate: a request naming {@code priceId} pays that one-time catalogue price (read through
 * the catalogue cache), so the amount is the shop's, not the client's.
 */
@ApplicationScoped
public class CataloguePricing {

    private final CatalogueService catalogue;

    public CataloguePricing(CatalogueService catalogue) {
        this.catalogue = catalogue;
    }

    /** The request with its amount and currency from its price; a request without {@code priceId} as it is. */
    public Uni<InitiateRequest> price(InitiateRequest request) {
        if (request.priceId() == null) {
            return Uni.createFrom().item(request);
        }
        if (request.amount() != null) {
            throw ApiException.validation("amount", "must not be given with priceId: the price sets it");
        }
        return catalogue.price(request.priceId())
                .onFailure(e -> e instanceof ApiException api && api.code() == ErrorCode.NOT_FOUND)
                .transform(e -> ApiException.validation("priceId", "names no price in the catalogue"))
                .map(price -> request.priced(amountOf(price), currencyOf(request, price)));
    }

    private static BigDecimal amountOf(JsonNode price) {
        if (!price.path("active").asBoolean(false)) {
            throw ApiException.validation("priceId", "names a price that is not active");
        }
        if (!"one_time".equals(price.path("type").asText())) {
            throw ApiException.validation("priceId", "names a recurring price; subscriptions are not paid here");
        }
        JsonNode unitAmount = price.path("unit_amount");
        String currency = price.path("currency").asText("");
        if (!unitAmount.canConvertToLong() || currency.isBlank()) {
            throw ApiException.validation("priceId", "names a price without a fixed amount");
        }
        BigDecimal major = Currencies.toMajorUnits(unitAmount.asLong(), currency);
        if (major.scale() > 0) {
            throw ApiException.validation("priceId",
                    "names a price with a fractional amount; payments here are in whole units of the currency");
        }
        return major;
    }

    private static String currencyOf(InitiateRequest request, JsonNode price) {
        String currency = price.path("currency").asText().toUpperCase(Locale.ROOT);
        if (request.currency() != null && !request.currency().equalsIgnoreCase(currency)) {
            throw ApiException.validation("currency", "must be the price's currency, " + currency);
        }
        return currency;
    }
}
