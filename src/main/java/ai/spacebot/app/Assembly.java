package ai.spacebot.app;

import ai.spacebot.api.ApiVerticle;
import ai.spacebot.api.Intake;
import ai.spacebot.branch.BranchVerticle;
import ai.spacebot.compactor.CompactorVerticle;
import ai.spacebot.worker.WorkerVerticle;
import ai.spacebot.channel.ChannelVerticle;
import ai.spacebot.channel.IdentityStore;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.cortex.CortexVerticle;
import ai.spacebot.llm.ModelCatalog;
import ai.spacebot.llm.routing.ModelRouter;
import ai.spacebot.llm.usage.BudgetGate;
import ai.spacebot.llm.usage.UsageRepository;
import ai.spacebot.llm.usage.UsageVerticle;
import ai.spacebot.memory.Embeddings;
import ai.spacebot.memory.MemoryStore;
import ai.spacebot.memory.MemoryVerticle;
import ai.spacebot.memory.embedded.EmbeddedMemoryStore;
import ai.spacebot.memory.postgres.PgMemoryStore;
import ai.spacebot.secrets.ConfigCredentials;
import ai.spacebot.secrets.SecretScrubber;
import ai.spacebot.store.postgres.PgDatabase;
import ai.spacebot.store.Database;
import ai.spacebot.messaging.portal.PortalAdapterVerticle;
import ai.spacebot.messaging.discord.DiscordAdapterVerticle;
import ai.spacebot.messaging.slack.SlackAdapterVerticle;
import ai.spacebot.messaging.telegram.TelegramAdapterVerticle;
import ai.spacebot.messaging.webhook.WebhookAdapterVerticle;
import ai.spacebot.messaging.twitch.TwitchAdapterVerticle;
import ai.spacebot.store.TranscriptRepository;
import ai.spacebot.store.OutboxRepository;
import ai.spacebot.store.AdapterStateRepository;
import ai.spacebot.messaging.OutboxVerticle;
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
  private final ModelRouter router;
  private TranscriptRepository transcript;
  private OutboxRepository outbox;
  private AdapterStateRepository adapterState;
  private IdentityStore identities;
  private MemoryStore memories;
  private UsageRepository usage;
  private final io.vertx.core.Vertx vertx;
  /** This node's budget cache (one per Vertx, see {@link BudgetGate#of}); model callers ask it before a call. */
  private final BudgetGate budgets;

  private final Telemetry telemetry;
  private ai.spacebot.secrets.SecretStore secrets;

  Assembly(io.vertx.core.Vertx vertx, SpacebotConfig config, Intake intake, Telemetry telemetry) {
    this.vertx = vertx;
    this.config = config;
    this.intake = intake;
    this.telemetry = telemetry;
    // Before anything can print them: the config's credentials are known secrets from here on (replies, events,
    // tool results and logs are scrubbed of them).
    ConfigCredentials.register(config, SecretScrubber.of(vertx).secrets());
    // Model-call code reports through models.metrics(): the one LlmMetrics of this application.
    this.models = new ModelCatalog(vertx, config.llm(), telemetry.llm());
    this.budgets = BudgetGate.of(vertx);
    this.router = new ModelRouter(vertx, config.llm(), models, budgets);
  }

  /** The node's secret store, for the API; null when this node opened no store. */
  void useSecrets(ai.spacebot.secrets.SecretStore secrets) {
    this.secrets = secrets;
  }

  ModelCatalog models() {
    return models;
  }

  BudgetGate budgets() {
    return budgets;
  }

  /** Only processes that keep conversations or memories need the database. */
  static boolean needsStore(Deployment d) {
    return d.className().equals(ChannelVerticle.class.getName()) || d.className().equals(MemoryVerticle.class.getName())
        || d.className().equals(UsageVerticle.class.getName()) || d.className().equals(OutboxVerticle.class.getName());
  }

  /**
   * @param memoryDb the Postgres database when {@code store.kind} is postgres (memories live there;
   *     transcripts stay in SQLite for now), else null
   */
  void useStore(Database db, PgDatabase memoryDb, IdentityStore identities) {
    this.transcript = new TranscriptRepository(db);
    this.outbox = new OutboxRepository(db);
    this.adapterState = new AdapterStateRepository(db);
    this.usage = new UsageRepository(db);
    this.identities = identities;
    this.memories = memoryDb != null ? new PgMemoryStore(memoryDb.pool(), new Embeddings(vertx))
        : new EmbeddedMemoryStore(vertx, db, new Embeddings(vertx), config.dataDir().resolve("lucene"));
  }

  /** Closes what the assembly opened (the memory indexes); the database is closed by its owner. */
  io.vertx.core.Future<Void> close() {
    return memories == null ? io.vertx.core.Future.succeededFuture() : memories.close();
  }

  Supplier<? extends Deployable> factory(Deployment d) {
    return factory(d, config);
  }

  /** @param current the configuration to give the verticle (newer than the assembly's after an unlock) */
  Supplier<? extends Deployable> factory(Deployment d, SpacebotConfig current) {
    if (d.className().equals(TelegramAdapterVerticle.class.getName())) {
      return () -> new TelegramAdapterVerticle(current, telemetry.registry());
    }
    if (d.className().equals(DiscordAdapterVerticle.class.getName())) {
      return () -> new DiscordAdapterVerticle(current, telemetry.registry());
    }
    if (d.className().equals(WebhookAdapterVerticle.class.getName())) {
      return () -> new WebhookAdapterVerticle(current, telemetry.registry());
    }
    if (d.className().equals(TwitchAdapterVerticle.class.getName())) {
      return () -> new TwitchAdapterVerticle(current, telemetry.registry());
    }
    if (d.className().equals(SlackAdapterVerticle.class.getName())) {
      return () -> new SlackAdapterVerticle(current, telemetry.registry());
    }
    if (d.className().equals(ApiVerticle.class.getName())) {
      return () -> new ApiVerticle(config, intake, telemetry.registry(), secrets);
    }
    if (d.className().equals(ChannelVerticle.class.getName())) {
      AtomicInteger shard = new AtomicInteger();
      return () -> new ChannelVerticle(config, transcript, outbox, router, identities, shard.getAndIncrement());
    }
    if (d.className().equals(MemoryVerticle.class.getName())) {
      return () -> new MemoryVerticle(memories);
    }
    if (d.className().equals(UsageVerticle.class.getName())) {
      return () -> new UsageVerticle(config, usage);
    }
    if (d.className().equals(CompactorVerticle.class.getName())) {
      return () -> new CompactorVerticle(config, router);
    }
    if (d.className().equals(BranchVerticle.class.getName())) {
      return () -> new BranchVerticle(config, router);
    }
    if (d.className().equals(WorkerVerticle.class.getName())) {
      return () -> new WorkerVerticle(config, router);
    }
    if (d.className().equals(CortexVerticle.class.getName())) {
      return () -> new CortexVerticle(config);
    }
    if (d.className().equals(OutboxVerticle.class.getName())) {
      return () -> new OutboxVerticle(config, outbox, adapterState);
    }
    if (d.className().equals(PortalAdapterVerticle.class.getName())) {
      return () -> new PortalAdapterVerticle(telemetry.registry());
    }
    throw new IllegalArgumentException("verticle descriptor \"" + d.name() + "\" names unknown class " + d.className());
  }
}
