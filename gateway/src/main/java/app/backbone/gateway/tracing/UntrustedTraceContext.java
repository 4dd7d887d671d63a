package app.backbone.gateway.tracing;

import java.util.Collection;

import jakarta.inject.Singleton;

import app.backbone.common.network.ClientAddresses;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.quarkus.opentelemetry.runtime.propagation.TextMapPropagatorCustomizer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.observability.HttpRequest;

/**
 * A request from anyone but a trusted proxy starts a fresh trace: its {@code traceparent}, {@code tracestate} and
 * {@code baggage} are not read, so a client can neither join our traces, force sampling nor plant baggage.
 */
@Singleton
public class UntrustedTraceContext implements TextMapPropagatorCustomizer {

    private final ClientAddresses clientAddresses;

    public UntrustedTraceContext(ClientAddresses clientAddresses) {
        this.clientAddresses = clientAddresses;
    }

    @Override
    public TextMapPropagator customize(Context context) {
        TextMapPropagator delegate = context.propagator();
        return new TextMapPropagator() {
            @Override
            public Collection<String> fields() {
                return delegate.fields();
            }

            @Override
            public <C> void inject(io.opentelemetry.context.Context ctx, C carrier, TextMapSetter<C> setter) {
                delegate.inject(ctx, carrier, setter);
            }

            @Override
            public <C> io.opentelemetry.context.Context extract(io.opentelemetry.context.Context ctx, C carrier,
                    TextMapGetter<C> getter) {
                SocketAddress peer = peerOf(carrier);
                if (peer != null && !clientAddresses.isTrusted(peer.hostAddress())) {
                    return ctx;
                }
                return delegate.extract(ctx, carrier, getter);
            }
        };
    }

    private static SocketAddress peerOf(Object carrier) {
        if (carrier instanceof HttpServerRequest request) {
            return request.remoteAddress();
        }
        if (carrier instanceof HttpRequest request) {
            return request.remoteAddress();
        }
        return null;
    }
}
