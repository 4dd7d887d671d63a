package app.backbone.common.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import app.backbone.common.api.ErrorCode;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class DependencyFailuresTest {

    @ParameterizedTest(name = "SQLSTATE {0} is SERVICE_UNAVAILABLE")
    @ValueSource(strings = {"57P01", "57P02", "57P03", "57P05", "53300", "53000", "53100", "53200", "53400", "08000",
            "08001", "08003", "08004", "08006", "08P01"})
    void databaseStartingStoppingOrOutOfConnectionsIsUnavailable(String state) {
        PgException refused = new PgException("the database system is not accepting connections", "FATAL", state, null);
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, DependencyFailures.classify(refused));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, DependencyFailures.classify(new RuntimeException("wrapped", refused)));
    }

    @Test
    void jdbcConnectionFailureIsUnavailable() {
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
                DependencyFailures.classify(new SQLTransientConnectionException("no connection", "08001")));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
                DependencyFailures.classify(new SQLException("too many clients already", "53300")));
    }

    @ParameterizedTest(name = "SQLSTATE {0} is VALIDATION_ERROR")
    @ValueSource(strings = {"22021", "22P05", "22P02", "22001", "22003"})
    void valueTheDatabaseRefusesAsDataIsTheRequestsFault(String state) {
        assertEquals(ErrorCode.VALIDATION_ERROR,
                DependencyFailures.classify(new PgException("invalid byte sequence", "ERROR", state, null)));
    }

    @ParameterizedTest(name = "SQLSTATE {0} is a bug")
    @ValueSource(strings = {"42P01", "42703", "23505", "XX000", "57014"})
    void otherDatabaseErrorsAreNotClassified(String state) {
        assertNull(DependencyFailures.classify(new PgException("relation does not exist", "ERROR", state, null)));
    }

    @Test
    void reactivePoolAndConnectionFailuresAreUnavailable() {
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, DependencyFailures.classify(ClosedConnectionException.INSTANCE));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
                DependencyFailures.classify(new ConnectionPoolTooBusyException("Connection pool reached max wait queue size of 10")));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
                DependencyFailures.classify(new VertxException("Timeout waiting for connection", true)));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, DependencyFailures.classify(new NoStackTraceThrowable("Pool closed")));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE, DependencyFailures.classify(
                new NoStackTraceThrowable("Pending requests failed to be sent due to connection has been closed.")));
        assertEquals(ErrorCode.SERVICE_UNAVAILABLE,
                DependencyFailures.classify(new RuntimeException(new ConnectException("Connection refused"))));
    }

    @Test
    void ordinaryBugsAreNotClassified() {
        assertNull(DependencyFailures.classify(new NullPointerException()));
        assertNull(DependencyFailures.classify(new IllegalStateException("unexpected state")));
    }
}
