package app.backbone.payment.billing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** One of the caller's saved cards: never more of it than Stripe's dashboard shows. */
public record PaymentMethodView(String id, String brand, String last4, Integer expMonth, Integer expYear,
        @JsonProperty("default") boolean isDefault) {

    static PaymentMethodView from(JsonNode method, String defaultId) {
        JsonNode card = method.path("card");
        String id = method.path("id").asText(null);
        return new PaymentMethodView(id, card.path("brand").asText(null), card.path("last4").asText(null),
                card.path("exp_month").canConvertToInt() ? card.path("exp_month").asInt() : null,
                card.path("exp_year").canConvertToInt() ? card.path("exp_year").asInt() : null,
                id != null && id.equals(defaultId));
    }
}
