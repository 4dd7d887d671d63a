package app.backbone.testing;

/**
 * A test profile that also implements this gets its fresh database filled by {@link #seed()} before the service starts
 * and migrates it (use {@link PostgresResource#runScript} and {@link PostgresResource#runSql}): how the adoption tests
 * put an Express backend's tables and rows in place.
 */
public interface SeededDatabase {

    /** Fills the new, empty test database. */
    void seed();
}
