package ai.spacebot.api;

import static org.assertj.core.api.Assertions.assertThat;

import ai.spacebot.config.ApiConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.testkit.TestApp;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Requests and sessions for the API's authorization tests, over the JDK's HTTP client. */
final class ApiCalls {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final JsonObject UNAUTHORIZED = new JsonObject().put("error", "unauthorized");
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ApiCalls() {}

  static byte[] readKey(TestApp on) {
    try {
      return Files.readAllBytes(on.dataDir.resolve(SessionTokens.KEY_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static SpacebotConfig withPort0(SpacebotConfig c) {
    return withApi(c, c.api().bind(), c.api().authToken(), 0);
  }

  static SpacebotConfig withApi(SpacebotConfig c, String bind, String token) {
    return withApi(c, bind, token, c.api().port());
  }

  static SpacebotConfig withApi(SpacebotConfig c, String bind, String token, int port) {
    ApiConfig a = c.api();
    ApiConfig api = new ApiConfig(port, bind, token, a.maxMessageBytes(), a.maxBodyBytes(), a.idleTimeoutSeconds(),
        a.requestTimeoutMs(), a.maxConnectionsPerAddress(), a.sessionTtlHours(), a.sessionsPerAddressPerHour());
    return new SpacebotConfig(c.dataDir(), api, c.store(), c.llm(), c.agents(), c.channel(), c.branch(), c.worker(),
        c.compaction(), c.cortex(), c.delivery(), c.messaging(), c.events(), c.cluster(), c.web(), c.secrets());
  }

  record Session(String token, String sessionId, String conversationId) {
    Session(JsonObject r) {
      this(r.getString("token"), r.getString("session_id"), r.getString("conversation_id"));
    }

    Map<String, String> auth() {
      return Map.of("Authorization", "Bearer " + token);
    }
  }

  static Session session(TestApp on, String agent) {
    Res r = call(on, "POST", "/api/portal/session", new JsonObject().put("agent_id", agent).encode(), Map.of());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Session s = new Session(r.json());
    assertThat(s.token()).startsWith(SessionTokens.PREFIX);
    assertThat(s.conversationId()).isEqualTo(PortalConversations.id(agent, s.sessionId()));
    return s;
  }

  static String sendBody(String agent, String session, String text) {
    return new JsonObject().put("agent_id", agent).put("session_id", session).put("sender_name", "Vi")
        .put("message", text).encode();
  }

  static void assertForbidden(Res r) {
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.json().getString("error")).isEqualTo("forbidden");
    assertThat(r.json().getString("reason")).isNotBlank();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static List<String> dataLines(String raw) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("^data: (\\{.*})$", Pattern.MULTILINE).matcher(raw);
    while (m.find()) {
      if (!m.group(1).equals("{}")) { // pings
        out.add(m.group(1));
      }
    }
    return out;
  }

  static String eventId(String raw) {
    Matcher m = Pattern.compile("^id: (\\S+)$", Pattern.MULTILINE).matcher(raw);
    assertThat(m.find()).as("an event id in %s", raw).isTrue();
    return m.group(1);
  }

  record Res(int status, String body, Map<String, String> headers) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  static Res call(TestApp on, String method, String path, Map<String, String> headers) {
    return call(on, method, path, method.equals("POST") || method.equals("PUT") ? "{}" : null, headers);
  }

  static Res call(TestApp on, String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(on.url(path))).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    try {
      // An event stream answers 200 and stays open: read only its head.
      HttpResponse<InputStream> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      Map<String, String> h = new HashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(), v.get(0)));
      String text;
      try (InputStream in = r.body()) {
        text = h.getOrDefault("content-type", "").startsWith("text/event-stream") ? "" : new String(in.readAllBytes(),
            StandardCharsets.UTF_8);
      }
      return new Res(r.statusCode(), text, h);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
