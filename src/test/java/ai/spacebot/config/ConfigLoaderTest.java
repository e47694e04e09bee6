package ai.spacebot.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration precedence (defaults, file, environment) and every error an operator can meet. */
class ConfigLoaderTest {
  @TempDir Path dir;

  // ---- helpers ----

  /** An environment with SPACEBOT_DIR pointing at the temp dir plus {@code pairs} (name, value, ...). */
  private Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>();
    env.put("SPACEBOT_DIR", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private SpacebotConfig load(Map<String, String> env) {
    return new ConfigLoader(env).load(null);
  }

  /** Writes {@code $SPACEBOT_DIR/config.yaml} and loads with {@code env}. */
  private SpacebotConfig loadYaml(String yaml, Map<String, String> env) throws IOException {
    Files.writeString(dir.resolve("config.yaml"), yaml);
    return load(env);
  }

  private String failureOf(String yaml, Map<String, String> env) throws IOException {
    Files.writeString(dir.resolve("config.yaml"), yaml);
    return failureOf(env);
  }

  private String failureOf(Map<String, String> env) {
    try {
      load(env);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a ConfigException");
  }

  private static void assertOperatorWorded(String message) {
    assertThat(message)
        .doesNotContain("Exception")
        .doesNotContain("at ai.spacebot")
        .doesNotContain("org.yaml")
        .doesNotContain("java.")
        .doesNotContain("\n\tat ");
  }

  private static Routing routingOf(SpacebotConfig config, String agentId) {
    return config.agent(agentId).orElseThrow().routing();
  }

  // ---- defaults and providers from the environment ----

  @Test
  void defaultsWithoutAnyProvider() {
    SpacebotConfig config = load(env());

    assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath().normalize());
    assertThat(config.agents()).extracting(AgentConfig::id).containsExactly("main");
    assertThat(config.agents().get(0).name()).isEqualTo("Spacebot");
    assertThat(routingOf(config, "main")).isEqualTo(Routing.NONE);
    assertThat(config.llm().providers()).isEmpty();
    assertThat(config.api().port()).isEqualTo(19898);
    assertThat(config.api().bind()).isEqualTo("127.0.0.1");
    assertThat(config.api().authToken()).isNull();
    assertThat(config.api().maxMessageBytes()).isEqualTo(65536);
    assertThat(config.api().maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(config.store().kind()).isEqualTo(StoreConfig.EMBEDDED);
    assertThat(config.events()).isEqualTo(new EventsConfig(1000, 512, 15, 1024 * 1024));
    assertThat(config.api().idleTimeoutSeconds()).isEqualTo(60);
    assertThat(config.api().requestTimeoutMs()).isEqualTo(30_000);
    assertThat(config.api().maxConnectionsPerAddress()).isEqualTo(256);
  }

  @Test
  void anIdleTimeoutThatWouldCutOffQuietEventStreamsIsRefused() {
    assertThatThrownBy(() -> loadYaml("api:\n  idle_timeout_seconds: 15\nevents:\n  ping_seconds: 15\n", env()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("api.idle_timeout_seconds")
        .hasMessageContaining("events.ping_seconds");
  }

  @Test
  void openAiKeyAloneRoutesEverySlotToItsDefaultModel() {
    SpacebotConfig config = load(env("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", "http://127.0.0.1:9/v1"));

    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("openai/gpt-4.1-mini"));
    ProviderConfig openai = config.llm().providers().get("openai");
    assertThat(openai.kind()).isEqualTo("openai");
    assertThat(openai.apiKey()).isEqualTo("sk-test");
    assertThat(openai.baseUrl()).isEqualTo("http://127.0.0.1:9/v1");
    assertThat(config.llm().providers()).containsOnlyKeys("openai");
    assertThat(openai.toString()).doesNotContain("sk-test");
  }

  @Test
  void openAiKeyWithoutBaseUrlUsesThePublicEndpoint() {
    SpacebotConfig config = load(env("OPENAI_API_KEY", "sk-test"));
    assertThat(config.llm().providers().get("openai").baseUrl()).isNull();
  }

  @Test
  void anthropicKeyAlone() {
    SpacebotConfig config = load(env("ANTHROPIC_API_KEY", "ak-test"));

    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("anthropic/claude-sonnet-4-20250514"));
    assertThat(config.llm().providers()).containsOnlyKeys("anthropic");
    assertThat(config.llm().providers().get("anthropic").kind()).isEqualTo("anthropic");
  }

  @Test
  void openRouterKeyAlone() {
    SpacebotConfig config = load(env("OPENROUTER_API_KEY", "or-test"));

    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("openrouter/anthropic/claude-sonnet-4"));
    ProviderConfig openrouter = config.llm().providers().get("openrouter");
    assertThat(openrouter.kind()).isEqualTo("openai");
    assertThat(openrouter.baseUrl()).startsWith("https://").contains("openrouter");
  }

  @Test
  void ollamaBaseUrlAlone() {
    SpacebotConfig config = load(env("OLLAMA_BASE_URL", "http://127.0.0.1:11434"));

    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("ollama/llama3.1"));
    ProviderConfig ollama = config.llm().providers().get("ollama");
    assertThat(ollama.kind()).isEqualTo("ollama");
    assertThat(ollama.apiKey()).isNull();
    assertThat(ollama.baseUrl()).isEqualTo("http://127.0.0.1:11434");
  }

