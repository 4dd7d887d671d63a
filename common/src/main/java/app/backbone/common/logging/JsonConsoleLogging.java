package app.backbone.common.logging;

import java.util.logging.Handler;
import java.util.logging.Logger;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * Switches the console to one JSON object per line (with the MDC: request id, trace id) when
 * {@code backbone.log.json} is on, as it is in production. The Quarkus JSON logging extension is not available in
 * the repository these builds use, so a small formatter is installed here.
 */
@ApplicationScoped
public class JsonConsoleLogging {

    void install(@Observes @Priority(1) StartupEvent event,
            @ConfigProperty(name = "backbone.log.json", defaultValue = "false") boolean json) {
        if (!json) {
            return;
        }
        JsonLineFormatter formatter = new JsonLineFormatter();
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.setFormatter(formatter);
            if (handler instanceof org.jboss.logmanager.ExtHandler ext) {
                for (Handler child : ext.getHandlers()) {
                    child.setFormatter(formatter);
                }
            }
        }
    }
}
