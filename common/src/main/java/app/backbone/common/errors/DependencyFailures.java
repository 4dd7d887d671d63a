package app.backbone.common.errors;

import java.lang.reflect.Method;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import app.backbone.common.api.ErrorCode;

/**
 * Recognises, in a cause chain, a failure that is not the request's fault: a database or upstream that is down,
 * starting, shutting down, out of connections or too slow ({@link ErrorCode#SERVICE_UNAVAILABLE}); and a value the
 * database refused as data, which is the request's fault ({@link ErrorCode#VALIDATION_ERROR}).
 */
public final class DependencyFailures {

    private DependencyFailures() {
    }

    /** The code to answer for this failure, or null when it is none of the above (a bug: 500). */
    public static ErrorCode classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String state = sqlState(t);
            if (state != null) {
                if (isUnavailableState(state)) {
                    return ErrorCode.SERVICE_UNAVAILABLE;
                }
                if (state.startsWith("22")) {
                    return ErrorCode.VALIDATION_ERROR;
                }
            }
            if (isUnreachable(t)) {
                return ErrorCode.SERVICE_UNAVAILABLE;
            }
        }
        return null;
    }

    /**
     * PostgreSQL SQLSTATEs that mean "not now" rather than "never": class 08 (connection exception), class 53
     * (insufficient resources, e.g. 53300 too_many_connections), 57P01 admin_shutdown, 57P02 crash_shutdown,
     * 57P03 cannot_connect_now (starting up or shutting down), 57P05 idle_session_timeout.
     */
    static boolean isUnavailableState(String state) {
        return state.startsWith("08") || state.startsWith("53") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("57P05");
    }

    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static boolean isUnreachable(Throwable t) {
        String type = t.getClass().getName();
        return t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof TimeoutException
                || type.equals("io.vertx.sqlclient.ClosedConnectionException")
                || type.equals("io.vertx.core.impl.NoStackTraceTimeoutException")
                || type.equals("io.vertx.core.http.ConnectionPoolTooBusyException")
                || type.startsWith("io.netty.channel.ConnectTimeoutException")
                || type.equals("io.netty.channel.AbstractChannel$AnnotatedConnectException")
                || type.equals("io.smallrye.mutiny.TimeoutException")
                || isConnectionMessage(t.getMessage());
    }

    // The reactive client (PgException, DatabaseException) and JDBC (SQLException) both carry the SQLSTATE; common
    // depends on neither, so it is read by name.
    private static String sqlState(Throwable t) {
        for (String accessor : new String[] {"getSqlState", "getSQLState"}) {
            try {
                Method method = t.getClass().getMethod(accessor);
                Object state = method.invoke(t);
                if (state instanceof String s && s.length() == 5) {
                    return s.toUpperCase(Locale.ROOT);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // no such accessor on this type
            }
        }
        return null;
    }

    private static boolean isConnectionMessage(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("connection refused") || m.contains("connection reset") || m.contains("connection is closed")
                || m.contains("connection has been closed") || m.contains("connection was closed")
                || m.contains("connection closed") || m.contains("pool closed")
                || m.contains("timeout") && m.contains("connection") || m.contains("failed to connect");
    }
}
