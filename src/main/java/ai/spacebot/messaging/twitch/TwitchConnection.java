package ai.spacebot.messaging.twitch;

import ai.spacebot.config.TwitchConfig;
import com.github.philippheuer.credentialmanager.CredentialManager;
import com.github.philippheuer.credentialmanager.CredentialManagerBuilder;
import com.github.philippheuer.credentialmanager.domain.OAuth2Credential;
import com.github.twitch4j.auth.providers.TwitchIdentityProvider;
import com.github.philippheuer.events4j.core.EventManager;
import com.github.philippheuer.events4j.simple.SimpleEventHandler;
import com.github.twitch4j.chat.TwitchChat;
import com.github.twitch4j.chat.TwitchChatBuilder;
import com.github.twitch4j.chat.events.ChatConnectionStateEvent;
import com.github.twitch4j.chat.events.channel.ChannelMessageEvent;
import com.github.twitch4j.chat.events.channel.IRCMessageEvent;
import com.github.twitch4j.client.websocket.WebsocketConnection;
import com.github.twitch4j.client.websocket.domain.WebsocketConnectionState;
import com.github.twitch4j.common.util.ChatReply;
import com.github.twitch4j.common.util.EscapeUtils;
import com.github.twitch4j.common.util.BucketUtils;
import com.github.twitch4j.common.util.EventManagerUtils;
import com.github.twitch4j.common.util.ThreadUtils;
import io.github.bucket4j.Bandwidth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The bot's chat session on Twitch4J (its WebSocket IRC client, which reconnects by itself and rejoins the channels).
 * Building one blocks (it opens the WebSocket): call {@link #open} off the event loop. Twitch4J calls the
 * {@link Listener} on its own threads.
 */
final class TwitchConnection {
  /**
   * Twitch4J's own send buckets are opened wide: {@link SendPacer} keeps Twitch's limit (with one queue, one log line
   * when it waits), and a second, stricter bucket here would delay messages it already let through.
   */
  private static final Bandwidth UNLIMITED = BucketUtils.simple(1_000_000, Duration.ofSeconds(1), "spacebot-paced");

  /** What the session reports. */
  interface Listener {
    void message(ChatLine line);

    /** The server accepted the login ({@code 001}); after a reconnect too. */
    void welcome();

    /** The bot is in this channel (the end of its NAMES list, {@code 366}, follows every JOIN). */
    void joined(String channel);

    /** The WebSocket is open (the login follows). */
    void opened();

    /** The WebSocket went away ({@code LOST}, {@code RECONNECTING}, {@code DISCONNECTED}). */
    void dropped(WebsocketConnectionState state);

    /** A line from the server before the login completed that may explain a refusal ({@code ERROR}, {@code NOTICE}). */
    void serverSays(String line);
  }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TwitchConnection.class);

  private final TwitchChat chat;
  private final ScheduledThreadPoolExecutor executor;
  /** Twitch4J's WebSocket, written to directly (see {@link #send}); null if this Twitch4J hides it differently. */
  private final WebsocketConnection socket;

  private TwitchConnection(TwitchChat chat, ScheduledThreadPoolExecutor executor) {
    this.chat = chat;
    this.executor = executor;
    this.socket = socketOf(chat);
  }

  /**
   * Twitch4J's {@code sendMessage} hands every message to the common fork-join pool on its way to the socket, so a
   * burst goes out in whatever order those threads run (seen: part 4 of a reply before part 3). Messages must go
   * in order, and {@link SendPacer} already keeps Twitch's limit, so the adapter writes its PRIVMSGs to the
   * WebSocket itself, in order, through the connection Twitch4J keeps (and reconnects) but does not expose.
   */
  private static WebsocketConnection socketOf(TwitchChat chat) {
    try {
      java.lang.reflect.Field f = TwitchChat.class.getDeclaredField("connection");
      f.setAccessible(true);
      return (WebsocketConnection) f.get(chat);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.warn("[twitch] This Twitch4J does not let the adapter write in order ({}); a burst of messages may arrive "
          + "out of order", e.toString());
      return null;
    }
  }

  static TwitchConnection open(TwitchConfig config, Listener listener) {
    ScheduledThreadPoolExecutor executor = ThreadUtils.getDefaultScheduledThreadPoolExecutor("twitch-chat",
        TwitchChat.REQUIRED_THREAD_COUNT);
    // Twitch4J asks id.twitch.tv who the token belongs to, once when it is built and again on reconnects. The bot's
    // name is configured, so that call is answered here: no request leaves, and an offline or test server is not
    // held up by it. A token Twitch refuses is still caught: the IRC login fails (see TwitchAdapterVerticle).
    CredentialManager credentials = CredentialManagerBuilder.builder().build();
    credentials.registerIdentityProvider(new KnownAccount());
    OAuth2Credential account = new OAuth2Credential(TwitchIdentityProvider.PROVIDER_NAME, config.token(), null,
        config.botName(), config.botName(), null, new ArrayList<>(List.of("chat:read", "chat:edit")));
    // Listeners are on before the builder connects, so the first connection's events are seen too.
    EventManager events = EventManagerUtils.initializeEventManager(SimpleEventHandler.class);
    listen(events, listener);
    TwitchChat chat = TwitchChatBuilder.builder()
        .withEventManager(events)
        .withCredentialManager(credentials)
        .withChatAccount(account)
        .withBaseUrl(config.ircUrl())
        // The operator chose this server (irc_url): it gets the token, as it must to log the bot in.
        .withSendCredentialToThirdPartyHost(!config.twitchHost())
        .withAutoJoinOwnChannel(false)
        .withEnableMembershipEvents(false)
        .withVerifyChatAccountOnReconnect(false)
        .withChatRateLimit(UNLIMITED)
        .withPerChannelRateLimit(UNLIMITED)
        .withIrcMessageBucket(BucketUtils.createBucket(UNLIMITED))
        .withScheduledThreadPoolExecutor(executor)
        .build();
    for (String channel : config.channels()) {
      chat.joinChannel(channel);
    }
    return new TwitchConnection(chat, executor);
  }

  private static void listen(EventManager events, Listener listener) {
    events.onEvent(ChannelMessageEvent.class, e -> listener.message(line(e)));
    events.onEvent(IRCMessageEvent.class, e -> {
      // Tags first (an IRCv3 server puts @time= even on ERROR), then the line as IRC reads it.
      String raw = e.getRawMessage().replaceFirst("^@\\S+ ", "");
      if ("001".equals(e.getCommandType())) {
        listener.welcome();
      } else if ("366".equals(e.getCommandType())) {
        String[] words = raw.split(" ", 5);
        if (words.length > 3 && words[3].startsWith("#")) {
          listener.joined(words[3].substring(1).toLowerCase(java.util.Locale.ROOT));
        }
      } else if (raw.startsWith("ERROR ") || "NOTICE".equals(e.getCommandType()) && "*".equals(target(raw))) {
        listener.serverSays(raw);
      }
    });
    events.onEvent(ChatConnectionStateEvent.class, e -> {
      WebsocketConnectionState s = e.getState();
      if (s == WebsocketConnectionState.CONNECTED) {
        listener.opened();
      } else if (s == WebsocketConnectionState.LOST || s == WebsocketConnectionState.RECONNECTING
          || s == WebsocketConnectionState.DISCONNECTED) {
        listener.dropped(s);
      }
    });
  }

  /** The NOTICE's target: {@code *} for a notice about the login itself. */
  private static String target(String raw) {
    String[] words = raw.split(" ", 4);
    return words.length > 2 ? words[2] : null;
  }

  private static ChatLine line(ChannelMessageEvent e) {
    IRCMessageEvent irc = e.getMessageEvent();
    String id = irc.getMessageId().or(() -> irc.getTagValue("msgid")).orElse(null);
    long at = irc.getTagValue("tmi-sent-ts").map(TwitchConnection::millis).orElseGet(
        () -> irc.getTagValue("time").map(TwitchConnection::instant).orElseGet(System::currentTimeMillis));
    return new ChatLine(e.getChannel().getName().toLowerCase(java.util.Locale.ROOT),
        String.valueOf(e.getUser().getName()).toLowerCase(java.util.Locale.ROOT),
        irc.getUserDisplayName().orElse(null), irc.getUserId(), e.getMessage(), id,
        irc.getTagValue("reply-parent-user-login").orElse(null), irc.getTagValue("reply-parent-msg-id").orElse(null),
        at);
  }

  private static Long millis(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return System.currentTimeMillis();
    }
  }

  private static Long instant(String s) {
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (RuntimeException e) {
      return System.currentTimeMillis();
    }
  }

  /**
   * Writes one message to the chat WebSocket (false when it is not connected). A reply names its parent
   * with Twitch's {@code reply-parent-msg-id} tag, which only Twitch understands, so only there.
   *
   * @return false when Twitch4J did not take it
   */
  boolean send(String channel, String text, String replyParentId, boolean twitchTags) {
    boolean reply = twitchTags && replyParentId != null;
    if (socket == null) {
      return reply ? chat.sendMessage(channel, text, null, replyParentId)
          : chat.sendMessage(channel, text, (Map<String, Object>) null);
    }
    String tags = reply ? "@" + ChatReply.REPLY_MSG_ID_TAG_NAME + "=" + EscapeUtils.escapeTagValue(replyParentId) + " "
        : "";
    return socket.sendText(tags + "PRIVMSG #" + channel + " :" + text);
  }

  /** Closes the session. Twitch4J's close can hang while it reconnects, so the caller does not wait on it forever. */
  void close() {
    try {
      chat.close();
    } finally {
      executor.shutdownNow();
    }
  }

  /** Answers Twitch4J's "who is this token" from the configuration instead of id.twitch.tv (see {@link #open}). */
  private static final class KnownAccount extends TwitchIdentityProvider {
    KnownAccount() {
      super(null, null, null);
    }

    @Override
    public Optional<OAuth2Credential> getAdditionalCredentialInformation(OAuth2Credential credential) {
      // A copy: Twitch4J updates the credential from what this returns, clearing its scopes first.
      return Optional.of(new OAuth2Credential(credential.getIdentityProvider(), credential.getAccessToken(), null,
          credential.getUserId(), credential.getUserName(), null, new ArrayList<>(credential.getScopes())));
    }

    @Override
    public Optional<Boolean> isCredentialValid(OAuth2Credential credential) {
      return Optional.of(true);
    }
  }
}
