package ai.spacebot.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A local Twitch chat for tests: a real IRC server (Debian's InspIRCd 3) on TCP, behind websocketd, which gives
 * Twitch4J what it needs, IRC over WebSocket (one text frame, one line). Every connection runs {@code bridge.pl}
 * (test resources), which adds what an IRC server needs and Twitch does not (a USER line, JOINs held until the login
 * completed) and asks for IRCv3 message tags, so the bot sees a {@code msgid} on every message. Point the adapter's
 * {@code irc_url} at {@link #url()}; the token is {@link #token()} (the server's password, {@code oauth:} + token, as
 * Twitch4J sends it). People are {@link IrcViewer}s ({@link #viewer}).
 *
 * <p>Twitch's own tags (user-id, display-name, reply-parent-*) and its NOTICEs are not there: InspIRCd NAKs
 * {@code CAP REQ twitch.tv/*}. A test that needs them {@link #inject}s a line as Twitch would send it.
 *
 * <p><b>Faults.</b> {@link #dropConnection} kills the bot's bridge process (the WebSocket closes: Twitch4J
 * reconnects); {@link #restartWebSocket} restarts websocketd on the same port. {@link #connections} counts the
 * bot's connections that got as far as being in every channel it joined. Needs {@code inspircd}, {@code websocketd} and {@code perl} (scripts/install-test-deps.sh).
 */
public final class TwitchPeer implements AutoCloseable {
  public static final String TOKEN = "twitchpeertoken0123456789abcd";

  private final Path dir;
  private final int ircPort;
  private final int wsPort;
  private final Process ircd;
  private Process websocketd;
  private final List<IrcViewer> viewers = new ArrayList<>();

  private TwitchPeer(Path dir, int ircPort, int wsPort, Process ircd) {
    this.dir = dir;
    this.ircPort = ircPort;
    this.wsPort = wsPort;
    this.ircd = ircd;
  }

  public static TwitchPeer start() throws IOException {
    Path dir = Files.createTempDirectory("twitch-peer");
    int ircPort = TestApp.freePort();
    String conf = resource("inspircd.conf.template").replace("@PORT@", String.valueOf(ircPort))
        .replace("@DIR@", dir.toString()).replace("@PASSWORD@", "oauth:" + TOKEN);
    Files.writeString(dir.resolve("inspircd.conf"), conf);
    Files.writeString(dir.resolve("bridge.pl"), resource("bridge.pl"));
    Process ircd = new ProcessBuilder("inspircd", "--runasroot", "--nofork", "--config=" + dir.resolve("inspircd.conf"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("inspircd.out").toFile()).start();
    TwitchPeer peer = new TwitchPeer(dir, ircPort, TestApp.freePort(), ircd);
    try {
      awaitPort(ircPort, "inspircd", dir.resolve("inspircd.out"));
      peer.startWebsocketd();
    } catch (RuntimeException | IOException e) {
      peer.close();
      throw e;
    }
    return peer;
  }

  private void startWebsocketd() throws IOException {
    websocketd = new ProcessBuilder("websocketd", "--address=127.0.0.1", "--port=" + wsPort, "--loglevel=error",
        "perl", dir.resolve("bridge.pl").toString(), String.valueOf(ircPort), dir.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("websocketd.out")
            .toFile())).start();
    awaitPort(wsPort, "websocketd", dir.resolve("websocketd.out"));
  }

  /** The chat WebSocket URL: the adapter's {@code irc_url}. */
  public String url() {
    return "ws://127.0.0.1:" + wsPort;
  }

  public String token() {
    return TOKEN;
  }

  /** A person in chat who joined these channels. */
  public IrcViewer viewer(String nick, List<String> channels) throws IOException {
    IrcViewer v = IrcViewer.connect(ircPort, "oauth:" + TOKEN, nick, channels);
    synchronized (viewers) {
      viewers.add(v);
    }
    return v;
  }

  /**
   * A connection counts as ready only once the bot is in this many channels. Twitch4J rejoins its channels one
   * JOIN at a time after a reconnect: without this, the first channel's confirmation would count the connection
   * ready while the others are still being joined, and a line said in one of those then would never reach the bot
   * (seen: a parity run's "after the drop" lost).
   */
  public void expectChannels(int count) {
    try {
      Files.writeString(dir.resolve("expect"), count + "\n");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** How many times the bot connected and was in all the channels it joined. */
  public int connections() {
    return lines("ready").size();
  }

  /** Drops the bot's current connection (kills its bridge: the WebSocket closes). */
  public void dropConnection() {
    List<Long> pids = pids();
    if (pids.isEmpty()) {
      throw new IllegalStateException("the bot never connected");
    }
    ProcessHandle.of(pids.get(pids.size() - 1)).ifPresent(ProcessHandle::destroy);
  }

  /** Restarts websocketd (its bridges die with it) on the same port: the bot reconnects once it is back. */
  public void restartWebSocket(Duration down) throws IOException, InterruptedException {
    stopWebsocketd();
    Thread.sleep(down.toMillis());
    startWebsocketd();
  }

  /** Sends one line to the bot as if the server had sent it, on its current connection. */
  public void inject(String line) {
    List<Long> pids = pids();
    Path fifo = dir.resolve("inject." + pids.get(pids.size() - 1));
    try {
      Files.writeString(fifo, line + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("could not inject into " + fifo + ": " + e.getMessage(), e);
    }
  }

  /** The bot's bridge processes, oldest first. */
  private List<Long> pids() {
    return lines("connections");
  }

  private List<Long> lines(String name) {
    try {
      Path file = dir.resolve(name);
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(s -> !s.isBlank()).map(Long::parseLong)
          .toList() : List.of();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void stopWebsocketd() {
    if (websocketd != null) {
      websocketd.descendants().forEach(ProcessHandle::destroy);
      websocketd.destroy();
      try {
        websocketd.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      websocketd.destroyForcibly();
    }
  }

  private static void awaitPort(int port, String what, Path log) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new AssertionError(ie);
        }
      }
    }
    String output;
    try {
      output = Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      output = e.getMessage();
    }
    throw new IllegalStateException(what + " did not listen on port " + port + " within 15 s: " + output);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = TwitchPeer.class.getResourceAsStream("/twitch/" + name)) {
      return new String(Objects.requireNonNull(in, "test resource twitch/" + name).readAllBytes(),
          StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    synchronized (viewers) {
      viewers.forEach(IrcViewer::close);
    }
    stopWebsocketd();
    ircd.destroy();
    try {
      ircd.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ircd.destroyForcibly();
  }
}