  @Test
  void firstProviderInDocumentedOrderWinsWhenSeveralAreConfigured() {
    SpacebotConfig config = load(env("OLLAMA_BASE_URL", "http://127.0.0.1:11434", "ANTHROPIC_API_KEY", "ak"));
    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("anthropic/claude-sonnet-4-20250514"));
  }

  @Test
  void spacebotModelSetsEverySlot() {
    SpacebotConfig config = load(env("OPENAI_API_KEY", "sk", "ANTHROPIC_API_KEY", "ak", "SPACEBOT_MODEL", "anthropic/claude-x"));
    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("anthropic/claude-x"));
  }

  @Test
  void spacebotModelBeatsRoutingInTheFile() throws IOException {
    SpacebotConfig config = loadYaml("""
        defaults:
          routing:
            channel: openai/from-defaults
        agents:
          - id: main
            routing:
              worker: openai/from-agent
        """, env("OPENAI_API_KEY", "sk", "SPACEBOT_MODEL", "openai/forced"));
    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("openai/forced"));
  }

  @Test
  void spacebotModelForAnUnconfiguredProviderIsRefused() {
    String message = failureOf(env("OPENAI_API_KEY", "sk", "SPACEBOT_MODEL", "anthropic/claude-x"));
    assertThat(message).contains("SPACEBOT_MODEL").contains("\"anthropic\"").contains("not configured").contains("openai");
    assertOperatorWorded(message);
  }

  @Test
  void spacebotModelWithoutAnyProviderSaysWhichKeysToSet() {
    String message = failureOf(env("SPACEBOT_MODEL", "openai/gpt-4.1-mini"));
    assertThat(message).contains("SPACEBOT_MODEL").contains("OPENAI_API_KEY").contains("OLLAMA_BASE_URL");
  }

  @Test
  void spacebotModelWithoutProviderPrefixIsRefused() {
    String message = failureOf(env("OPENAI_API_KEY", "sk", "SPACEBOT_MODEL", "gpt-4.1-mini"));
    assertThat(message).contains("SPACEBOT_MODEL").contains("provider/model");
  }

  // ---- precedence ----

  @Test
  void environmentBeatsTheFile() throws IOException {
    SpacebotConfig config = loadYaml("""
        api:
          port: 20000
          bind: 10.0.0.1
          auth_token: from-file
        store:
          kind: postgres
        """, env(
            "SPACEBOT_PORT", "20001",
            "SPACEBOT_BIND", "0.0.0.0",
            "SPACEBOT_AUTH_TOKEN", "from-env",
            "SPACEBOT_STORE", "embedded"));

    assertThat(config.api().port()).isEqualTo(20001);
    assertThat(config.api().bind()).isEqualTo("0.0.0.0");
    assertThat(config.api().authToken()).isEqualTo("from-env");
    assertThat(config.store().kind()).isEqualTo("embedded");
  }

  @Test
  void fileBeatsDefaults() throws IOException {
    SpacebotConfig config = loadYaml("""
        api:
          port: 20000
          auth_token: from-file
        events:
          client_buffer: 8
        """, env());

    assertThat(config.api().port()).isEqualTo(20000);
    assertThat(config.api().authToken()).isEqualTo("from-file");
    assertThat(config.api().bind()).isEqualTo("127.0.0.1");
    assertThat(config.events().clientBuffer()).isEqualTo(8);
    assertThat(config.events().replayBuffer()).isEqualTo(1000);
  }

  @Test
  void blankEnvironmentVariablesDoNotOverride() throws IOException {
    SpacebotConfig config = loadYaml("api:\n  port: 20000\n", env("SPACEBOT_PORT", "  ", "SPACEBOT_AUTH_TOKEN", ""));
    assertThat(config.api().port()).isEqualTo(20000);
    assertThat(config.api().authToken()).isNull();
  }

  @Test
  void badEnvironmentValueNamesTheVariable() {
    String message = failureOf(env("SPACEBOT_PORT", "abc"));
    assertThat(message).contains("api.port").contains("\"abc\"").contains("environment variable SPACEBOT_PORT");
    assertOperatorWorded(message);
  }

  @Test
  void explicitConfigFileWinsOverTheDataDirFile() throws IOException {
    Files.writeString(dir.resolve("config.yaml"), "api:\n  port: 20000\n  bind: 10.0.0.1\n");
    Path explicit = dir.resolve("elsewhere.yaml");
    Files.writeString(explicit, "api:\n  port: 20002\n");

    SpacebotConfig config = new ConfigLoader(env()).load(explicit);

    assertThat(config.api().port()).isEqualTo(20002);
    // The data dir's file is not read at all when --config is given.
    assertThat(config.api().bind()).isEqualTo("127.0.0.1");
  }

  @Test
  void missingExplicitConfigFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> new ConfigLoader(env()).load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  // ---- variable substitution ----

  @Test
  void variablesAndDefaultsAreSubstitutedInTheUserFile() throws IOException {
    SpacebotConfig config = loadYaml("""
        api:
          auth_token: tok-${TOKEN_PART}-end
          bind: ${BIND_ADDR:0.0.0.0}
          port: ${PORT_VAR:20003}
        cluster:
          name: ${CLUSTER_NAME:fallback}
        """, env("TOKEN_PART", "abc", "CLUSTER_NAME", "from-env"));

    assertThat(config.api().authToken()).isEqualTo("tok-abc-end");
    assertThat(config.api().bind()).isEqualTo("0.0.0.0");
    assertThat(config.api().port()).isEqualTo(20003);
    assertThat(config.cluster().name()).isEqualTo("from-env");
  }

  @Test
  void missingVariableWithoutDefaultNamesKeyAndVariable() throws IOException {
    String message = failureOf("""
        api:
          port: 20000
          auth_token: ${NOT_SET_ANYWHERE}
        """, env());
    assertThat(message).contains("api.auth_token").contains("NOT_SET_ANYWHERE").contains("config.yaml line 3");
    assertOperatorWorded(message);
  }

  // ---- file errors ----

  @Test
  void yamlSyntaxErrorNamesFileAndLine() throws IOException {
    String message = failureOf("""
        api:
          port: 20000
          bind: @oops
        store:
          kind: embedded
        """, env());
    assertThat(message).contains("config.yaml").contains("line 3").doesNotContain("line 4");
    assertOperatorWorded(message);
  }

  @Test
  void yamlIndentationErrorNamesFileAndLine() throws IOException {
    String message = failureOf("""
        api:
          port: 20000
        # comment
          bind: 127.0.0.1
         max_body_bytes: 2048
        """, env());
    assertThat(message).contains(dir.resolve("config.yaml").toString()).containsPattern("line 5\\b");
    assertOperatorWorded(message);
  }

  @Test
  void topLevelListIsRefused() throws IOException {
    String message = failureOf("- a\n- b\n", env());
    assertThat(message).contains("config.yaml").contains("line 1").contains("mapping");
  }

  @Test
  void emptyFileMeansDefaults() throws IOException {
    SpacebotConfig config = loadYaml("# nothing here\n", env());
    assertThat(config.api().port()).isEqualTo(19898);
  }

  @Test
  void nonNumericPortNamesKeyAndLine() throws IOException {
    String message = failureOf("""
        # my settings

        api:
          bind: 127.0.0.1
          port: abc
        """, env());
    assertThat(message).contains("api.port").contains("\"abc\"").contains("config.yaml line 5");
    assertOperatorWorded(message);
  }

  @Test
  void portOutOfRangeIsRefused() throws IOException {
    String message = failureOf("api:\n  port: 70000\n", env());
    assertThat(message).contains("api.port").contains("between 0 and 65535").contains("70000").contains("line 2");
  }

  @Test
  void workerCompactionSharesAreConfigurableAndChecked() throws IOException {
    SpacebotConfig config = loadYaml("worker:\n  compact_threshold: 0.6\n  overflow_fraction: 0.9\n", env());
    assertThat(config.worker().compactThreshold()).isEqualTo(0.6);
    assertThat(config.worker().compactFraction()).isEqualTo(0.5);
    assertThat(config.worker().overflowFraction()).isEqualTo(0.9);
    String message = failureOf("worker:\n  compact_fraction: 1.5\n", env());
    assertThat(message).contains("worker.compact_fraction").contains("1.5").contains("line 2");
  }

  @Test
  void theShellSandboxIsOnByDefaultAndItsSettingsAreChecked() throws IOException {
    SandboxSettings defaults = loadYaml("", env()).worker().sandbox();
    assertThat(defaults.sandboxed()).isTrue();
    assertThat(defaults.network()).isFalse();
    assertThat(defaults.hiddenPaths()).contains("/etc/shadow", "/root");
    SandboxSettings none = loadYaml("worker:\n  sandbox: none\n  sandbox_network: true\n", env()).worker().sandbox();
    assertThat(none.sandboxed()).isFalse();
    assertThat(none.network()).isTrue();
    assertThat(failureOf("worker:\n  sandbox: docker\n", env())).contains("worker.sandbox")
        .contains("bubblewrap or none").contains("\"docker\"");
    assertThat(failureOf("worker:\n  sandbox_hidden_paths: [etc/shadow]\n", env()))
        .contains("worker.sandbox_hidden_paths").contains("absolute");
    assertThat(defaults.maxProcesses()).isEqualTo(128);
    assertThat(defaults.cpuSeconds()).isEqualTo(120);
    SandboxSettings limited = loadYaml("worker:\n  sandbox_max_processes: 0\n  sandbox_cpu_seconds: 5\n", env())
        .worker().sandbox();
    assertThat(limited.maxProcesses()).isZero();
    assertThat(limited.cpuSeconds()).isEqualTo(5);
    assertThat(failureOf("worker:\n  sandbox_cpu_seconds: 0\n", env())).contains("worker.sandbox_cpu_seconds");
  }

  @Test
  void webToolsAllowNoInternalHostByDefaultAndAllowListEntriesAreChecked() throws IOException {
    WebSettings defaults = loadYaml("", env()).web();
    assertThat(defaults).isEqualTo(new WebSettings(List.of(), 2 * 1024 * 1024, 20, 20_000));
    WebSettings allowed = loadYaml("tools:\n  web:\n    allow_hosts: [wiki.corp.example, \"*.corp.example\", "
        + "10.0.0.0/8, \"fd00::/8\"]\n    timeout_seconds: 5\n", env()).web();
    assertThat(allowed.allowHosts()).containsExactly("wiki.corp.example", "*.corp.example", "10.0.0.0/8", "fd00::/8");
    assertThat(allowed.timeoutSeconds()).isEqualTo(5);
    assertThat(failureOf("tools:\n  web:\n    allow_hosts: [\"http://evil.example/\"]\n", env()))
        .contains("tools.web.allow_hosts").contains("\"http://evil.example/\"").contains("CIDR");
    assertThat(failureOf("tools:\n  web:\n    allow_hosts: [10.0.0.0/33]\n", env()))
        .contains("tools.web.allow_hosts").contains("\"10.0.0.0/33\"");
    assertThat(failureOf("tools:\n  web:\n    allow: [x]\n", env())).contains("tools.web.allow");
  }

  @Test
  void unknownKeyIsNamed() throws IOException {
    String message = failureOf("""
        api:
          prot: 8080
        """, env());
    assertThat(message).contains("api.prot").contains("not a known key").contains("port").contains("line 2");
    assertOperatorWorded(message);
  }

  @Test
  void unknownTopLevelKeyIsNamed() throws IOException {
    String message = failureOf("apii:\n  port: 8080\n", env());
    assertThat(message).contains("apii").contains("not a known key");
  }

  // ---- agents and routing ----

  @Test
  void severalAgentsWithTheirOwnRouting() throws IOException {
    SpacebotConfig config = loadYaml("""
        defaults:
          routing:
            channel: openai/gpt-default
        agents:
          - id: main
            name: Main Bot
          - id: helper_2
            name: Helper
            routing:
              channel: anthropic/claude-fast
              worker: openai/gpt-worker
          - id: quiet
        """, env("OPENAI_API_KEY", "sk", "ANTHROPIC_API_KEY", "ak"));

    assertThat(config.agents()).extracting(AgentConfig::id).containsExactly("main", "helper_2", "quiet");
    assertThat(config.agent("main").orElseThrow().name()).isEqualTo("Main Bot");
    assertThat(config.agent("quiet").orElseThrow().name()).isEqualTo("quiet");
    // Unset slots fall back to defaults.routing, then to the first provider's default model.
    assertThat(routingOf(config, "main")).isEqualTo(new Routing(
        "openai/gpt-default", "openai/gpt-4.1-mini", "openai/gpt-4.1-mini", "openai/gpt-4.1-mini", "openai/gpt-4.1-mini"));
    assertThat(routingOf(config, "helper_2")).isEqualTo(new Routing(
        "anthropic/claude-fast", "openai/gpt-4.1-mini", "openai/gpt-worker", "openai/gpt-4.1-mini", "openai/gpt-4.1-mini"));
    assertThat(routingOf(config, "quiet")).isEqualTo(routingOf(config, "main"));
  }

  @Test
  void duplicateAgentIdIsNamed() throws IOException {
    String message = failureOf("""
        agents:
          - id: main
          - id: main
        """, env());
    assertThat(message).contains("agents[1].id").contains("\"main\"").contains("line 3");
    assertOperatorWorded(message);
  }

  @Test
  void invalidAgentIdIsNamed() throws IOException {
    String message = failureOf("""
        agents:
          - id: main
          - id: Not Valid!
        """, env());
    assertThat(message).contains("agents[1].id").contains("\"Not Valid!\"").contains("lower-case");
  }

  @Test
  void agentWithoutIdIsNamed() throws IOException {
    String message = failureOf("agents:\n  - name: Nameless\n", env());
    assertThat(message).contains("agents[0].id").contains("missing");
  }

  @Test
  void emptyAgentListIsRefused() throws IOException {
    String message = failureOf("agents: []\n", env());
    assertThat(message).contains("agents").contains("at least one");
  }

  @Test
  void routingSlotNamingAnUnconfiguredProviderIsRefused() throws IOException {
    String message = failureOf("""
        defaults:
          routing:
            channel: anthropic/claude-x
        """, env("OPENAI_API_KEY", "sk"));
    assertThat(message).contains("defaults.routing.channel").contains("\"anthropic\"").contains("not configured")
        .contains("line 3");
    assertOperatorWorded(message);
  }

  @Test
  void agentRoutingSlotNamingAnUnconfiguredProviderIsNamed() throws IOException {
    String message = failureOf("""
        agents:
          - id: main
          - id: other
            routing:
              worker: ollama/llama3.1
        """, env("OPENAI_API_KEY", "sk"));
    assertThat(message).contains("agents[1].routing.worker").contains("\"ollama\"");
  }

  @Test
  void unknownRoutingSlotIsRefused() throws IOException {
    String message = failureOf("""
        agents:
          - id: main
            routing:
              chanel: openai/x
        """, env("OPENAI_API_KEY", "sk"));
    assertThat(message).contains("agents[0].routing.chanel").contains("not a process slot");
  }

  @Test
  void customOpenAiCompatibleProvider() throws IOException {
    SpacebotConfig config = loadYaml("""
        llm:
          providers:
            local:
              kind: openai
              base_url: http://127.0.0.1:8000/v1
              api_key: local-key
              default_model: qwen2.5
        """, env());

    ProviderConfig local = config.llm().providers().get("local");
    assertThat(local).isEqualTo(new ProviderConfig("local", "openai", "local-key", "http://127.0.0.1:8000/v1", "qwen2.5"));
    assertThat(config.llm().providers()).containsOnlyKeys("local");
    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("local/qwen2.5"));
  }

  @Test
  void builtInProvidersComeBeforeCustomOnes() throws IOException {
    SpacebotConfig config = loadYaml("""
        llm:
          providers:
            local:
              kind: openai
              base_url: http://127.0.0.1:8000/v1
              api_key: local-key
              default_model: qwen2.5
        """, env("OLLAMA_BASE_URL", "http://127.0.0.1:11434"));
    assertThat(routingOf(config, "main")).isEqualTo(Routing.all("ollama/llama3.1"));
  }

  @Test
  void unknownProviderKindIsRefused() throws IOException {
    String message = failureOf("""
        llm:
          providers:
            local:
              kind: vertex
              api_key: k
        """, env());
    assertThat(message).contains("llm.providers.local.kind").contains("\"vertex\"").contains("line 4")
        .contains("azure-openai").contains("gemini");
  }

  @Test
  void providerHeadersApiVersionAndNewKinds() throws IOException {
    SpacebotConfig config = loadYaml("""
        llm:
          providers:
            gateway:
              kind: openai
              base_url: https://gw.example/v1
              headers: {X-Team: research, X-Token: "${GW_TOKEN}", X-Unset: "${NOT_SET:}"}
              default_model: m
            azure:
              kind: azure-openai
              base_url: https://res.openai.azure.com/
              api_key: ${AZ_KEY}
              api_version: 2024-10-21
              default_model: dep
            gem:
              kind: gemini
              api_key: g-key
              default_model: gemini-2.5-flash
        """, env("GW_TOKEN", "tok-secret", "AZ_KEY", "az-secret"));
    ProviderConfig gateway = config.llm().providers().get("gateway");
    assertThat(gateway.apiKey()).isNull();
    assertThat(gateway.headers()).isEqualTo(Map.of("X-Team", "research", "X-Token", "tok-secret"));
    assertThat(gateway.toString()).contains("X-Token").doesNotContain("tok-secret").doesNotContain("research");
    ProviderConfig azure = config.llm().providers().get("azure");
    assertThat(azure.kind()).isEqualTo("azure-openai");
    assertThat(azure.apiVersion()).isEqualTo("2024-10-21");
    assertThat(azure.toString()).doesNotContain("az-secret");
    assertThat(config.llm().providers().get("gem").kind()).isEqualTo("gemini");
  }

  @Test
  void providerHeaderAndAzureMistakesAreRefused() throws IOException {
    String message = failureOf("""
        llm:
          providers:
            gw:
              kind: openai
              api_key: k
              headers: {"Bad Name": x}
        """, env());
    assertThat(message).contains("llm.providers.gw.headers.Bad Name").contains("not a valid HTTP header name");
    assertOperatorWorded(message);

    message = failureOf("""
        llm:
          providers:
            gw:
              kind: openai
              api_key: k
              headers: {Content-Type: text/plain}
        """, env());
    assertThat(message).contains("headers.Content-Type").contains("cannot be set");

    message = failureOf("""
        llm:
          providers:
            gw:
              kind: openai
              api_key: k
              headers: [X-A]
        """, env());
    assertThat(message).contains("llm.providers.gw.headers").contains("mapping");

    message = failureOf("""
        llm:
          providers:
            gw:
              kind: openai
              api_key: k
              api_version: 2024-10-21
        """, env());
    assertThat(message).contains("llm.providers.gw.api_version").contains("only for kind azure-openai");

    message = failureOf("""
        llm:
          providers:
            az:
              kind: azure-openai
              api_key: k
        """, env());
    assertThat(message).contains("llm.providers.az.base_url").contains("required").contains("resource endpoint");
    assertOperatorWorded(message);

    message = failureOf("""
        llm:
          providers:
            az:
              kind: azure-openai
              api_key: k
              base_url: res.openai.azure.com
        """, env());
    assertThat(message).contains("llm.providers.az.base_url").contains("http");
  }

  // ---- store ----

  @Test
  void postgresWithoutAUrlIsRefusedClearly() throws IOException {
    String message = failureOf("store:\n  kind: postgres\n", env());
    assertThat(message).contains("store.postgres.url").contains("required").contains("SPACEBOT_PG_URL").contains("line 2");
    assertOperatorWorded(message);
  }

  @Test
  void postgresFromTheEnvironmentNeedsTheUrlVariableToo() {
    String message = failureOf(env("SPACEBOT_STORE", "postgres"));
    assertThat(message).contains("store.postgres.url").contains("SPACEBOT_STORE");
    SpacebotConfig config = new ConfigLoader(env("SPACEBOT_STORE", "postgres", "SPACEBOT_PG_URL",
        "postgresql://bot:secret@db.internal:5433/spacebot")).load(null);
    assertThat(config.store().kind()).isEqualTo(StoreConfig.POSTGRES);
    assertThat(config.store().postgresUrl()).isEqualTo("postgresql://bot:secret@db.internal:5433/spacebot");
  }

  @Test
  void aPostgresUrlThatIsNotOneIsRefusedWithoutEchoingIt() throws IOException {
    String message = failureOf("store:\n  kind: postgres\n  postgres:\n    url: mysql://bot:secret@db/x\n", env());
    assertThat(message).contains("store.postgres.url").contains("postgresql://user:password@host:port/database")
        .contains("line 4").doesNotContain("secret");
    assertOperatorWorded(message);
  }

  @Test
  void nonsenseStoreKindIsRefused() throws IOException {
    String message = failureOf("store:\n  kind: nonsense\n", env());
    assertThat(message).contains("store.kind").contains("\"nonsense\"").contains("embedded or postgres");
    assertOperatorWorded(message);
  }

  // ---- edge cases found in review ----

  @Test
  void duplicateKeysAreRefusedWithTheirLine() throws IOException {
    String message = failureOf("api:\n  port: 1\n  port: 2\n", env());
    assertThat(message).contains("duplicate key api.port").contains("line 3");
    assertThat(failureOf("api:\n  port: 1\napi:\n  bind: x\n", env())).contains("duplicate key api").contains("line 3");
  }

  @Test
  void aSectionWrittenAsAPlainValueIsRefused() throws IOException {
    String message = failureOf("api: 5\n", env());
    assertThat(message).contains("api must be a mapping of keys").contains("line 1");
    assertOperatorWorded(message);
  }

  @Test
  void anEmptySectionKeepsTheDefaults() throws IOException {
    SpacebotConfig config = loadYaml("llm:\n  # providers: commented out\n", env("OPENAI_API_KEY", "sk"));
    assertThat(config.llm().providers()).containsKey("openai");
    assertThat(routingOf(config, "main").channel()).isEqualTo("openai/gpt-4.1-mini");
  }

  @Test
  void typosInsideAgentsAndProvidersAreRefused() throws IOException {
    assertThat(failureOf("agents:\n  - id: main\n    nmae: Bot\n", env())).contains("agents[0].nmae").contains("not a known key");
    assertThat(failureOf("llm:\n  providers:\n    openai:\n      api_kee: x\n", env()))
        .contains("llm.providers.openai.api_kee").contains("line 4");
  }

  @Test
  void recursiveAliasIsRefusedNotACrash() throws IOException {
    String message = failureOf("x: &a [*a]\n", env());
    assertThat(message).contains("config.yaml");
    assertOperatorWorded(message);
  }

  @Test
  void hugeNumberIsOutOfRangeNotMalformed() throws IOException {
    assertThat(failureOf("api:\n  max_body_bytes: 3000000000\n", env())).contains("api.max_body_bytes").contains("must be between");
  }
}
