package app.backbone.payment.catalogue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One page of Stripe objects, as Stripe sent them. */
public record CataloguePage(List<JsonNode> items, boolean hasMore) {
}
