package app.backbone.payment.billing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import app.backbone.common.api.ApiException;
import app.backbone.common.api.ErrorCode;
import app.backbone.common.api.FieldError;
import app.backbone.payment.paging.PageLimit;

/** The checked paging of {@code GET /stripe/invoices}: {@code limit} 1 to 100 (default 10), {@code starting_after}. */
public record InvoiceQuery(int limit, String startingAfter) {

    static final Pattern INVOICE_ID = Pattern.compile("in_[A-Za-z0-9_]{1,250}");

    static InvoiceQuery parse(String limit, String startingAfter) {
        List<FieldError> errors = new ArrayList<>();
        int pageSize = PageLimit.parse(limit, errors);
        if (startingAfter != null && !INVOICE_ID.matcher(startingAfter).matches()) {
            errors.add(new FieldError("starting_after", "must be a Stripe invoice id"));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_ERROR, "The query has invalid parameters", errors, null);
        }
        return new InvoiceQuery(pageSize, startingAfter);
    }
}
