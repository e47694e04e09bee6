package ai.spacebot.api;

import static ai.spacebot.api.ApiCalls.WAIT;
import static ai.spacebot.api.ApiCalls.assertForbidden;
import static ai.spacebot.api.ApiCalls.call;
import static ai.spacebot.api.ApiCalls.enc;
import static ai.spacebot.api.ApiCalls.readKey;
import static ai.spacebot.api.ApiCalls.sendBody;
import static ai.spacebot.api.ApiCalls.withApi;
import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.api.ApiCalls.Res;
import ai.spacebot.api.ApiCalls.Session;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SseClient;
import ai.spacebot.testkit.TestApp;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * An API with no {@code api.auth_token}, listening on every interface: the start warns, whoever reaches it is the
 * operator, a session token still makes its bearer a visitor, and new sessions per address are bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiIT {
  private ScriptedModelServer model;
  private TestApp open;
  private ListAppender<ILoggingEvent> logged;

  @BeforeAll
  void startOpen() throws IOException {
    model = ScriptedModelServer.start();
    logged = new ListAppender<>();
    logged.start();
    guardLogger().addAppender(logged);
    Map<String, String> env = new HashMap<>(TestApp.envFor(model));
    env.put("SPACEBOT_BIND", "0.0.0.0");
    open = TestApp.start(env, Files.createTempDirectory("spacebot-test"), "api:\n  sessions_per_address_per_hour: 3\n", null);
  }

  @AfterAll
  void stopOpen() {
    guardLogger().detachAppender(logged);
    if (open != null) {
      open.close();
    }
    model.close();
  }

  @Test
  void startingWarnsThatAnyoneCanOperateIt() {
    // The test below logs more warnings through the same logger: only the start's is counted.
    List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .filter(e -> e.getFormattedMessage().contains("0.0.0.0")).toList();
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0).getFormattedMessage())
        .contains("listens on 0.0.0.0 without api.auth_token").contains("Set api.auth_token");
  }

  @Test
  void noWarningOnLoopbackOrWithAToken() {
    List<ILoggingEvent> quiet = new ArrayList<>();
    ListAppender<ILoggingEvent> more = new ListAppender<>();
    more.start();
    guardLogger().addAppender(more);
    try {
      ApiGuard.warnIfExposed(withApi(open.running().config(), "127.0.0.1", null));
      ApiGuard.warnIfExposed(withApi(open.running().config(), "localhost", null));
      ApiGuard.warnIfExposed(withApi(open.running().config(), "::1", null));
      ApiGuard.warnIfExposed(withApi(open.running().config(), "0.0.0.0", "set"));
      quiet.addAll(more.list);
      ApiGuard.warnIfExposed(withApi(open.running().config(), "::", null));
    } finally {
      guardLogger().detachAppender(more);
    }
    assertThat(quiet).isEmpty();
    assertThat(more.list).hasSize(1);
  }

  @Test
  void whoeverReachesItIsTheOperatorButASessionTokenStillMakesAVisitor() {
    assertThat(call(open, "GET", "/api/channels", Map.of()).status()).isEqualTo(200);
    String session = "anon-" + UUID.randomUUID();
    try (SseClient events = SseClient.connect(open.url("/api/events?channel_id="
        + enc(PortalConversations.id("main", session))), Map.of())) {
      assertThat(call(open, "POST", "/api/portal/send", sendBody("main", session, "/whoami"), Map.of()).status()).isEqualTo(200);
      assertThat(events.await("outbound_message", null, WAIT).json().getString("text"))
          .contains("You can change its mode and model.");
    }
    // Minted with the installation's key, so the test below keeps every session of this address's allowance.
    String visitor = new SessionTokens(readKey(open)).issue("main", "v-" + UUID.randomUUID(),
        System.currentTimeMillis() / 1000 + 60);
    assertForbidden(call(open, "GET", "/api/channels", Map.of("Authorization", "Bearer " + visitor)));
    assertThat(call(open, "GET", "/api/channels", Map.of("Authorization", "Bearer " + SessionTokens.PREFIX + "forged.x"))
        .status()).isEqualTo(401);
  }

  @Test
  void newSessionsPerAddressAreBounded() {
    Session last = null;
    Res r;
    int opened = 0;
    while ((r = call(open, "POST", "/api/portal/session", "{}", Map.of())).status() == 200) {
      last = new Session(r.json());
      opened++;
    }
    assertThat(opened).isEqualTo(3);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.json().getString("error")).contains("api.sessions_per_address_per_hour");
    assertThat(Long.parseLong(r.headers().get("retry-after"))).isBetween(1L, 1200L);
    if (last != null) {
      // Renewing is not a new session, so it is not counted.
      assertThat(call(open, "POST", "/api/portal/session", "{}", last.auth()).status()).isEqualTo(200);
    }
  }

  private Logger guardLogger() {
    return (Logger) LoggerFactory.getLogger(ApiGuard.class);
  }
}
