package ai.spacebot.testkit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseClientIT {

  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void startSseEndpoint() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .requestHandler(req -> {
          HttpServerResponse resp = req.response();
          switch (req.path()) {
            case "/events" -> {
              resp.setChunked(true).putHeader("Content-Type", "text/event-stream");
              // A comment, two events with ids, one with multi-line data; the second event is
              // split across writes and uses CRLF, as proxies sometimes produce.
              resp.write(": keep-alive\n\n");
              resp.write("id: 1\nevent: greeting\ndata: {\"n\":1,\"auth\":\""
                  + req.getHeader("Authorization") + "\",\"last\":\"" + req.getHeader("Last-Event-ID") + "\"}\n\n");
              resp.write("id: 2\r\nevent: poem\r\ndata: roses\r");
              vertx.setTimer(50, t -> resp.write("\ndata:are red\r\n\r\n"));
              vertx.setTimer(100, t -> resp.write("data: {\"n\":3}\n\n"));
            }
            case "/short" -> resp.setChunked(true).putHeader("Content-Type", "text/event-stream")
                .end("event: only\ndata: {\"n\":1}\n\n");
            default -> resp.setStatusCode(401).end("{\"error\":\"unauthorized\"}");
          }
        });
    server.listen().await();
  }

  @AfterAll
  static void stopSseEndpoint() {
    vertx.close().await();
  }

  private static String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  @Test
  void parsesEventsIdsMultiLineDataAndComments() {
    try (SseClient sse = SseClient.connect(url("/events"), Map.of("Authorization", "Bearer t", "Last-Event-ID", "7"))) {
      assertThat(sse.status()).isEqualTo(200);

      SseEvent greeting = sse.await("greeting", j -> j.getInteger("n") == 1, Duration.ofSeconds(5));
      assertThat(greeting.id()).isEqualTo("1");
      assertThat(greeting.json().getString("auth")).isEqualTo("Bearer t");
      assertThat(greeting.json().getString("last")).isEqualTo("7");

      SseEvent poem = sse.await("poem", null, Duration.ofSeconds(5));
      assertThat(poem.id()).isEqualTo("2");
      assertThat(poem.data()).isEqualTo("roses\nare red");

      // Unnamed events are of type "message" and carry no id of their own.
      SseEvent third = sse.await("message", j -> j.getInteger("n") == 3, Duration.ofSeconds(5));
      assertThat(third.id()).isNull();
      assertThat(sse.lastEventId()).isEqualTo("2");
      assertThat(sse.events()).hasSize(3);
    }
  }

  @Test
  void awaitSkipsNonMatchingEventsButKeepsThem() {
    try (SseClient sse = SseClient.connect(url("/events"), Map.of())) {
      SseEvent third = sse.await(null, j -> j.getInteger("n") == 3, Duration.ofSeconds(5));
      assertThat(third.data()).isEqualTo("{\"n\":3}");
      assertThat(sse.events()).extracting(SseEvent::event).containsExactly("greeting", "poem", "message");
    }
  }

  @Test
  void timeoutListsWhatWasSeen() {
    try (SseClient sse = SseClient.connect(url("/events"), Map.of())) {
      assertThatThrownBy(() -> sse.await("never", null, Duration.ofMillis(300)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("event=greeting").hasMessageContaining("roses");
    }
  }

  @Test
  void endedStreamFailsFastAndReportsClosed() {
    try (SseClient sse = SseClient.connect(url("/short"), Map.of())) {
      assertThat(sse.await("only", Duration.ofSeconds(5)).json().getInteger("n")).isEqualTo(1);
      long start = System.nanoTime();
      assertThatThrownBy(() -> sse.await("more", null, Duration.ofSeconds(10)))
          .isInstanceOf(AssertionError.class).hasMessageContaining("stream closed");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(sse.isClosed()).isTrue();
    }
  }

  @Test
  void nonOkStatusIsExposed() {
    assertThatThrownBy(() -> SseClient.connect(url("/forbidden"), Map.of()))
        .isInstanceOfSatisfying(SseClient.UnexpectedStatusException.class, e -> {
          assertThat(e.status()).isEqualTo(401);
          assertThat(e.body()).contains("unauthorized");
        });
  }

  @Test
  void parserHandlesByteAtATimeInputAndSplitUtf8() {
    List<SseEvent> got = new ArrayList<>();
    SseParser parser = new SseParser(got::add);
    byte[] stream = "\uFEFFid: a\r\ndata:  spaced \u00e9\u20ac\r\n\r\n:c\nevent\ndata\n\nid: b\n\n"
        .getBytes(StandardCharsets.UTF_8);
    for (byte b : stream) parser.feed(new byte[] {b});

    // One leading space is dropped; a bare "event" line resets the type to the default;
    // a bare "data" line is an empty data line; an id-only block dispatches nothing.
    assertThat(got).containsExactly(new SseEvent("a", "message", " spaced \u00e9\u20ac"), new SseEvent(null, "message", ""));
    assertThat(parser.lastEventId()).isEqualTo("b");
  }
}
