package ai.spacebot.bench;

import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.RecordedRequest;
import ai.spacebot.testkit.RoleScript;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The concurrency contract under load: every channel starts its workers (5 each by default, the cap),
 * which keep working for the whole run (see {@link #respond}). Then each channel gets new
 * messages one after another, and we time portal/send → the first {@code outbound_message_delta} of the
 * answer (the model answers at once with a streamed reply). Reports p50/p90/p99/max and how many
 * workers were running (from GET /api/workers).
 */
public final class ChannelResponsiveness {
  private static final String START = "start your workers";

  public static void main(String[] args) throws Exception {
    int channels = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int perChannel = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    boolean shell = args.length > 4 && args[4].equals("shell");
    // Pause between an answer and the channel's next message (± a fifth, so channels drift apart).
    int pauseMillis = args.length > 5 ? Integer.parseInt(args[5]) : 1000;

    ScriptedModelServer model = ScriptedModelServer.start();
    model.respondWith(r -> respond(r, perChannel, shell));
    Path dir = Files.createTempDirectory("spacebot-bench");
    // Workers must outlast the run: plenty of segments, a long wall clock.
    Files.writeString(dir.resolve("config.yaml"), """
        worker:
          max_concurrent: %d
          max_segments: 1000
          timeout_seconds: 3600
        cortex:
          stuck_after_seconds: 3600
        """.formatted(Math.max(5, perChannel)));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    env.put("OPENAI_API_KEY", "bench");
    env.put("OPENAI_BASE_URL", model.baseUrl());
    env.put("SPACEBOT_MODEL", "openai/instant");
    try (SpacebotProcess server = SpacebotProcess.start(env, List.of("-jar", SpacebotProcess.jar().toString()), "start",
        "--foreground").awaitHealthy(port, Duration.ofSeconds(90))) {
      run(model, port, channels, perChannel, seconds, warmup, pauseMillis);
      server.terminate();
      Files.writeString(dir.resolve("server.log"), server.output());
      System.out.println("server log: " + dir.resolve("server.log"));
    } finally {
      model.close();
    }
  }

  /**
   * Channel: start message → spawn the workers, then reply; anything else → an instant streamed reply. Workers, for
   * ever: a model call that takes 1 s and a set_status (model mode), or an instant model call and {@code sleep 1} in
   * the shell (shell mode: a process spawn per step, which on 2 cores is mostly a CPU stress test).
   */
  private static ModelStep respond(RecordedRequest r, int perChannel, boolean shell) {
    return switch (RoleScript.roleOf(r)) {
      case WORKER -> shell ? RoleScript.call("shell", new JsonObject().put("command", "sleep 1"))
          : RoleScript.call("set_status", new JsonObject().put("status", "step " + r.messages().size()))
              .delayed(Duration.ofSeconds(1));
      case CHANNEL -> {
        String last = String.valueOf(r.lastUserText());
        if (last.contains(START) && !r.hasToolResult() && perChannel > 0) {
          List<ModelStep.ToolCall> calls = new ArrayList<>();
          for (int i = 0; i < perChannel; i++) {
            calls.add(new ModelStep.ToolCall("spawn_worker", new JsonObject().put("task", "busy task " + i).encode()));
          }
          yield ModelStep.toolCalls(calls);
        }
        yield last.startsWith("[Worker") ? ModelStep.toolCall("skip", "{}") : RoleScript.reply("pong");
      }
      default -> ModelStep.text("ok");
    };
  }

  private static void run(ScriptedModelServer model, int port, int channels, int perChannel, int seconds, int warmup,
      int pauseMillis) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    HttpClient sseClient = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, Boolean> sawDelta = new ConcurrentHashMap<>();
    List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicInteger started = new AtomicInteger();
    long[] window = new long[2];
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
              int data = frame.indexOf("data: ");
              if (data < 0) {
                continue;
              }
              String type = frame.contains("event: outbound_message_delta\n") ? "delta"
                  : frame.contains("event: outbound_message\n") ? "message"
                  : frame.contains("event: worker_started\n") ? "worker" : null;
              if (type == null) {
                continue;
              }
              JsonObject json = new JsonObject(frame.substring(data + 6));
              String channel = json.getString("channel_id");
              long now = System.nanoTime();
              if (type.equals("worker")) {
                started.incrementAndGet();
              } else if (type.equals("delta") && sentAt.containsKey(channel) && !sawDelta.getOrDefault(channel, false)) {
                sawDelta.put(channel, true);
                long sent = sentAt.get(channel);
                if (sent >= window[0] && sent <= window[1]) {
                  latencies.add(now - sent);
                }
              } else if (type.equals("message") && sawDelta.getOrDefault(channel, false)) {
                // The answer is out: the channel's next message after a short pause.
                sentAt.remove(channel);
                sawDelta.remove(channel);
                if (now < window[1]) {
                  long pause = Math.max(1, Math.round(pauseMillis * (0.8 + 0.4 * Math.random())));
                  vertx.setTimer(pause, t -> ping(http, channel, sentAt));
                }
              }
            }
          });
        });
    if (!connected.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("could not open the event stream");
    }
    for (int c = 0; c < channels; c++) {
      post(http, "b" + c, START);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (started.get() < channels * perChannel && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    System.out.printf("workers started: %d of %d%n", started.get(), channels * perChannel);
    Thread.sleep(1000);
    window[0] = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
    window[1] = window[0] + TimeUnit.SECONDS.toNanos(seconds);
    for (int c = 0; c < channels; c++) {
      String channel = "portal:chat:main:b" + c;
      vertx.setTimer(1 + c * 37L, t -> ping(http, channel, sentAt));
    }
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(window[1] - System.nanoTime()) + 2000);
    JsonObject workers = new JsonObject(get(http, "/api/workers?agent_id=main"));
    int runningWorkers = workers.getJsonArray("workers").size();
    int workerCalls = (int) model.requests().stream().filter(r -> RoleScript.roleOf(r) == RoleScript.Role.WORKER).count();
    vertx.close().await();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("channels=%d pause=%dms workers running at the end=%d worker model calls=%d measured=%ds messages=%d%n",
        channels, pauseMillis, runningWorkers, workerCalls, seconds, sorted.length);
    System.out.printf("send -> first outbound_message_delta ms: p50=%.2f p90=%.2f p99=%.2f max=%.2f%n", pct(sorted, 50),
        pct(sorted, 90), pct(sorted, 99), pct(sorted, 100));
  }

  private static void ping(HttpClient http, String channel, Map<String, Long> sentAt) {
    sentAt.put(channel, System.nanoTime());
    post(http, channel.substring("portal:chat:main:".length()), "ping");
  }

  private static void post(HttpClient http, String session, String message) {
    JsonObject body = new JsonObject().put("agent_id", "main").put("session_id", session).put("sender_name", "bench")
        .put("message", message);
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/api/portal/send").putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(Buffer.buffer(body.encode())));
  }

  private static String get(HttpClient http, String uri) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri))
        .compose(req -> req.send().compose(res -> res.body())).map(Buffer::toString).await();
  }

  private static double pct(long[] sorted, int p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int idx = p >= 100 ? sorted.length - 1 : (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, idx)] / 1e6;
  }
}
