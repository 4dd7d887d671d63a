package app.backbone.payment.paging;

import java.util.List;

import app.backbone.common.api.FieldError;

/** The {@code limit} query parameter of every paged list (the catalogue, invoices): 1 to 100, 10 when absent. */
public final class PageLimit {

    public static final int DEFAULT = 10;
    public static final int MAX = 100;

    private PageLimit() {
    }

    /** The page size {@code limit} asks for; a bad value adds its field error and answers the default. */
    public static int parse(String limit, List<FieldError> errors) {
        if (limit == null) {
            return DEFAULT;
        }
        try {
            int size = Integer.parseInt(limit.trim());
            if (size >= 1 && size <= MAX) {
                return size;
            }
            errors.add(new FieldError("limit", "must be between 1 and " + MAX));
        } catch (NumberFormatException e) {
            errors.add(new FieldError("limit", "must be a whole number between 1 and " + MAX));
        }
        return DEFAULT;
    }
}
