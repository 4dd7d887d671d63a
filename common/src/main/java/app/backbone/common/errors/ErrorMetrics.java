package app.backbone.common.errors;

import app.backbone.common.api.ErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InstanceHandle;

/**
 * Counts every error answer by code ({@code api_errors_total{code=...}}): signature failures, rate-limit rejections,
 * refused tokens and validation errors are all visible in {@code /q/metrics} the same way in every service.
 */
public final class ErrorMetrics {

    private ErrorMetrics() {
    }

    public static void count(ErrorCode code) {
        registry().counter("api.errors", "code", code.name()).increment();
    }

    // Error answers are written from static helpers too; the application's registry is the one /q/metrics serves.
    private static MeterRegistry registry() {
        if (Arc.container() != null) {
            InstanceHandle<MeterRegistry> handle = Arc.container().instance(MeterRegistry.class);
            if (handle.isAvailable()) {
                return handle.get();
            }
        }
        return Metrics.globalRegistry;
    }
}
