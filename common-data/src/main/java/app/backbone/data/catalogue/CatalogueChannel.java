package app.backbone.data.catalogue;

/**
 * The PostgreSQL channel that says the Stripe catalogue changed: webhook-service {@code NOTIFY}s it (with the product or
 * price id) in the transaction of a {@code product.*}/{@code price.*} event, payment-service {@code LISTEN}s and drops
 * its catalogue cache.
 */
public final class CatalogueChannel {

    public static final String NAME = "catalogue_changed";

    private CatalogueChannel() {
    }
}
