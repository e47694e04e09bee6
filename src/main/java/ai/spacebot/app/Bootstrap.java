package ai.spacebot.app;

import ai.spacebot.api.Intake;
import ai.spacebot.bus.Addresses;
import ai.spacebot.config.SpacebotConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts Vert.x (clustered or not) with the main verticle, and stops it gracefully. */
public final class Bootstrap {
  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

  /** A started application. */
  /** @param telemetry the metrics registry and {@link ai.spacebot.llm.LlmMetrics} this application reports to */
  public record Running(Vertx vertx, Intake intake, SpacebotConfig config, Telemetry telemetry) {
    /**
     * Graceful stop: refuse new messages, wait up to {@code grace} for in-flight turns (whatever is
     * left is persisted and resumes at the next start), then close Vert.x.
     */
    public Future<Void> stop(Duration grace) {
      intake.close();
      long deadline = System.currentTimeMillis() + grace.toMillis();
      Promise<Void> idle = Promise.promise();
      awaitIdle(deadline, idle);
      return idle.future().compose(v -> vertx.close());
    }

    private void awaitIdle(long deadline, Promise<Void> idle) {
      vertx.eventBus().<JsonObject>request(Addresses.CHANNEL_STATUS, new JsonObject(), new DeliveryOptions().setSendTimeout(1000))
          .onComplete(ar -> {
            int busy = ar.succeeded() ? ar.result().body().getInteger("busy", 0) : 0;
            if (busy == 0 || System.currentTimeMillis() >= deadline) {
              if (busy > 0) {
                log.warn("Stopping with {} conversation(s) mid-turn; they resume at the next start", busy);
              }
              idle.complete();
            } else {
              vertx.setTimer(100, t -> awaitIdle(deadline, idle));
            }
          });
    }
  }

  private Bootstrap() {}

  /**
   * @param only descriptor names to deploy, or null for all
   */
  public static Future<Running> start(SpacebotConfig config, Path verticlesDir, Set<String> only) {
    Telemetry telemetry = Telemetry.create();
    Future<Vertx> vertx = config.cluster().enabled()
        ? Vertx.builder().with(telemetry.enable(ClusterSetup.options(config.cluster()))).withMetrics(telemetry.factory())
            .withClusterManager(ClusterSetup.clusterManager(config.cluster())).buildClustered()
        : Future.succeededFuture(Vertx.builder().with(telemetry.enable(new VertxOptions())).withMetrics(telemetry.factory()).build());
    Intake intake = new Intake();
    // Not chained on vertx.close(): its listeners would be dispatched to the closed instance's event
    // loops and never run, leaving the caller waiting forever on a failed start.
    Promise<Running> started = Promise.promise();
    vertx.onComplete(ar -> {
      if (ar.failed()) {
        started.fail(ar.cause());
        return;
      }
      Vertx v = ar.result();
      v.deployVerticle(new SpacebotVerticle(config, intake, verticlesDir, only, telemetry)).onComplete(d -> {
        if (d.succeeded()) {
          started.complete(new Running(v, intake, config, telemetry));
        } else {
          v.close();
          started.fail(d.cause());
        }
      });
    });
    return started.future();
  }
}
