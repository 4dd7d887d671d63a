package app.backbone.common.errors;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import app.backbone.common.api.ErrorCode;

/** Recognises a failure of something outside (a database or upstream that is down or too slow) in a cause chain. */
public final class DependencyFailures {

    private DependencyFailures() {
    }

    /** {@link ErrorCode#SERVICE_UNAVAILABLE} when the failure is a dependency being unreachable, else null. */
    public static ErrorCode classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String type = t.getClass().getName();
            if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || type.equals("io.vertx.sqlclient.ClosedConnectionException")
                    || type.equals("io.vertx.core.impl.NoStackTraceTimeoutException")
                    || type.equals("io.vertx.core.http.ConnectionPoolTooBusyException")
                    || type.startsWith("io.netty.channel.ConnectTimeoutException")
                    || type.equals("io.netty.channel.AbstractChannel$AnnotatedConnectException")
                    || type.equals("io.smallrye.mutiny.TimeoutException")
                    || isConnectionMessage(t.getMessage())) {
                return ErrorCode.SERVICE_UNAVAILABLE;
            }
        }
        return null;
    }

    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static boolean isConnectionMessage(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase();
        return m.contains("connection refused") || m.contains("connection reset") || m.contains("connection is closed")
                || m.contains("timeout") && m.contains("connection") || m.contains("failed to connect");
    }
}
