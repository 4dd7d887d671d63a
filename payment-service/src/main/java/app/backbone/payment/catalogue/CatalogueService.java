package app.backbone.payment.catalogue;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.param.PriceListParams;
import com.stripe.param.PriceRetrieveParams;
import com.stripe.param.ProductListParams;
import com.stripe.param.ProductRetrieveParams;

import app.backbone.common.api.ApiException;
import app.backbone.payment.providers.ProviderFailure;
import app.backbone.payment.providers.StripeConnector;
import app.backbone.payment.providers.StripeConnector.CatalogueAnswer;
import io.smallrye.mutiny.Uni;

/** The Stripe catalogue: products with their default price expanded, prices with their product expanded. */
@ApplicationScoped
public class CatalogueService {

    private final StripeConnector stripe;
    private final CatalogueCache cache;

    public CatalogueService(StripeConnector stripe, CatalogueCache cache) {
        this.stripe = stripe;
        this.cache = cache;
    }

    public Uni<CataloguePage> products(CatalogueQuery query) {
        return cache.get("products|" + query.cacheKey(), () -> {
            ProductListParams.Builder params = ProductListParams.builder()
                    .setActive(query.active())
                    .setLimit((long) query.limit())
                    .addExpand("data.default_price");
            if (query.startingAfter() != null) {
                params.setStartingAfter(query.startingAfter());
            }
            return stripe.listProducts(params.build()).map(CatalogueService::page);
        });
    }

    public Uni<JsonNode> product(String id) {
        CatalogueQuery.checkId(id);
        return cache.get("product|" + id, () -> stripe.retrieveProduct(id,
                ProductRetrieveParams.builder().addExpand("default_price").build())
                .map(answer -> object(answer, "product")));
    }

    public Uni<CataloguePage> prices(CatalogueQuery query) {
        return cache.get("prices|" + query.cacheKey(), () -> {
            PriceListParams.Builder params = PriceListParams.builder()
                    .setActive(query.active())
                    .setLimit((long) query.limit())
                    .addExpand("data.product");
            if (query.startingAfter() != null) {
                params.setStartingAfter(query.startingAfter());
            }
            if (query.product() != null) {
                params.setProduct(query.product());
            }
            if (query.currency() != null) {
                params.setCurrency(query.currency());
            }
            if (query.type() != null) {
                params.setType(query.type().equals("recurring") ? PriceListParams.Type.RECURRING
                        : PriceListParams.Type.ONE_TIME);
            }
            return stripe.listPrices(params.build()).map(CatalogueService::page);
        });
    }

    public Uni<JsonNode> price(String id) {
        CatalogueQuery.checkId(id);
        return cache.get("price|" + id, () -> stripe.retrievePrice(id,
                PriceRetrieveParams.builder().addExpand("product").build())
                .map(answer -> object(answer, "price")));
    }

    private static CataloguePage page(CatalogueAnswer answer) {
        if (answer.missing()) {
            // Stripe answers resource_missing for a starting_after id it does not know.
            throw ApiException.validation(answer.missingParam() == null ? "starting_after" : answer.missingParam(),
                    "names no object Stripe knows");
        }
        JsonNode data = answer.body().path("data");
        if (!data.isArray()) {
            throw new ProviderFailure("Stripe answered a list without data", null);
        }
        List<JsonNode> items = new ArrayList<>();
        data.forEach(items::add);
        return new CataloguePage(items, answer.body().path("has_more").asBoolean(false));
    }

    private static JsonNode object(CatalogueAnswer answer, String kind) {
        if (answer.missing()) {
            throw ApiException.notFound("No such " + kind);
        }
        return answer.body();
    }
}
