package ai.spacebot.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small blocking HTTP client for tests (JDK HttpClient, HTTP/1.1). */
public final class Http {
  public record Response(int status, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Map<String, String> defaults;

  public Http(String base) {
    this(base, Map.of());
  }

  private Http(String base, Map<String, String> defaults) {
    this.base = base;
    this.defaults = defaults;
  }

  /** The same server, every request with this bearer token (unless a request names its own Authorization). */
  public Http withBearer(String token) {
    return new Http(base, Map.of("Authorization", "Bearer " + token));
  }

  public Response get(String path) {
    return get(path, Map.of());
  }

  public Response get(String path, Map<String, String> headers) {
    return send(builder(path, headers).GET());
  }

  public Response post(String path, String body) {
    return post(path, body, Map.of());
  }

  public Response post(String path, String body, Map<String, String> headers) {
    return send(builder(path, headers).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response put(String path, String body) {
    return send(builder(path, Map.of()).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Response postJson(String path, JsonObject body) {
    return post(path, body.encode());
  }

  /** Sends a portal message; returns the response. */
  public Response send(String agent, String session, String sender, String message) {
    return postJson("/api/portal/send", new JsonObject().put("agent_id", agent).put("session_id", session)
        .put("sender_name", sender).put("message", message));
  }

  private HttpRequest.Builder builder(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    defaults.forEach(b::setHeader);
    headers.forEach(b::setHeader);
    return b;
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
