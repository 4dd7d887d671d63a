package app.backbone.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;

/** What the test resource started, handed to tests through {@link InjectBackends}. */
public record TestBackends(RecordingUpstream contact, RecordingUpstream payment, RecordingUpstream webhook,
        WireMockServer jwks) {
}
