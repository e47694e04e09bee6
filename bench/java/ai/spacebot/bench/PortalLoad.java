package ai.spacebot.bench;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator: N concurrent web-chat conversations against the packaged server (its own process)
 * and an instant scripted model. Each conversation sends a message, waits for its
 * {@code outbound_message} on one shared SSE stream, and sends the next. Reports turns/s, the latency
 * the server adds per turn (send → outbound_message, minus the model's own time for that turn)
 * p50/p99, and the server's RSS. Bounded in time; loopback only.
 *
 * <p>Usage: {@code bench/portal-load.sh [conversations] [seconds] [warmup-seconds] [think-ms]}
 */
public final class PortalLoad {
  private record Pending(long sentNanos) {}

  public static void main(String[] args) throws Exception {
    int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    // Pause between a reply and the conversation's next message: 0 = closed loop at full speed
    // (measures throughput), > 0 = paced like people typing (measures latency below saturation).
    int thinkMillis = args.length > 3 ? Integer.parseInt(args[3]) : 0;

    ScriptedModelServer model = ScriptedModelServer.start();
    // Instant model: a streamed reply tool call echoing the turn's token, like a real channel turn.
    model.respondWith(r -> ModelStep.toolCall("reply", new JsonObject().put("content", "ack " + token(r.lastUserText())).encode()));

    Path dir = Files.createTempDirectory("spacebot-bench");
    int port = freePort();
    Map<String, String> env = new HashMap<>();
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    env.put("OPENAI_API_KEY", "bench");
    env.put("OPENAI_BASE_URL", model.baseUrl());
    env.put("SPACEBOT_MODEL", "openai/instant");
    List<String> jvm = new ArrayList<>(Arrays.asList(System.getProperty("bench.server.jvm", "").split("\\s+")));
    jvm.removeIf(String::isBlank);
    jvm.addAll(List.of("-jar", SpacebotProcess.jar().toString()));
    try (SpacebotProcess server = SpacebotProcess.start(env, jvm, "start", "--foreground").awaitHealthy(port, Duration.ofSeconds(90))) {
      run(model, server, port, conversations, seconds, warmup, thinkMillis);
      server.terminate();
    } finally {
      model.close();
    }
  }

  private static void run(ScriptedModelServer model, SpacebotProcess server, int port, int conversations, int seconds, int warmup,
      int thinkMillis) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(Math.min(conversations, 512)));
    HttpClient sseClient = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    Map<String, Pending> pending = new ConcurrentHashMap<>();
    Map<String, Long> latencyNanos = new ConcurrentHashMap<>();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong measuredTurns = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long measureTo = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    Map<String, Integer> turnOf = new ConcurrentHashMap<>();

    // One SSE connection for all conversations, as a dashboard or the web chat would hold.
    CountDownLatch connected = new CountDownLatch(1);
    StringBuilder sse = new StringBuilder();
    sseClient.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/events?agent_id=main"))
        .compose(req -> req.send())
        .onSuccess(res -> {
          connected.countDown();
          res.handler(buf -> {
            sse.append(buf.toString());
            int end;
            while ((end = sse.indexOf("\n\n")) >= 0) {
              String frame = sse.substring(0, end);
              sse.delete(0, end + 2);
              if (!frame.contains("event: outbound_message\n")) {
                continue;
              }
              JsonObject data = new JsonObject(frame.substring(frame.indexOf("data: ") + 6));
              String session = data.getString("channel_id").substring("portal:chat:main:".length());
              String token = session + "-" + turnOf.get(session);
              Pending p = pending.remove(session);
              if (p == null) {
                continue;
              }
              long now = System.nanoTime();
              if (p.sentNanos() >= measureFrom && now <= measureTo) {
                latencyNanos.put(token, now - p.sentNanos());
                measuredTurns.incrementAndGet();
              }
              if (running.get() && thinkMillis == 0) {
                vertx.runOnContext(v -> send(http, session, turnOf, pending, errors));
              } else if (running.get()) {
                vertx.setTimer(thinkMillis, t -> send(http, session, turnOf, pending, errors));
              }
            }
          });
        });
    if (!connected.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not open the event stream");
    }
    for (int i = 0; i < conversations; i++) {
      String session = "c" + i;
      turnOf.put(session, 0);
      // Spread the first messages over one think time so paced runs start evenly.
      long delay = thinkMillis == 0 ? 1 : 1 + (long) thinkMillis * i / conversations;
      vertx.setTimer(delay, t -> send(http, session, turnOf, pending, errors));
    }
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(measureTo - System.nanoTime()));
    running.set(false);
    long rssKb = procStatus(server.pid(), "VmRSS");
    long hwmKb = procStatus(server.pid(), "VmHWM");
    Thread.sleep(2000);
    vertx.close().await();

    // Subtract each turn's own model time (the scripted server measured it) from its latency.
    Map<String, Long> modelNanos = new HashMap<>();
    for (RecordedRequest r : model.requests()) {
      if (r.finished()) {
        modelNanos.merge(token(r.lastUserText()), r.modelNanos(), Long::sum);
      }
    }
    long[] added = latencyNanos.entrySet().stream()
        .mapToLong(e -> e.getValue() - modelNanos.getOrDefault(e.getKey(), 0L)).sorted().toArray();
    long[] total = latencyNanos.values().stream().mapToLong(Long::longValue).sorted().toArray();
    long[] modelOnly = latencyNanos.keySet().stream().mapToLong(k -> modelNanos.getOrDefault(k, 0L)).sorted().toArray();
    double turnsPerSecond = measuredTurns.get() / (double) seconds;
    System.out.printf("conversations=%d think=%dms measured=%ds turns=%d turns/s=%.0f errors=%d%n", conversations, thinkMillis,
        seconds, measuredTurns.get(), turnsPerSecond, errors.get());
    System.out.printf("added latency ms: p50=%.2f p90=%.2f p99=%.2f max=%.2f%n", pct(added, 50), pct(added, 90), pct(added, 99),
        pct(added, 100));
    System.out.printf("send->outbound ms: p50=%.2f p99=%.2f; model time ms: p50=%.2f p99=%.2f%n", pct(total, 50), pct(total, 99),
        pct(modelOnly, 50), pct(modelOnly, 99));
    System.out.printf("server RSS: %d MB (peak %d MB)%n", rssKb / 1024, hwmKb / 1024);
  }

  private static void send(HttpClient http, String session, Map<String, Integer> turnOf, Map<String, Pending> pending, AtomicLong errors) {
    int turn = turnOf.merge(session, 1, Integer::sum);
    String token = session + "-" + turn;
    JsonObject body = new JsonObject().put("agent_id", "main").put("session_id", session).put("sender_name", "bench")
        .put("message", "turn " + token);
    pending.put(session, new Pending(System.nanoTime()));
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/portal/send").putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body.encode())))
        .onComplete(ar -> {
          if (ar.failed() || ar.result().statusCode() != 200) {
            errors.incrementAndGet();
          }
        });
  }

  /** The turn token from a user message "[bench] turn c17-3". */
  private static String token(String userText) {
    if (userText == null) {
      return "";
    }
    int i = userText.lastIndexOf("turn ");
    return i < 0 ? "" : userText.substring(i + 5).strip();
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int idx = p >= 100 ? sorted.length - 1 : (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, idx)] / 1e6;
  }

  private static long procStatus(long pid, String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    return -1;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
