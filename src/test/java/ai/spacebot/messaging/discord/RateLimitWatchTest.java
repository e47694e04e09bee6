package ai.spacebot.messaging.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The watch on a real OkHttp client against a local server answering 429 the ways Discord does. */
class RateLimitWatchTest {
  private HttpServer server;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RateLimitWatch watch = new RateLimitWatch(now::get);
  private OkHttpClient client;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v10/channels/", exchange -> {
      byte[] body = "{\"message\":\"You are being rate limited.\",\"retry_after\":2.5,\"global\":false}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("Retry-After", "3");
      if (!exchange.getRequestURI().getPath().contains("/999/")) {
        exchange.getResponseHeaders().add("Via", "1.1 google");
      }
      exchange.sendResponseHeaders(429, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.createContext("/api/v10/users/", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    client = new OkHttpClient.Builder().addInterceptor(watch).build();
  }

  @AfterEach
  void stop() {
    client.dispatcher().executorService().shutdown();
    server.stop(0);
  }

  private int get(String path) throws IOException {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + path;
    try (okhttp3.Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
      // JDA reads the body after the interceptor: it must still be there
      assertThat(r.body().string()).isNotNull();
      return r.code();
    }
  }

  @Test
  void aChannelLimitIsRememberedForThatChannelWithTheLongerOfHeaderAndBody() throws IOException {
    assertThat(get("/api/v10/channels/123/messages")).isEqualTo(429);
    assertThat(watch.waitMillis("123")).isEqualTo(3_000);
    assertThat(watch.waitMillis("124")).isZero();
    now.addAndGet(2_000);
    assertThat(watch.waitMillis("123")).isEqualTo(1_000);
    now.addAndGet(1_500);
    assertThat(watch.waitMillis("123")).isZero();
  }

  @Test
  void aLimitWithoutViaHeaderHoldsEveryChannelAsJdaDoes() throws IOException {
    assertThat(get("/api/v10/channels/999/messages")).isEqualTo(429);
    assertThat(watch.waitMillis("124")).isEqualTo(3_000);
    assertThat(watch.waitMillis(null)).isEqualTo(3_000);
  }

  @Test
  void successfulAnswersLeaveNoTrace() throws IOException {
    assertThat(get("/api/v10/users/@me")).isEqualTo(200);
    assertThat(watch.waitMillis(null)).isZero();
  }
}
