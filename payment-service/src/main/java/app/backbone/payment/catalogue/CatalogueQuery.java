package app.backbone.payment.catalogue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.FieldError;
import app.backbone.payment.paging.PageLimit;

/**
 * The checked query parameters of a catalogue list: {@code active} (default true), {@code limit} 1 to 100 (default
 * 10), {@code starting_after}, and for prices {@code product}, {@code currency} and {@code type}.
 */
public record CatalogueQuery(boolean active, int limit, String startingAfter, String product, String currency,
        String type) {

    private static final Pattern STRIPE_ID = Pattern.compile("[A-Za-z0-9_]{1,255}");

    public static CatalogueQuery parse(String active, String limit, String startingAfter, String product,
            String currency, String type) {
        List<FieldError> errors = new ArrayList<>();
        boolean isActive = true;
        if (active != null) {
            switch (active.toLowerCase(Locale.ROOT)) {
                case "true" -> isActive = true;
                case "false" -> isActive = false;
                default -> errors.add(new FieldError("active", "must be true or false"));
            }
        }
        int pageSize = PageLimit.parse(limit, errors);
        if (startingAfter != null && !STRIPE_ID.matcher(startingAfter).matches()) {
            errors.add(new FieldError("starting_after", "must be a Stripe object id"));
        }
        if (product != null && !STRIPE_ID.matcher(product).matches()) {
            errors.add(new FieldError("product", "must be a Stripe product id"));
        }
        if (currency != null && !currency.matches("[A-Za-z]{3}")) {
            errors.add(new FieldError("currency", "must be a three-letter ISO currency code"));
        }
        if (type != null && !type.equals("one_time") && !type.equals("recurring")) {
            errors.add(new FieldError("type", "must be one_time or recurring"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "The query has invalid parameters", errors, null);
        }
        return new CatalogueQuery(isActive, pageSize, startingAfter, product,
                currency == null ? null : currency.toLowerCase(Locale.ROOT), type);
    }

    public static void checkId(String id) {
        if (id == null || !STRIPE_ID.matcher(id).matches()) {
            throw ApiException.notFound("No such catalogue object");
        }
    }

    String cacheKey() {
        return active + "|" + limit + "|" + startingAfter + "|" + product + "|" + currency + "|" + type;
    }
}
