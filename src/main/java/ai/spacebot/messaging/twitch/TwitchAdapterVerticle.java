package ai.spacebot.messaging.twitch;

import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.TwitchConfig;
import ai.spacebot.messaging.AdapterVerticle;
import ai.spacebot.messaging.Bindings;
import ai.spacebot.messaging.Capabilities;
import ai.spacebot.messaging.DeliveryException;
import ai.spacebot.messaging.format.Dialect;
import com.github.twitch4j.client.websocket.domain.WebsocketConnectionState;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Twitch chat adapter on Twitch4J: joins the configured channels, takes in what people write there (a turn only
 * for what is addressed to the bot, see {@link TwitchNormaliser}), and answers in plain text, 500 characters a
 * message, paced to Twitch's send limit ({@link SendPacer}). Twitch4J reconnects and rejoins by itself; this adapter
 * reports it ({@link #reconnecting}, {@link #connected}). A token the chat server refuses is an operator's to fix:
 * reported once, not retried.
 */
public final class TwitchAdapterVerticle extends AdapterVerticle {
  private static final Logger log = LoggerFactory.getLogger(TwitchAdapterVerticle.class);
  /** How long the chat server may take from the WebSocket opening to the login's {@code 001}. */
  static final long LOGIN_TIMEOUT_MS = 30_000;
  static final String TOKEN_REFUSED = "the Twitch chat server refused the login (%s). Set TWITCH_OAUTH_TOKEN to a user "
      + "access token of the bot account with the scopes chat:read and chat:edit, and TWITCH_BOT_NAME to that "
      + "account's login name";
  /** How long after the login the channels may take to confirm the JOINs before the adapter counts as connected. */
  static final long JOIN_TIMEOUT_MS = 10_000;
  /** Twitch closes the socket after a failed login without a line Twitch4J passes on: two such closes in a row. */
  static final int CLOSES_BEFORE_LOGIN = 2;

  private final SpacebotConfig config;
  private final TwitchConfig twitch;
  private TwitchNormaliser normaliser;
  private SendPacer pacer;
  private volatile TwitchConnection connection;
  private volatile Session session;

  public TwitchAdapterVerticle(SpacebotConfig config, MeterRegistry registry) {
    super(registry);
    this.config = config;
    this.twitch = config.messaging().twitch();
  }

  @Override
  public String platform() {
    return TwitchNormaliser.PLATFORM;
  }

  @Override
  protected boolean enabled() {
    return twitch.enabled();
  }

  @Override
  protected String disabledHint() {
    return "set TWITCH_OAUTH_TOKEN (the bot account's user access token), TWITCH_BOT_NAME and TWITCH_CHANNELS "
        + "(or messaging.twitch)";
  }

  /** Text only: no typing indicator, reactions, threads, files, edits or rich parts in Twitch chat. */
  @Override
  public Capabilities capabilities() {
    return new Capabilities(TwitchText.MAX_LENGTH, Dialect.PLAIN_LINE, 0, false, false, false, false, false);
  }

  @Override
  protected Future<Void> connect() {
    Session attempt = new Session();
    session = attempt;
    Future<TwitchConnection> built = vertx.executeBlocking(() -> TwitchConnection.open(twitch, attempt), false);
    built.onSuccess(c -> {
      if (session == attempt) {
        connection = c;
      } else {
        closeQuietly(c);
      }
    }).onFailure(attempt.login::tryFail);
    long timer = vertx.setTimer(LOGIN_TIMEOUT_MS, t -> attempt.login.tryFail(new IllegalStateException(
        "no login from the Twitch chat server " + twitch.ircUrl() + " within " + LOGIN_TIMEOUT_MS / 1000 + " s; check "
            + "the network, or messaging.twitch.irc_url")));
    return attempt.login.future().onComplete(ar -> vertx.cancelTimer(timer)).onSuccess(v -> log.info(
        "[twitch] Logged in as {}; joining #{}", twitch.botName(), String.join(", #", twitch.channels())));
  }

  @Override
  protected Future<Void> disconnect() {
    session = null;
    TwitchConnection c = connection;
    connection = null;
    if (c == null) {
      return Future.succeededFuture();
    }
    return closeQuietly(c);
  }

  /** Closes on a worker; done after at most 5 s even if Twitch4J's close hangs (it can while reconnecting). */
  private Future<Void> closeQuietly(TwitchConnection c) {
    Promise<Void> closed = Promise.promise();
    vertx.executeBlocking(() -> {
      c.close();
      return null;
    }, false).onComplete(ar -> closed.tryComplete());
    vertx.setTimer(5000, t -> closed.tryComplete());
    return closed.future();
  }

  @Override
  protected List<Step> plan(OutboundMessage message) {
    if (OutboundMessage.REACTION.equals(message.kind())) {
      throw DeliveryException.permanent("Twitch chat has no reactions");
    }
    String channel = TwitchTarget.parse(message.conversationId(), twitch.channels()).channel();
    String text = message.text() == null ? "" : message.text();
    if (!message.files().isEmpty()) {
      // Twitch chat carries text only: the reader learns a file was meant for them rather than nothing at all.
      text = text + "\n\n(" + message.files().size() + " file(s) not sent: Twitch chat carries text only: "
          + String.join(", ", message.files()) + ")";
    }
    List<String> parts = TwitchText.parts(text);
    if (parts.isEmpty()) {
      throw DeliveryException.permanent("nothing to send: the message is empty");
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      String parent = i == 0 ? message.replyToPlatformId() : null;
      steps.add(() -> pacer().acquire().compose(v -> send(channel, part, parent)));
    }
    return steps;
  }

  private Future<String> send(String channel, String text, String replyParentId) {
    TwitchConnection c = connection;
    if (c == null) {
      return Future.failedFuture(DeliveryException.transientFailure("twitch is not connected"));
    }
    // Twitch tells the sender nothing back for a PRIVMSG, so the part's id is ours.
    String id = "sent:" + UUID.randomUUID();
    boolean tags = twitch.twitchHost() && replyParentId != null && !replyParentId.startsWith("local:");
    return vertx.executeBlocking(() -> c.send(channel, text, tags ? replyParentId : null, tags), true)
        .compose(queued -> queued ? Future.succeededFuture(id) : Future.failedFuture(
            DeliveryException.transientFailure("the Twitch chat connection is not open")));
  }

  @Override
  protected void sendTyping(String conversationId) {
    // Twitch chat shows no typing indicator (typingIntervalMillis is 0, so this is never asked).
  }

  private TwitchNormaliser normaliser() {
    if (normaliser == null) {
      normaliser = new TwitchNormaliser(twitch, new Bindings(config));
    }
    return normaliser;
  }

  private SendPacer pacer() {
    if (pacer == null) {
      pacer = new SendPacer(vertx, twitch.sendLimit(), twitch.sendWindowMillis(), System::currentTimeMillis);
    }
    return pacer;
  }

  /** One connection attempt's view of the chat session; events of an attempt given up are ignored. */
  private final class Session implements TwitchConnection.Listener {
    final Promise<Void> login = Promise.promise();
    final AtomicBoolean loggedIn = new AtomicBoolean();
    final AtomicBoolean open = new AtomicBoolean();
    /** The channels that confirmed the JOIN since the last login; connected once all did (a line said in a channel
     * the bot has not joined yet never reaches it). */
    final java.util.Set<String> joined = java.util.concurrent.ConcurrentHashMap.newKeySet();
    volatile long joinTimer = -1;
    final AtomicInteger closesBeforeLogin = new AtomicInteger();
    volatile String lastServerLine;

    boolean current() {
      return session == this;
    }

    @Override
    public void message(ChatLine line) {
      long received = System.nanoTime();
      if (!current()) {
        return;
      }
      context.runOnContext(v -> {
        String ignored = normaliser().ignoreReason(line);
        if (ignored != null) {
          log.debug("[twitch] Ignoring a message in #{} from {}: {}", line.channel(), line.login(), ignored);
          return;
        }
        submit(normaliser().toInbound(line), received).onFailure(err -> log.warn(
            "[twitch] A message in #{} from {} was not taken in: {}", line.channel(), line.login(), err.getMessage()));
      });
    }

    @Override
    public void welcome() {
      if (!current()) {
        return;
      }
      loggedIn.set(true);
      closesBeforeLogin.set(0);
      joined.clear();
      context.runOnContext(v -> joinTimer = vertx.setTimer(JOIN_TIMEOUT_MS, t -> {
        List<String> missing = twitch.channels().stream().filter(c -> !joined.contains(c)).toList();
        if (current() && loggedIn.get() && !missing.isEmpty()) {
          log.warn("[twitch] #{} did not confirm the JOIN within {} s; messages there may not arrive",
              String.join(", #", missing), JOIN_TIMEOUT_MS / 1000);
          inChannels();
        }
      }));
    }

    @Override
    public void joined(String channel) {
      if (!current()) {
        return;
      }
      joined.add(channel);
      if (joined.containsAll(twitch.channels())) {
        context.runOnContext(v -> {
          vertx.cancelTimer(joinTimer);
          inChannels();
        });
      }
    }

    private void inChannels() {
      if (!login.tryComplete()) {
        connected();
      }
    }

    @Override
    public void opened() {
      open.set(true);
    }

    @Override
    public void dropped(WebsocketConnectionState state) {
      if (!current()) {
        return;
      }
      boolean wasOpen = open.getAndSet(false);
      if (!loggedIn.getAndSet(false)) {
        // A server that cannot be reached never opens the socket: that is retried, not a refused token.
        if (wasOpen && closesBeforeLogin.incrementAndGet() >= CLOSES_BEFORE_LOGIN) {
          String said = lastServerLine;
          refuse("the connection was closed before the login completed, " + CLOSES_BEFORE_LOGIN + " times"
              + (said == null ? "" : "; the server said: " + said));
        }
        return;
      }
      reconnecting("chat connection " + state.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void serverSays(String line) {
      if (!current() || loggedIn.get()) {
        return;
      }
      lastServerLine = line;
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.contains("authentication failed") || lower.contains("improperly formatted auth")
          || lower.contains("password") || lower.contains("access denied") || lower.contains("login unsuccessful")) {
        refuse(line.replaceFirst("^@\\S+ ", "").strip());
      }
    }

    private void refuse(String why) {
      context.runOnContext(v -> {
        ConnectionRefused refused = new ConnectionRefused(String.format(TOKEN_REFUSED, why));
        if (!login.tryFail(refused) && current()) {
          connectionRefused(refused.getMessage());
        }
      });
    }
  }
}
