package ai.spacebot.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the configuration: the bundled defaults ({@code conf/spacebot.yaml}), then the operator's file
 * ({@code --config FILE} or {@code $SPACEBOT_DIR/config.yaml}), then the {@code SPACEBOT_*} environment
 * variables. Everything is validated here so that business code only sees typed records.
 */
public final class ConfigLoader {
  public static final String DEFAULTS_RESOURCE = "conf/spacebot.yaml";
  private static final Pattern POSTGRES_URL = Pattern.compile("(?i)(jdbc:)?postgres(ql)?://[^/\\s]+(/\\S*)?");
  private static final Pattern AGENT_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
  /** Provider precedence when nothing names a model: the order the README documents. */
  private static final List<String> PREFERRED_PROVIDERS = List.of("openai", "anthropic", "openrouter", "ollama");
  private static final Set<String> PROVIDER_KINDS = new java.util.TreeSet<>(Set.of("openai", "azure-openai", "anthropic", "ollama", "gemini"));
  /** RFC 9110 token characters: what a header name may be made of. */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** Headers the HTTP client itself must write for the body and connection to be right. */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "content-type", "transfer-encoding", "connection");
  private static final Set<String> SLOTS = Set.of("channel", "branch", "worker", "compactor", "cortex");

  private static final Map<String, Set<String>> KNOWN_KEYS = Map.ofEntries(
      Map.entry("", Set.of("api", "store", "llm", "defaults", "agents", "channel", "branch", "worker", "compaction",
          "cortex", "budget", "delivery", "events", "cluster", "messaging", "bindings", "tools", "secrets", "permissions")),
      Map.entry("tools", Set.of("web")),
      Map.entry("tools.web", Set.of("allow_hosts", "max_body_bytes", "timeout_seconds", "max_chars")),
      Map.entry("secrets", Set.of("key_file")),
      Map.entry("permissions", PermissionsReader.KEYS),
      Map.entry("channel.rate_limit", PermissionsReader.RATE_LIMIT_KEYS),
      Map.entry("messaging", Set.of("telegram", "discord", "slack", "twitch", "default_group_mode", "webhooks")),
      Map.entry("messaging.slack", MessagingConfigReader.SLACK_KEYS),
      Map.entry("messaging.telegram", MessagingConfigReader.TELEGRAM_KEYS),
      Map.entry("messaging.discord", MessagingConfigReader.DISCORD_KEYS),
      Map.entry("messaging.twitch", MessagingConfigReader.TWITCH_KEYS),
      Map.entry("api", Set.of("port", "bind", "auth_token", "max_message_bytes", "max_body_bytes",
          "idle_timeout_seconds", "request_timeout_ms", "max_connections_per_address", "session_ttl_hours",
          "sessions_per_address_per_hour")),
      Map.entry("store", Set.of("kind", "postgres")),
      Map.entry("llm", Set.of("timeout_seconds", "providers", "fallbacks", "retry", "cooldown_seconds",
          "quota_cooldown_seconds", "circuit_breaker", "prices", "vision_models")),
      Map.entry("llm.retry", Set.of("max_attempts", "initial_backoff_ms", "max_retry_after_seconds")),
      Map.entry("llm.circuit_breaker", Set.of("failure_rate", "window", "open_seconds")),
      Map.entry("budget", Set.of("daily_usd", "conversation_daily_usd", "timezone", "warn_at")),
      Map.entry("defaults", Set.of("routing")),
      Map.entry("channel", Set.of("max_turns", "history_limit", "retrigger_debounce_ms", "max_retriggers",
          "coalesce_window_ms", "coalesce_max_wait_ms", "rate_limit")),
      Map.entry("branch", Set.of("max_concurrent", "max_turns", "timeout_seconds")),
      Map.entry("worker", Set.of("max_concurrent", "segment_turns", "max_segments", "timeout_seconds",
          "shell_timeout_seconds", "shell_max_timeout_seconds", "output_cap_bytes", "env_passthrough",
          "compact_threshold", "compact_fraction", "overflow_fraction", "sandbox", "sandbox_network",
          "sandbox_memory_mb", "sandbox_hidden_paths", "sandbox_max_processes", "sandbox_cpu_seconds")),
      Map.entry("compaction", Set.of("context_window", "background_threshold", "background_fraction",
          "aggressive_threshold", "aggressive_fraction", "emergency_threshold", "emergency_fraction", "fork_reserve",
          "fork_keep_last")),
      Map.entry("cortex", Set.of("tick_seconds", "stuck_after_seconds", "maintenance_interval_seconds",
          "association_interval_seconds", "failure_limit", "pause_seconds")),
      Map.entry("delivery", Set.of("max_attempts", "initial_backoff_ms", "max_backoff_ms")),
      Map.entry("events", Set.of("replay_buffer", "client_buffer", "client_buffer_bytes", "ping_seconds")),
      Map.entry("cluster", Set.of("name", "host", "port", "members")));

  private static final Set<String> PROVIDER_KEYS = Set.of("kind", "api_key", "base_url", "default_model", "headers", "api_version");
  private static final Set<String> AGENT_KEYS = Set.of("id", "name", "routing", "budget", "permissions");

  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** The data dir: {@code SPACEBOT_DIR}, else {@code ~/.spacebot}. */
  public static Path dataDir(Map<String, String> env) {
    String dir = env.get("SPACEBOT_DIR");
    if (dir != null && !dir.isBlank()) {
      return Path.of(dir).toAbsolutePath().normalize();
    }
    return Path.of(System.getProperty("user.home"), ".spacebot");
  }

  /**
   * @param explicitFile {@code --config FILE}, or null to use {@code $SPACEBOT_DIR/config.yaml} if present
   */
  public SpacebotConfig load(Path explicitFile) {
    return load(explicitFile, SecretLookup.DEFERRED);
  }

  /**
   * @param secrets where {@code secret:NAME} values come from; {@link SecretLookup#DEFERRED} before the store is
   *     open (they wait, see {@link SecretsConfig#waiting()}), then {@link SpacebotConfig#resolveSecrets} again
   */
  public SpacebotConfig load(Path explicitFile, SecretLookup secrets) {
    Path dataDir = dataDir(env);
    ConfigValue.Mapping merged = new YamlSource(DEFAULTS_RESOURCE, env).parse(readDefaults());
    Path file = explicitFile != null ? explicitFile : dataDir.resolve("config.yaml");
    if (explicitFile != null && !Files.isRegularFile(explicitFile)) {
      throw new ConfigException("config file " + explicitFile + " does not exist");
    }
    if (Files.isRegularFile(file)) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
      }
      ConfigValue.Mapping user = new YamlSource(file.toString(), env).parse(text);
      checkKnownKeys(new ConfigTree(user));
      merged = ConfigTree.merge(merged, user);
    }
    merged = applyEnvironment(merged);
    return resolver(merged, dataDir).apply(secrets);
  }

  /** Builds the typed config from the merged tree with a given secret lookup; every result can be built again. */
  private java.util.function.Function<SecretLookup, SpacebotConfig> resolver(ConfigValue.Mapping merged, Path dataDir) {
    return lookup -> build(new ConfigTree(merged, new ConfigTree.References(env, lookup)), dataDir,
        resolver(merged, dataDir));
  }

  private ConfigValue.Mapping applyEnvironment(ConfigValue.Mapping config) {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("SPACEBOT_PORT", "api.port");
    overrides.put("SPACEBOT_BIND", "api.bind");
    overrides.put("SPACEBOT_AUTH_TOKEN", "api.auth_token");
    overrides.put("SPACEBOT_STORE", "store.kind");
    overrides.put("SPACEBOT_PG_URL", "store.postgres.url");
    for (var e : overrides.entrySet()) {
      String value = env.get(e.getKey());
      if (value != null && !value.isBlank()) {
        config = ConfigTree.with(config, e.getValue(), value, "environment variable " + e.getKey());
      }
    }
    return config;
  }

  private SpacebotConfig build(ConfigTree t, Path dataDir, java.util.function.Function<SecretLookup, SpacebotConfig> resolver) {
    // These are needed to open the secret store, so they cannot come from it.
    for (String key : List.of("store.postgres.url", "secrets.key_file")) {
      if (t.find(key) instanceof ConfigValue.Scalar s && !s.isNull() && s.text().trim().startsWith("secret:")) {
        throw ConfigTree.bad(key, s, "cannot come from the secret store, which is opened with it; use env:VAR instead");
      }
    }
    // A token waiting for a locked store would read as unset, and an unset token opens the API to every caller; the
    // CLI also needs it before any store is open.
    if (t.find("api.auth_token") instanceof ConfigValue.Scalar s && !s.isNull() && s.text().trim().startsWith("secret:")) {
      throw ConfigTree.bad("api.auth_token", s, "cannot come from the secret store (while it is locked the API would be "
          + "open, and the CLI reads the token before any store is open); use env:VAR or SPACEBOT_AUTH_TOKEN");
    }
    String keyFileText = t.string("secrets.key_file", null);
    Path keyFile = keyFileText == null ? null : dataDir.resolve(keyFileText).toAbsolutePath().normalize();
    ApiConfig api = new ApiConfig(
        t.integer("api.port", 19898, 0, 65535),
        t.string("api.bind", "127.0.0.1"),
        t.string("api.auth_token", null),
        t.integer("api.max_message_bytes", 65536, 1, 10 * 1024 * 1024),
        t.integer("api.max_body_bytes", 10 * 1024 * 1024, 1024, Integer.MAX_VALUE),
        t.integer("api.idle_timeout_seconds", 60, 1, 86_400),
        t.integer("api.request_timeout_ms", 30_000, 100, 3_600_000),
        t.integer("api.max_connections_per_address", 256, 1, 1_000_000),
        t.integer("api.session_ttl_hours", 168, 1, 24 * 366),
        t.integer("api.sessions_per_address_per_hour", 30, 1, 1_000_000));

    // The event stream's pings are what keep an idle stream from the idle timeout.
    int pingSeconds = t.integer("events.ping_seconds", 15, 1, 3600);
    if (api.idleTimeoutSeconds() <= pingSeconds) {
      throw ConfigTree.bad("api.idle_timeout_seconds", t.find("api.idle_timeout_seconds"), "must be above events.ping_seconds ("
          + pingSeconds + "), or idle event streams are cut off between pings");
    }

    String kind = t.string("store.kind", StoreConfig.EMBEDDED);
    if (!kind.equals(StoreConfig.EMBEDDED) && !kind.equals(StoreConfig.POSTGRES)) {
      throw ConfigTree.bad("store.kind", t.find("store.kind"), "must be embedded or postgres, got \"" + kind + "\"");
    }
    StoreConfig store = new StoreConfig(kind, t.string("store.postgres.url", null));
    if (kind.equals(StoreConfig.POSTGRES)) {
      String url = store.postgresUrl();
      if (url == null || url.isBlank()) {
        throw ConfigTree.bad("store.postgres.url", t.find("store.kind"), "is required when store.kind is postgres; "
            + "set it (or SPACEBOT_PG_URL) to postgresql://user:password@host:port/database");
      }
      // The URL holds a password: say what is wrong with it, never echo it.
      if (!POSTGRES_URL.matcher(url.strip()).matches()) {
        throw ConfigTree.bad("store.postgres.url", t.find("store.postgres.url"),
            "must look like postgresql://user:password@host:port/database");
      }
    }

    Map<String, ProviderConfig> providers = providers(t);
    LlmConfig llm = new LlmConfig(providers, t.integer("llm.timeout_seconds", 120, 1, 3600), fallbacks(t, providers),
        new ResilienceSettings(
            t.integer("llm.retry.max_attempts", 3, 1, 10),
            t.integer("llm.retry.initial_backoff_ms", 500, 1, 60_000),
            t.integer("llm.retry.max_retry_after_seconds", 30, 0, 3600),
            t.integer("llm.cooldown_seconds", 60, 0, 86_400),
            t.integer("llm.quota_cooldown_seconds", 3600, 0, 604_800),
            t.integer("llm.circuit_breaker.failure_rate", 50, 1, 100),
            t.integer("llm.circuit_breaker.window", 10, 1, 1000),
            t.integer("llm.circuit_breaker.open_seconds", 30, 1, 86_400)),
        prices(t), t.strings("llm.vision_models"));

    Routing fallback = fallbackRouting(providers);
    Routing defaults = routing(t, "defaults.routing", providers);
    BudgetSettings budget = budget(t, "budget", BudgetSettings.NONE);
    Permissions permissions = PermissionsReader.read(t, "permissions", Permissions.DEFAULTS);
    List<AgentConfig> agents = agents(t, providers, defaults.orElse(fallback), budget, permissions);

    MessagingConfig messaging = MessagingConfigReader.read(t, env,
        agents.stream().map(AgentConfig::id).collect(java.util.stream.Collectors.toSet()));
    return new SpacebotConfig(
        dataDir,
        api,
        store,
        llm,
        agents,
        new ChannelSettings(
            t.integer("channel.max_turns", 5, 1, 100),
            t.integer("channel.history_limit", 200, 0, 10000),
            t.integer("channel.retrigger_debounce_ms", 500, 0, 60_000),
            t.integer("channel.max_retriggers", 3, 0, 100),
            t.integer("channel.coalesce_window_ms", 1500, 0, 60_000),
            t.integer("channel.coalesce_max_wait_ms", 5000, 0, 600_000),
            PermissionsReader.rateLimit(t)),
        new BranchSettings(
            t.integer("branch.max_concurrent", 5, 1, 100),
            t.integer("branch.max_turns", 50, 1, 1000),
            t.integer("branch.timeout_seconds", 600, 1, 86_400)),
        new WorkerSettings(
            t.integer("worker.max_concurrent", 5, 1, 100),
            t.integer("worker.segment_turns", 15, 1, 1000),
            t.integer("worker.max_segments", 10, 1, 1000),
            t.integer("worker.timeout_seconds", 1800, 1, 86_400),
            t.integer("worker.shell_timeout_seconds", 60, 1, 86_400),
            t.integer("worker.shell_max_timeout_seconds", 600, 1, 86_400),
            t.integer("worker.output_cap_bytes", 50 * 1024, 1024, 64 * 1024 * 1024),
            t.strings("worker.env_passthrough"),
            t.decimal("worker.compact_threshold", 0.70, 0.01, 1.0),
            t.decimal("worker.compact_fraction", 0.50, 0.01, 0.99),
            t.decimal("worker.overflow_fraction", 0.75, 0.01, 0.99),
            sandbox(t)),
        compaction(t),
        new CortexSettings(
            t.integer("cortex.tick_seconds", 30, 1, 3600),
            t.integer("cortex.stuck_after_seconds", 900, 1, 86_400),
            t.integer("cortex.maintenance_interval_seconds", 3600, 1, 604_800),
            t.integer("cortex.association_interval_seconds", 300, 1, 604_800),
            t.integer("cortex.failure_limit", 3, 1, 100),
            t.integer("cortex.pause_seconds", 1800, 1, 604_800)),
        new DeliveryConfig(
            t.integer("delivery.max_attempts", 3, 1, 20),
            t.integer("delivery.initial_backoff_ms", 1000, 1, 600_000),
            t.integer("delivery.max_backoff_ms", 8000, 1, 3_600_000),
            MessagingConfigReader.webhookAttempts(messaging)),
        messaging,
        new EventsConfig(
            t.integer("events.replay_buffer", 1000, 0, 1_000_000),
            t.integer("events.client_buffer", 512, 1, 1_000_000),
            t.integer("events.ping_seconds", 15, 1, 3600),
            t.integer("events.client_buffer_bytes", 1024 * 1024, 1024, Integer.MAX_VALUE)),
        new ClusterConfig(
            false,
            t.string("cluster.name", "spacebot"),
            t.string("cluster.host", "127.0.0.1"),
            t.integer("cluster.port", 5701, 1, 65535),
            t.strings("cluster.members")),
        web(t),
        new SecretsConfig(keyFile, blankToNull(env.get("SPACEBOT_SECRETS_PASSPHRASE")), t.waiting(), resolver));
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static CompactionSettings compaction(ConfigTree t) {
    CompactionSettings c = new CompactionSettings(
        t.integer("compaction.context_window", 128_000, 1000, 10_000_000),
        t.decimal("compaction.background_threshold", 0.80, 0.01, 1.0),
        t.decimal("compaction.background_fraction", 0.30, 0.01, 0.99),
        t.decimal("compaction.aggressive_threshold", 0.85, 0.01, 1.0),
        t.decimal("compaction.aggressive_fraction", 0.50, 0.01, 0.99),
        t.decimal("compaction.emergency_threshold", 0.95, 0.01, 1.0),
        t.decimal("compaction.emergency_fraction", 0.50, 0.01, 0.99),
        t.decimal("compaction.fork_reserve", 0.15, 0.0, 0.9),
        t.integer("compaction.fork_keep_last", 4, 0, 1000));
    if (!(c.backgroundThreshold() <= c.aggressiveThreshold() && c.aggressiveThreshold() <= c.emergencyThreshold())) {
      throw ConfigTree.bad("compaction.background_threshold", t.find("compaction"),
          "thresholds must rise: background <= aggressive <= emergency");
    }
    return c;
  }

  /** {@code llm.fallbacks}: a list of {model, then: [up to 3 models]}. */
  private static Map<String, List<String>> fallbacks(ConfigTree t, Map<String, ProviderConfig> providers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<ConfigTree> items = t.mappings("llm.fallbacks");
    for (ConfigTree f : items) {
      String model = f.string("model", null);
      if (model == null) {
        throw f.fail("model", null, "is missing (" + t.origin("llm.fallbacks") + ")");
      }
      List<String> then = f.strings("then");
      if (then.isEmpty() || then.size() > 3) {
        throw f.fail("then", f.find("then"), "must list 1 to 3 fallback models for " + model);
      }
      checkModel(f.full("model"), model, f.origin("model"), providers);
      for (String m : then) {
        checkModel(f.full("then"), m, f.origin("then"), providers);
      }
      out.put(model, List.copyOf(then));
    }
    return out;
  }

  /** {@code llm.prices}: a list of {model, input, output, cached_input?} in USD per million tokens. */
  private static Map<String, LlmConfig.Price> prices(ConfigTree t) {
    Map<String, LlmConfig.Price> out = new LinkedHashMap<>();
    for (ConfigTree p : t.mappings("llm.prices")) {
      String model = p.string("model", null);
      if (model == null) {
        throw p.fail("model", null, "is missing (" + t.origin("llm.prices") + ")");
      }
      double input = p.decimal("input", -1, 0, 10_000);
      double output = p.decimal("output", -1, 0, 10_000);
      if (input < 0 || output < 0) {
        throw p.fail(input < 0 ? "input" : "output", null, "is missing for " + model + " (USD per million tokens)");
      }
      out.put(model, new LlmConfig.Price(input, output, p.decimal("cached_input", input, 0, 10_000)));
    }
    return out;
  }

  private BudgetSettings budget(ConfigTree t, String path, BudgetSettings fallback) {
    Double daily = t.string(path + ".daily_usd", null) == null ? fallback.dailyUsd()
        : Double.valueOf(t.decimal(path + ".daily_usd", 0, 0, 1_000_000));
    Double conversation = t.string(path + ".conversation_daily_usd", null) == null ? fallback.conversationDailyUsd()
        : Double.valueOf(t.decimal(path + ".conversation_daily_usd", 0, 0, 1_000_000));
    String zone = t.string(path + ".timezone", fallback.timezone());
    try {
      java.time.ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw t.fail(path + ".timezone", t.find(path + ".timezone"), "is not a time zone, e.g. UTC or Europe/Berlin: \"" + zone + "\"");
    }
    return new BudgetSettings(daily, conversation, zone, t.decimal(path + ".warn_at", fallback.warnAt(), 0.01, 1.0));
  }

  /**
   * The usable providers: those with a key ({@code ollama}: a base_url; {@code openai}: a key or at least one
   * header, for gateways that authenticate otherwise). The others are left out silently, so the defaults can
   * list every provider behind {@code ${ENV:}} keys.
   */
  private Map<String, ProviderConfig> providers(ConfigTree t) {
    Map<String, ProviderConfig> out = new LinkedHashMap<>();
    for (String id : t.keys("llm.providers")) {
      String p = "llm.providers." + id;
      String kind = t.string(p + ".kind", "openai");
      if (!PROVIDER_KINDS.contains(kind)) {
        throw ConfigTree.bad(p + ".kind", t.find(p + ".kind"), "must be one of " + PROVIDER_KINDS + ", got \"" + kind + "\"");
      }
      String apiKey = t.string(p + ".api_key", null);
      boolean waits = t.waits(p + ".api_key");
      String baseUrl = t.string(p + ".base_url", null);
      if (baseUrl != null && !baseUrl.matches("(?i)https?://[^/\\s]+(/\\S*)?")) {
        throw ConfigTree.bad(p + ".base_url", t.find(p + ".base_url"), "must be an http:// or https:// URL, got \"" + baseUrl + "\"");
      }
      Map<String, String> headers = headers(t, p + ".headers");
      waits = waits || t.waits(p + ".headers");
      String apiVersion = t.string(p + ".api_version", null);
      if (apiVersion != null && !kind.equals("azure-openai")) {
        throw ConfigTree.bad(p + ".api_version", t.find(p + ".api_version"), "is only for kind azure-openai (this provider is " + kind + ")");
      }
      if (apiVersion != null && !apiVersion.matches("[0-9A-Za-z._-]{1,64}")) {
        throw ConfigTree.bad(p + ".api_version", t.find(p + ".api_version"), "must look like 2024-10-21, got \"" + apiVersion + "\"");
      }
      boolean usable = switch (kind) {
        case "ollama" -> baseUrl != null;
        case "openai" -> apiKey != null || !headers.isEmpty();
        default -> apiKey != null;
      } || waits;
      if (usable && kind.equals("azure-openai") && baseUrl == null) {
        throw ConfigTree.bad(p + ".base_url", t.find(p + ".kind"),
            "is required for kind azure-openai: the resource endpoint, e.g. https://NAME.openai.azure.com");
      }
      if (usable) {
        out.put(id, new ProviderConfig(id, kind, apiKey, baseUrl, t.string(p + ".default_model", null), headers, apiVersion));
      }
    }
    return out;
  }

  /** {@code headers: {Name: value}}; a header whose value is empty (e.g. an unset {@code ${VAR:}}) is not sent. */
  private static Map<String, String> headers(ConfigTree t, String path) {

    ConfigValue v = t.find(path);
    if (v == null || v instanceof ConfigValue.Scalar s && s.isNull()) {
      return Map.of();
    }
    if (!(v instanceof ConfigValue.Mapping m)) {
      throw ConfigTree.bad(path, v, "must be a mapping of header names to values, e.g. {X-Team: research}");
    }
    Map<String, String> out = new LinkedHashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (var e : m.entries().entrySet()) {
      String name = e.getKey();
      String full = path + "." + name;
      if (!HEADER_NAME.matcher(name).matches()) {
        throw ConfigTree.bad(full, e.getValue(), "is not a valid HTTP header name");
      }
      if (RESERVED_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        throw ConfigTree.bad(full, e.getValue(), "cannot be set: the HTTP client writes it itself");
      }
      if (!seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
        throw ConfigTree.bad(full, e.getValue(), "is given twice (header names are case-insensitive)");
      }
      if (!(e.getValue() instanceof ConfigValue.Scalar s)) {
        throw ConfigTree.bad(full, e.getValue(), "must be a single value, not a list or mapping");
      }
      String value = s.isNull() || s.text().isBlank() ? "" : java.util.Objects.requireNonNullElse(t.resolve(full, s), "");
      if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
        throw ConfigTree.bad(full, e.getValue(), "must not contain a line break");
      }
      if (!value.isEmpty()) {
        out.put(name, value);
      }
    }
    return out;
  }

  /** SPACEBOT_MODEL for every slot, else the first configured provider's default model, else none. */
  private Routing fallbackRouting(Map<String, ProviderConfig> providers) {
    String model = env.get("SPACEBOT_MODEL");
    if (model != null && !model.isBlank()) {
      checkModel("SPACEBOT_MODEL", model.trim(), "environment variable SPACEBOT_MODEL", providers);
      return Routing.all(model.trim());
    }
    List<String> order = new ArrayList<>(PREFERRED_PROVIDERS);
    providers.keySet().stream().filter(id -> !order.contains(id)).forEach(order::add);
    for (String id : order) {
      ProviderConfig p = providers.get(id);
      if (p != null && p.defaultModel() != null) {
        return Routing.all(id + "/" + p.defaultModel());
      }
    }
    return Routing.NONE;
  }

  private List<AgentConfig> agents(ConfigTree t, Map<String, ProviderConfig> providers, Routing defaults,
      BudgetSettings budget, Permissions permissions) {
    List<AgentConfig> out = new ArrayList<>();
    List<ConfigTree> items = t.mappings("agents");
    for (int i = 0; i < items.size(); i++) {
      ConfigTree a = items.get(i);
      String id = a.string("id", null);
      if (id == null) {
        throw a.fail("id", null, "is missing (" + t.origin("agents") + ")");
      }
      if (!AGENT_ID.matcher(id).matches()) {
        throw a.fail("id", a.find("id"), "must be lower-case letters, digits, - or _ (at most 64), got \"" + id + "\"");
      }
      if (out.stream().anyMatch(x -> x.id().equals(id))) {
        throw a.fail("id", a.find("id"), "\"" + id + "\" is used by two agents");
      }
      Routing own = routing(a, "routing", providers);
      // SPACEBOT_MODEL sets every slot of every agent, overriding files.
      String forced = env.get("SPACEBOT_MODEL");
      Routing resolved = forced != null && !forced.isBlank()
          ? new Routing(forced.trim(), forced.trim(), forced.trim(), forced.trim(), forced.trim(), Map.of(), Routing.Tiers.NONE)
              .orElse(own.orElse(defaults))
          : own.orElse(defaults);
      out.add(new AgentConfig(id, a.string("name", id), resolved, budget(a, "budget", budget),
          PermissionsReader.read(a, "permissions", permissions)));
    }
    if (out.isEmpty()) {
      throw new ConfigException("agents must list at least one agent (" + t.origin("agents") + ")");
    }
    return out;
  }

  private Routing routing(ConfigTree t, String path, Map<String, ProviderConfig> providers) {
    for (String key : t.keys(path)) {
      if (!SLOTS.contains(key) && !key.equals("task_overrides") && !key.equals("tiers")) {
        throw t.fail(path + "." + key, t.find(path + "." + key), "is not a process slot, task_overrides or tiers; "
            + "slots are " + SLOTS);
      }
    }
    Map<String, String> tasks = new LinkedHashMap<>();
    for (String task : t.keys(path + ".task_overrides")) {
      String key = path + ".task_overrides." + task;
      String model = t.string(key, null);
      if (model != null) {
        checkModel(t.full(key), model, t.origin(key), providers);
        tasks.put(task, model);
      }
    }
    String[] tierNames = {"light", "standard", "heavy"};
    String[] tierModels = new String[3];
    for (String key : t.keys(path + ".tiers")) {
      if (!List.of(tierNames).contains(key)) {
        throw t.fail(path + ".tiers." + key, t.find(path + ".tiers." + key), "is not a tier; use light, standard or heavy");
      }
    }
    for (int i = 0; i < 3; i++) {
      String key = path + ".tiers." + tierNames[i];
      tierModels[i] = t.string(key, null);
      if (tierModels[i] != null) {
        checkModel(t.full(key), tierModels[i], t.origin(key), providers);
      }
    }
    String[] slots = {"channel", "branch", "worker", "compactor", "cortex"};
    String[] models = new String[slots.length];
    for (int i = 0; i < slots.length; i++) {
      String key = path + "." + slots[i];
      models[i] = t.string(key, null);
      if (models[i] != null) {
        checkModel(t.full(key), models[i], t.origin(key), providers);
      }
    }
    return new Routing(models[0], models[1], models[2], models[3], models[4], tasks,
        new Routing.Tiers(tierModels[0], tierModels[1], tierModels[2]));
  }

  private static void checkModel(String key, String model, String origin, Map<String, ProviderConfig> providers) {
    int slash = model.indexOf('/');
    if (slash <= 0 || slash == model.length() - 1) {
      throw new ConfigException(key + " must be provider/model, got \"" + model + "\" (" + origin + ")");
    }
    String provider = model.substring(0, slash);
    if (!providers.containsKey(provider)) {
      throw new ConfigException(key + " uses provider \"" + provider + "\", which is not configured (" + origin
          + "); configured: " + (providers.isEmpty() ? "none — set OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENROUTER_API_KEY or OLLAMA_BASE_URL" : providers.keySet()));
    }
  }

  private static void checkKnownKeys(ConfigTree user) {
    for (var section : KNOWN_KEYS.entrySet()) {
      String path = section.getKey();
      if (!path.isEmpty() && user.find(path) instanceof ConfigValue.Scalar s && !s.isNull()) {
        throw ConfigTree.bad(path, s, "must be a mapping of keys");
      }
      List<String> keys = path.isEmpty() ? List.copyOf(user.entries().keySet()) : user.find(path) instanceof ConfigValue.Mapping ? user.keys(path) : List.of();
      for (String key : keys) {
        if (!section.getValue().contains(key)) {
          String full = path.isEmpty() ? key : path + "." + key;
          throw ConfigTree.bad(full, user.find(full), "is not a known key; known keys here: " + String.join(", ", new java.util.TreeSet<>(section.getValue())));
        }
      }
    }
    for (String provider : user.keys("llm.providers")) {
      ConfigTree p = user.subtree("llm.providers." + provider);
      checkKeys(p, p.entries().keySet(), PROVIDER_KEYS);
    }
    for (ConfigTree agent : user.mappings("agents")) {
      checkKeys(agent, agent.entries().keySet(), AGENT_KEYS);
    }
  }

  private static void checkKeys(ConfigTree tree, Set<String> keys, Set<String> known) {
    for (String key : keys) {
      if (!known.contains(key)) {
        throw tree.fail(key, tree.find(key), "is not a known key; known keys here: " + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  private static String readDefaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SandboxSettings sandbox(ConfigTree t) {
    String mode = t.string("worker.sandbox", SandboxSettings.BUBBLEWRAP);
    if (!mode.equals(SandboxSettings.BUBBLEWRAP) && !mode.equals(SandboxSettings.NONE)) {
      throw ConfigTree.bad("worker.sandbox", t.find("worker.sandbox"), "must be bubblewrap or none, got \"" + mode
          + "\" (none runs shell commands unsandboxed, as the server's own user)");
    }
    List<String> hidden = t.find("worker.sandbox_hidden_paths") == null ? SandboxSettings.DEFAULT_HIDDEN
        : t.strings("worker.sandbox_hidden_paths");
    for (String path : hidden) {
      if (!path.startsWith("/")) {
        throw ConfigTree.bad("worker.sandbox_hidden_paths", t.find("worker.sandbox_hidden_paths"),
            "must hold absolute paths, got \"" + path + "\"");
      }
    }
    return new SandboxSettings(mode, t.bool("worker.sandbox_network", false),
        t.integer("worker.sandbox_memory_mb", 2048, 64, 1_048_576), List.copyOf(hidden),
        t.integer("worker.sandbox_max_processes", SandboxSettings.DEFAULTS.maxProcesses(), 0, 1_000_000),
        t.integer("worker.sandbox_cpu_seconds", SandboxSettings.DEFAULTS.cpuSeconds(), 1, 86_400));
  }

  /** A host entry: a name ({@code example.com}, {@code *.example.com}), an address, or a CIDR block. */
  private static final java.util.regex.Pattern ALLOW_HOST =
      java.util.regex.Pattern.compile("(\\*\\.)?[A-Za-z0-9._:-]+(/[0-9]{1,3})?");

  private static WebSettings web(ConfigTree t) {
    List<String> hosts = t.strings("tools.web.allow_hosts");
    for (String host : hosts) {
      String entry = host.strip();
      int slash = entry.indexOf('/');
      if (!ALLOW_HOST.matcher(entry).matches()
          || slash >= 0 && Integer.parseInt(entry.substring(slash + 1)) > (entry.contains(":") ? 128 : 32)) {
        throw ConfigTree.bad("tools.web.allow_hosts", t.find("tools.web.allow_hosts"), "must hold host names, "
            + "addresses or CIDR blocks (example.com, *.example.com, 10.0.0.5, 10.0.0.0/8, fd00::/8), got \"" + host
            + "\"");
      }
    }
    return new WebSettings(hosts.stream().map(String::strip).toList(),
        t.integer("tools.web.max_body_bytes", WebSettings.DEFAULTS.maxBodyBytes(), 1024, 64 * 1024 * 1024),
        t.integer("tools.web.timeout_seconds", WebSettings.DEFAULTS.timeoutSeconds(), 1, 600),
        t.integer("tools.web.max_chars", WebSettings.DEFAULTS.maxChars(), 100, 10_000_000));
  }
}
