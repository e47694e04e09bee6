package ai.spacebot.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A person in Twitch chat, as a plain-TCP IRC client of {@link TwitchPeer}'s server: logs in, joins channels, says
 * things, and records every line anyone else says with when it arrived. It asks for {@code echo-message} so that
 * what it says comes back with the id the server gave it ({@code msgid}): {@link #say} returns that id, and
 * {@link #echoed} the exact line the other clients (the bot) received, for a test that delivers it again.
 */
public final class IrcViewer implements AutoCloseable {
  /** A line someone said in a channel, with its arrival time (epoch ms). */
  public record Said(String channel, String nick, String text, String msgid, long atMillis, String raw) {}

  private final String nick;
  private final Socket socket;
  private final OutputStream out;
  private final Thread reader;
  private final List<Said> heard = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Said> echoes = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<String> numerics = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  private IrcViewer(String nick, Socket socket) throws IOException {
    this.nick = nick;
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.reader = new Thread(this::read, "irc-viewer-" + nick);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects, logs in and joins the channels (without {@code #}); returns once the server confirmed every join. */
  public static IrcViewer connect(int port, String password, String nick, List<String> channels) throws IOException {
    IrcViewer v = new IrcViewer(nick, new Socket("127.0.0.1", port));
    v.send("CAP REQ :echo-message message-tags server-time");
    v.send("PASS " + password);
    v.send("NICK " + nick);
    v.send("USER " + nick + " 0 * :" + nick);
    v.send("CAP END");
    v.await("001", Duration.ofSeconds(15));
    for (String channel : channels) {
      v.send("JOIN #" + channel);
      v.await("366", Duration.ofSeconds(15));
    }
    return v;
  }

  public String nick() {
    return nick;
  }

  /** Says {@code text} in the channel; returns the server's id of that message. */
  public String say(String channel, String text) {
    echoes.clear();
    send("PRIVMSG #" + channel + " :" + text);
    try {
      Said echo = echoes.poll(10, TimeUnit.SECONDS);
      if (echo == null) {
        throw new AssertionError("the IRC server did not echo " + nick + "'s message in #" + channel);
      }
      return echo.msgid();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What this viewer said with that id, as the server relayed it (tags included), or null. */
  public String echoed(String msgid) {
    return mine.stream().filter(s -> msgid.equals(s.msgid())).map(Said::raw).findFirst().orElse(null);
  }

  private final List<Said> mine = new CopyOnWriteArrayList<>();

  /** Everything {@code from} said in the channel so far, in order of arrival. */
  public List<Said> heard(String channel, String from) {
    List<Said> out = new ArrayList<>();
    for (Said s : heard) {
      if (s.channel().equals(channel) && s.nick().equalsIgnoreCase(from)) {
        out.add(s);
      }
    }
    return out;
  }

  public void send(String line) {
    synchronized (out) {
      try {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new AssertionError("IRC viewer " + nick + " could not send: " + e.getMessage(), e);
      }
    }
  }

  private void await(String numeric, Duration within) {
    try {
      long deadline = System.nanoTime() + within.toNanos();
      while (true) {
        String n = numerics.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (n == null) {
          throw new AssertionError("IRC viewer " + nick + ": no " + numeric + " from the server within " + within);
        }
        if (n.equals(numeric)) {
          return;
        }
        // 422 (no message of the day) is only information; other 4xx/5xx refuse what was asked.
        if ((n.startsWith("4") || n.startsWith("5")) && !n.equals("422") || n.equals("ERROR")) {
          throw new AssertionError("IRC viewer " + nick + ": the server answered " + n + " waiting for " + numeric);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        long at = System.currentTimeMillis();
        IrcLine l = IrcLine.parse(line);
        if (l.command().equals("PING")) {
          send("PONG :" + l.trailing());
        } else if (l.command().equals("PRIVMSG") && l.params().size() >= 1 && l.params().get(0).startsWith("#")) {
          Said said = new Said(l.params().get(0).substring(1), l.nick(), l.trailing(), l.tag("msgid"), at, line);
          if (l.nick().equalsIgnoreCase(nick)) {
            mine.add(said);
            echoes.add(said);
          } else {
            heard.add(said);
          }
        } else if (l.command().matches("\\d{3}") || l.command().equals("ERROR")) {
          numerics.add(l.command());
        }
      }
    } catch (IOException e) {
      if (!closed) {
        numerics.add("ERROR");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      send("QUIT :bye");
    } catch (AssertionError ignored) {
      // already gone
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One IRC line: {@code [@tags] [:prefix] COMMAND params [:trailing]}. */
  record IrcLine(java.util.Map<String, String> tags, String prefix, String command, List<String> params,
      String trailing) {
    static IrcLine parse(String line) {
      java.util.Map<String, String> tags = new java.util.HashMap<>();
      String rest = line;
      if (rest.startsWith("@")) {
        int sp = rest.indexOf(' ');
        for (String t : rest.substring(1, sp).split(";")) {
          int eq = t.indexOf('=');
          tags.put(eq < 0 ? t : t.substring(0, eq), eq < 0 ? "" : t.substring(eq + 1));
        }
        rest = rest.substring(sp + 1);
      }
      String prefix = null;
      if (rest.startsWith(":")) {
        int sp = rest.indexOf(' ');
        prefix = rest.substring(1, sp);
        rest = rest.substring(sp + 1);
      }
      String trailing = null;
      int colon = rest.indexOf(" :");
      if (colon >= 0) {
        trailing = rest.substring(colon + 2);
        rest = rest.substring(0, colon);
      }
      String[] words = rest.split(" ");
      return new IrcLine(tags, prefix, words[0].toUpperCase(java.util.Locale.ROOT),
          List.of(words).subList(1, words.length), trailing == null ? "" : trailing);
    }

    String nick() {
      if (prefix == null) {
        return "";
      }
      int bang = prefix.indexOf('!');
      return bang < 0 ? prefix : prefix.substring(0, bang);
    }

    String tag(String name) {
      return tags.get(name);
    }
  }
}
