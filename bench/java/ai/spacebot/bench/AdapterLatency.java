package ai.spacebot.bench;

import ai.spacebot.messaging.parity.PlatformDriver;
import ai.spacebot.messaging.parity.PlatformDriver.Chat;
import ai.spacebot.testkit.Http;
import ai.spacebot.testkit.ModelStep;
import ai.spacebot.testkit.ScriptedModelServer;
import ai.spacebot.testkit.SpacebotProcess;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inbound-to-delivered latency through a platform adapter: an open loop of R messages per second spread over C
 * private chats of the platform's local peer (the Telegram emulator with its shim, the Discord gateway + REST
 * stub, the generic webhook's callback receiver), against an instant scripted model, with the server as its own process (the packaged jar). Latency is
 * from the person's message reaching the peer to the bot's answer reaching the peer. The adapter's own share is
 * read from the server's {@code spacebot_adapter_inbound} (platform event → stored) and
 * {@code spacebot_adapter_delivery} (delivery request → platform acknowledgement) timers.
 */
public final class AdapterLatency {
  private static final Pattern TAG = Pattern.compile("bench-(\\d+)-");

  public static void main(String[] args) throws Exception {
    String platform = args.length > 0 ? args[0] : "telegram";
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int chats = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;

    ScriptedModelServer model = ScriptedModelServer.start();
    model.respondWith(r -> ModelStep.toolCall("reply",
        new JsonObject().put("content", "echo: " + r.lastUserText()).encode()));
    PlatformDriver driver = BenchDrivers.create(platform);
    Path dir = Files.createTempDirectory("spacebot-bench-adapter");
    // Each chat sends 2 messages a second for the whole run: the per-sender and per-conversation rate limits
    // (10 a minute by default) would keep most of them without a turn, and the benchmark measures the adapter.
    Files.writeString(dir.resolve("config.yaml"), "channel:\n  rate_limit:\n    sender_capacity: 0\n"
        + "    conversation_capacity: 0\n" + driver.yaml());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = new HashMap<>(driver.env());
    env.put("SPACEBOT_DIR", dir.toString());
    env.put("SPACEBOT_PORT", String.valueOf(port));
    env.put("OPENAI_API_KEY", "bench");
    env.put("OPENAI_BASE_URL", model.baseUrl());
    env.put("SPACEBOT_MODEL", "openai/instant");
    try (SpacebotProcess server = SpacebotProcess.start(env, List.of("-Xmx1g", "-jar", SpacebotProcess.jar().toString()),
        "start", "--foreground").awaitHealthy(port, Duration.ofSeconds(90))) {
      driver.attach("http://127.0.0.1:" + port);
      Http http = new Http("http://127.0.0.1:" + port);
      long deadline = System.currentTimeMillis() + 60_000;
      while (!http.get("/api/adapters").body().contains("\"platform\":\"" + driver.platform() + "\",\"state\":\"connected\"")
          && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      List<Chat> dms = new ArrayList<>();
      for (int i = 0; i < chats; i++) {
        dms.add(driver.dm(String.valueOf(5000 + i), "Person " + i));
      }
      System.out.printf("%s: %d msg/s over %d chats for %d s (+%d s warm-up)%n", platform, rate, chats, seconds, warmup);
      Run warm = load(driver, dms, rate, warmup, 0);
      awaitAll(driver, dms, warm, Duration.ofSeconds(30));
      String before = http.get("/metrics").body();
      Run run = load(driver, dms, rate, seconds, warm.sent.get());
      awaitAll(driver, dms, run, Duration.ofSeconds(60));
      String after = http.get("/metrics").body();
      report(driver, dms, run, before, after, driver.platform());
      server.terminate();
      Files.writeString(dir.resolve("server.log"), server.output());
      System.out.println("server log: " + dir.resolve("server.log"));
    } finally {
      driver.close();
      model.close();
    }
  }

  /** One phase: when each tagged message was sent, by tag. */
  private record Run(Map<Integer, Long> sentAt, AtomicInteger sent, int firstTag) {}

  private static Run load(PlatformDriver driver, List<Chat> dms, int rate, int seconds, int firstTag) throws Exception {
    Run run = new Run(new ConcurrentHashMap<>(), new AtomicInteger(firstTag), firstTag);
    ScheduledExecutorService senders = Executors.newScheduledThreadPool(8);
    long periodNanos = 1_000_000_000L / rate;
    int total = rate * seconds;
    AtomicInteger scheduled = new AtomicInteger();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      int n = firstTag + i;
      Chat chat = dms.get(i % dms.size());
      senders.schedule(() -> {
        run.sentAt.put(n, System.currentTimeMillis());
        driver.say(chat, chat.key(), "Person", "bench-" + n + "- how are you", false);
        run.sent.incrementAndGet();
        scheduled.incrementAndGet();
      }, start + i * periodNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }
    senders.shutdown();
    senders.awaitTermination(seconds + 60L, TimeUnit.SECONDS);
    return run;
  }

  private static void awaitAll(PlatformDriver driver, List<Chat> dms, Run run, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (answered(driver, dms, run).size() >= run.sentAt.size()) {
        return;
      }
      Thread.sleep(500);
    }
  }

