package ai.spacebot.app;

import ai.spacebot.api.ApiVerticle;
import ai.spacebot.api.Intake;
import ai.spacebot.channel.IdentityStore;
import ai.spacebot.config.ConfigLoader;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.StoreConfig;
import ai.spacebot.store.Database;
import ai.spacebot.store.SqliteSecretRows;
import ai.spacebot.store.postgres.PgSecretRows;
import ai.spacebot.store.postgres.PgDatabase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main verticle: reads the descriptors, opens the store if a process needs it, and deploys the
 * processes in order. It is also the entry point for Vert.x's own launcher
 * ({@code VertxApplication ai.spacebot.app.SpacebotVerticle -conf FILE}), whose JSON config may name
 * {@code config_file}, {@code verticles_dir} and {@code only} (a list of descriptor names).
 */
public final class SpacebotVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(SpacebotVerticle.class);

  private SpacebotConfig config;
  private final Intake intake;
  private Path verticlesDir;
  private Set<String> only;
  private Database database;
  private PgDatabase memoryDatabase;
  private Assembly assembly;
  private final Telemetry telemetry;
  private ai.spacebot.secrets.SecretStore secrets;
  /** Adapters not deployed because their token waits for the locked secret store. */
  private final List<Deployment> waitingAdapters = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** For Vert.x's launcher: configuration comes from the environment and the verticle's JSON config. */
  public SpacebotVerticle() {
    // Vert.x was created by the launcher, without our metrics options: /metrics then shows only our own meters.
    this(null, new Intake(), null, null, Telemetry.create());
  }

  public SpacebotVerticle(SpacebotConfig config, Intake intake, Path verticlesDir, Set<String> only) {
    this(config, intake, verticlesDir, only, Telemetry.create());
  }

  public SpacebotVerticle(SpacebotConfig config, Intake intake, Path verticlesDir, Set<String> only, Telemetry telemetry) {
    this.telemetry = telemetry;
    this.config = config;
    this.intake = intake;
    this.verticlesDir = verticlesDir;
    this.only = only;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
          if (config == null) {
            String file = config().getString("config_file");
            config = new ConfigLoader(System.getenv()).load(file == null ? null : Path.of(file));
            String dir = config().getString("verticles_dir");
            verticlesDir = dir != null ? Path.of(dir) : defaultVerticlesDir();
            JsonArray names = config().getJsonArray("only");
            only = names == null ? null : names.stream().map(String::valueOf).collect(Collectors.toSet());
          }
          Files.createDirectories(config.dataDir().resolve("logs"));
          List<Deployment> all = Deployment.load(verticlesDir);
          return only == null ? all : all.stream().filter(d -> only.contains(d.name())).toList();
        })
        .compose(this::deployAll);
  }

  /** {@code SPACEBOT_VERTICLES_DIR}, else {@code ./verticles} if present (else the jar's copies). */
  public static Path defaultVerticlesDir() {
    String env = System.getenv("SPACEBOT_VERTICLES_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path local = Path.of("verticles");
    return Files.isDirectory(local) ? local : null;
  }

  private Future<?> deployAll(List<Deployment> deployments) {
    Future<Void> ready = Future.succeededFuture();
    IdentityStore identities = new IdentityStore(vertx, config);
    if (deployments.stream().anyMatch(Assembly::needsStore)) {
      // Postgres first: when it cannot be reached, start-up stops before anything else is opened or logged.
      ready = (config.store().kind().equals(StoreConfig.POSTGRES)
              ? PgDatabase.open(vertx, config.store().postgresUrl()).onSuccess(pg -> memoryDatabase = pg)
              : Future.<PgDatabase>succeededFuture(null))
          .compose(pg -> Database.open(vertx, config.dataDir().resolve("spacebot.db")).onSuccess(db -> database = db))
          .compose(db -> StartupSecrets.open(vertx, config, memoryDatabase != null
              ? new PgSecretRows(memoryDatabase.pool()) : new SqliteSecretRows(db)))
          .onSuccess(store -> secrets = store)
          .recover(err -> closeStores().transform(x -> Future.failedFuture(err)))
          .mapEmpty();
    }
    return ready.compose(v -> {
      if (secrets != null) {
        // secret: values come from the store now; a name it does not hold stops the start with the key that names it.
        config = config.resolveSecrets(secrets.lookup());
      }
      StartupSecrets.reportWaiting(vertx, config);
      Assembly assembly = new Assembly(vertx, config, intake, telemetry);
      this.assembly = assembly;
      assembly.models().useProviders(config.llm(), StartupSecrets.waitingProviders(config));
      assembly.useSecrets(secrets);
      if (database != null) {
        assembly.useStore(database, memoryDatabase, identities);
        return identities.start();
      }
      return Future.<Void>succeededFuture();
    }).compose(v -> {
      Future<Void> chain = Future.succeededFuture();
      for (Deployment d : deployments) {
        String waitsFor = StartupSecrets.adapterWaitsFor(d, config);
        if (waitsFor != null) {
          waitingAdapters.add(d);
          StartupSecrets.markAdapterWaiting(vertx, d, waitsFor);
          continue;
        }
        chain = chain.compose(x -> vertx.deployVerticle(assembly.factory(d), d.options())
            .onSuccess(id -> log.debug("Deployed {} x{}", d.name(), d.instances()))
            .mapEmpty());
      }
      return chain;
    }).onSuccess(v -> vertx.sharedData().getLocalMap(ApiVerticle.NODE_STATE).put(ApiVerticle.READY, true))
        .onSuccess(v -> {
          if (secrets != null) {
            io.vertx.core.Context context = vertx.getOrCreateContext();
            secrets.onUnlock(() -> context.runOnContext(x -> unlocked()));
          }
        })
        .onSuccess(v -> log.info("Spacebot {} running: {} (data in {})", Version.get(),
        deployments.stream().filter(d -> !waitingAdapters.contains(d)).map(d -> d.name() + "×" + d.instances())
            .collect(Collectors.joining(", ")), config.dataDir()));
  }

  /**
   * The store was unlocked through the API: build the config again with its values, give the model providers their
   * keys and start the adapters that waited. A secret still unreadable keeps its adapter waiting.
   */
  private void unlocked() {
    SpacebotConfig resolved;
    try {
      resolved = config.resolveSecrets(secrets.lookup());
    } catch (ai.spacebot.config.ConfigException e) {
      log.error("After unlocking the secret store the configuration still cannot be read: {}", e.getMessage());
      return;
    }
    config = resolved;
    assembly.models().useProviders(resolved.llm(), StartupSecrets.waitingProviders(resolved));
    StartupSecrets.reportWaiting(vertx, resolved);
    for (Deployment d : List.copyOf(waitingAdapters)) {
      if (StartupSecrets.adapterWaitsFor(d, resolved) != null) {
        continue;
      }
      waitingAdapters.remove(d);
      vertx.deployVerticle(assembly.factory(d, resolved), d.options())
          .onSuccess(id -> log.info("Secret store unlocked: started {} x{}", d.name(), d.instances()))
          .onFailure(err -> log.error("Secret store unlocked, but {} did not start: {}", d.name(), err.getMessage()));
    }
  }

  @Override
  public Future<?> stop() {
    // Child deployments are undeployed before this runs, so nothing uses the database any more.
    Future<Void> closed = assembly == null ? Future.succeededFuture() : assembly.close();
    return closed.compose(v -> closeStores());
  }

  private Future<Void> closeStores() {
    Future<Void> sqlite = database == null ? Future.succeededFuture() : database.close();
    Future<Void> postgres = memoryDatabase == null ? Future.succeededFuture() : memoryDatabase.close();
    database = null;
    memoryDatabase = null;
    return Future.join(sqlite, postgres).mapEmpty();
  }
}
