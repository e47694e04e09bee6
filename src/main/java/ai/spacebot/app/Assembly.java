package ai.spacebot.app;

import ai.spacebot.api.ApiVerticle;
import ai.spacebot.api.Intake;
import ai.spacebot.channel.ChannelVerticle;
import ai.spacebot.channel.IdentityStore;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.llm.ModelCatalog;
import ai.spacebot.messaging.portal.PortalAdapterVerticle;
import ai.spacebot.store.TranscriptRepository;
import io.vertx.core.Deployable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The one place that wires the application: maps a descriptor's class name to a constructor call with
 * the shared services. Plain constructors, no reflection.
 */
final class Assembly {
  private final SpacebotConfig config;
  private final Intake intake;
  private final ModelCatalog models;
  private TranscriptRepository transcript;
  private IdentityStore identities;

  Assembly(io.vertx.core.Vertx vertx, SpacebotConfig config, Intake intake) {
    this.config = config;
    this.intake = intake;
    this.models = new ModelCatalog(vertx, config.llm());
  }

  /** Only processes that keep conversations need the store and identity files. */
  static boolean needsStore(Deployment d) {
    return d.className().equals(ChannelVerticle.class.getName());
  }

  void useStore(TranscriptRepository transcript, IdentityStore identities) {
    this.transcript = transcript;
    this.identities = identities;
  }

  Supplier<? extends Deployable> factory(Deployment d) {
    if (d.className().equals(ApiVerticle.class.getName())) {
      return () -> new ApiVerticle(config, intake);
    }
    if (d.className().equals(ChannelVerticle.class.getName())) {
      AtomicInteger shard = new AtomicInteger();
      return () -> new ChannelVerticle(config, transcript, models, identities, shard.getAndIncrement());
    }
    if (d.className().equals(PortalAdapterVerticle.class.getName())) {
      return PortalAdapterVerticle::new;
    }
    throw new IllegalArgumentException("verticle descriptor \"" + d.name() + "\" names unknown class " + d.className());
  }
}