  /** Answer arrival times by tag (a tag answered in a batched turn counts at that answer's time). */
  private static Map<Integer, Long> answered(PlatformDriver driver, List<Chat> dms, Run run) {
    Map<Integer, Long> out = new HashMap<>();
    for (Chat chat : dms) {
      for (PlatformDriver.Posted posted : driver.botMessagesTimed(chat)) {
        Matcher m = TAG.matcher(posted.text());
        while (m.find()) {
          int tag = Integer.parseInt(m.group(1));
          if (run.sentAt.containsKey(tag)) {
            out.merge(tag, posted.atMillis(), Math::min);
          }
        }
      }
    }
    return out;
  }

  private static void report(PlatformDriver driver, List<Chat> dms, Run run, String before, String after,
      String platform) {
    Map<Integer, Long> answered = answered(driver, dms, run);
    List<Long> latencies = new ArrayList<>();
    answered.forEach((tag, at) -> latencies.add(at - run.sentAt.get(tag)));
    latencies.sort(Long::compare);
    int n = latencies.size();
    System.out.printf("answered %d of %d (%d unanswered or merged into another turn's reply)%n", n, run.sentAt.size(),
        run.sentAt.size() - n);
    if (n > 0) {
      System.out.printf("inbound-to-delivered: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n", latencies.get(n / 2),
          latencies.get((int) (n * 0.9)), latencies.get(Math.min(n - 1, (int) (n * 0.99))), latencies.get(n - 1));
    }
    for (String timer : List.of("spacebot_adapter_inbound", "spacebot_adapter_delivery")) {
      double count = metric(after, timer + "_seconds_count", platform) - metric(before, timer + "_seconds_count", platform);
      double sum = metric(after, timer + "_seconds_sum", platform) - metric(before, timer + "_seconds_sum", platform);
      System.out.printf("%s: %.0f events, mean %.2f ms, p50 %.2f ms, p99 %.2f ms (server's last-minute quantiles)%n",
          timer, count, count == 0 ? 0 : sum / count * 1000, quantile(after, timer, platform, "0.5") * 1000,
          quantile(after, timer, platform, "0.99") * 1000);
    }
  }

  private static double metric(String metrics, String name, String adapter) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\{[^}]*adapter=\"" + adapter + "\"[^}]*\\} ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static double quantile(String metrics, String timer, String adapter, String q) {
    Matcher m = Pattern.compile("(?m)^" + timer + "_seconds\\{[^}]*adapter=\"" + adapter + "\"[^}]*quantile=\"" + q
        + "\"[^}]*\\} ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
