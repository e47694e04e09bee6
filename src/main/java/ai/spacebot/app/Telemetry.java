package ai.spacebot.app;

import ai.spacebot.llm.LlmMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;

/**
 * The process's metrics: one Prometheus registry that Vert.x reports into (HTTP server and client, event bus,
 * pools, JVM) and that the application's own meters ({@link LlmMetrics}) use; {@code GET /metrics} renders it.
 */
public record Telemetry(PrometheusMeterRegistry registry, LlmMetrics llm) {
  public static Telemetry create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    return new Telemetry(registry, new LlmMetrics(registry));
  }

  /** Turns Vert.x's metrics on in {@code options}, into this registry. */
  VertxOptions enable(VertxOptions options) {
    // A name of its own: Vert.x keeps registries by name JVM-wide, and tests run several apps in one JVM.
    return options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .setRegistryName("spacebot-" + UUID.randomUUID()));
  }

  MicrometerMetricsFactory factory() {
    return new MicrometerMetricsFactory(registry);
  }
}
