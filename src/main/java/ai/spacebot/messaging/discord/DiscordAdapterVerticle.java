package ai.spacebot.messaging.discord;

import ai.spacebot.bus.Accepted;
import ai.spacebot.bus.InboundMessage;
import ai.spacebot.bus.MessageEdit;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.config.DiscordConfig;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.messaging.AdapterVerticle;
import ai.spacebot.messaging.Bindings;
import ai.spacebot.messaging.Capabilities;
import ai.spacebot.messaging.format.Dialect;
import ai.spacebot.messaging.format.MessageFormatter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.events.session.SessionDisconnectEvent;
import net.dv8tion.jda.api.events.session.SessionRecreateEvent;
import net.dv8tion.jda.api.events.session.SessionResumeEvent;
import net.dv8tion.jda.api.events.session.ShutdownEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.events.GenericEvent;
import net.dv8tion.jda.api.hooks.EventListener;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.requests.CloseCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Discord adapter on JDA: guild channels, threads and DMs in; replies, threads, embeds, buttons, polls, files,
 * reactions and typing out. JDA reconnects and resumes the gateway session by itself; this adapter reports it
 * ({@link #reconnecting}, {@link #connected}) and only rebuilds JDA when JDA gives up. A refused token or a missing
 * privileged intent is an operator's to fix: reported once, not retried.
 */
public final class DiscordAdapterVerticle extends AdapterVerticle {
  private static final Logger log = LoggerFactory.getLogger(DiscordAdapterVerticle.class);
  /** How long the gateway may take from login to READY before the attempt counts as failed and is retried. */
  static final long READY_TIMEOUT_MS = 60_000;
  static final String TOKEN_REFUSED = "Discord refused the bot token (401 Unauthorized). Set DISCORD_BOT_TOKEN to "
      + "the token from the Discord Developer Portal (your application > Bot > Reset Token)";
  static final String INTENTS_REFUSED = "Discord closed the gateway with 4014 Disallowed intents: enable the Message "
      + "Content intent in the Discord Developer Portal (your application > Bot > Privileged Gateway Intents > "
      + "MESSAGE CONTENT INTENT), then restart";

  private final SpacebotConfig config;
  private final DiscordConfig discord;
  private final Interactions interactions = new Interactions(System::currentTimeMillis);
  private final RateLimitWatch limits = new RateLimitWatch(System::currentTimeMillis);
  private final DmChannels dms = new DmChannels();
  private DiscordNormaliser normaliser;
  private DiscordSender sender;
  private volatile DiscordConnection connection;
  /** The session listener of the current attempt; events of an attempt given up are ignored. */
  private volatile Session session;

  public DiscordAdapterVerticle(SpacebotConfig config, MeterRegistry registry) {
    super(registry);
    this.config = config;
    this.discord = config.messaging().discord();
  }

  @Override
  public String platform() {
    return DiscordNormaliser.PLATFORM;
  }

  /** Idle unless DISCORD_BOT_TOKEN (or messaging.discord) enables it: most servers run without Discord. */
  @Override
  protected boolean enabled() {
    return discord.enabled();
  }

  @Override
  protected String disabledHint() {
    return "set DISCORD_BOT_TOKEN to the bot token from the Discord Developer Portal (or messaging.discord.token)";
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(DiscordRenderer.MAX_LENGTH, Dialect.DISCORD, discord.typingIntervalMillis(), true, true,
        true, true, true);
  }

  @Override
  protected Future<Void> connect() {
    Session attempt = new Session();
    session = attempt;
    dms.clear();
    DiscordInbound inbound = new DiscordInbound(context, normaliser(), interactions, dms, new DiscordInbound.Sink() {
      @Override
      public Future<Accepted> submit(InboundMessage message, long receivedNanos) {
        return DiscordAdapterVerticle.this.submit(message, receivedNanos);
      }

      @Override
      public Future<Void> submitEdit(MessageEdit edit) {
        return DiscordAdapterVerticle.this.submitEdit(edit);
      }
    }, config::workspace, discord.maxAttachmentBytes());
    Future<DiscordConnection> built = vertx.<DiscordConnection>executeBlocking(
        () -> DiscordConnection.open(discord, new Listeners(attempt, inbound), limits), false)
        .recover(err -> Future.failedFuture(DiscordErrors.unwrap(err) instanceof InvalidTokenException
            ? new ConnectionRefused(TOKEN_REFUSED)
            : DiscordErrors.networkCause(err) != null ? new IllegalStateException(DiscordErrors.unreachable(err,
                discord.restUrl()) + "; check the network, or messaging.discord.rest_url") : err));
    built.onSuccess(c -> {
      if (session == attempt) {
        connection = c;
      } else {
        vertx.executeBlocking(() -> {
          c.shutdown();
          return null;
        }, false);
      }
    }).onFailure(attempt.ready::tryFail);
    long timer = vertx.setTimer(READY_TIMEOUT_MS, t -> attempt.ready.tryFail(new IllegalStateException(
        "no READY from the Discord gateway within " + READY_TIMEOUT_MS / 1000 + " s")));
    // join, not all: a refused token also shuts JDA down (a ShutdownEvent, code 1000) before build() throws, and
    // what the operator must read is why the build failed.
    return Future.join(built, attempt.ready.future())
        .onComplete(ar -> vertx.cancelTimer(timer))
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(built.failed() ? built.cause() : attempt.ready.future().cause()))
        .onSuccess(v -> {
          log.info("[discord] Ready as {} ({} shard(s))", connection.main().getSelfUser().getName(),
              Math.max(1, discord.shards()));
          if (discord.registerCommands()) {
            registerCommands();
          }
        });
  }

  @Override
  protected Future<Void> disconnect() {
    session = null;
    DiscordConnection c = connection;
    connection = null;
    if (c == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      c.shutdown();
      return null;
    }, false).mapEmpty();
  }

  @Override
  protected List<Step> plan(OutboundMessage message) {
    return sender().plan(message);
  }

  @Override
  protected void sendTyping(String conversationId) {
    sender().typing(conversationId);
  }

  private DiscordNormaliser normaliser() {
    if (normaliser == null) {
      normaliser = new DiscordNormaliser(discord, new Bindings(config));
    }
    return normaliser;
  }

  private DiscordSender sender() {
    if (sender == null) {
      sender = new DiscordSender(context, () -> connection, interactions, dms, limits, config::workspace,
          text -> MessageFormatter.format(text, Dialect.DISCORD, DiscordRenderer.MAX_LENGTH));
    }
    return sender;
  }

  /** Our slash commands, registered for the application (global commands), replacing what was there. */
  static List<SlashCommandData> commands() {
    List<SlashCommandData> list = new ArrayList<>();
    list.add(Commands.slash("help", "What I can do and the commands here"));
    list.add(Commands.slash("status", "What I am doing here: branches, workers, model, mode"));
    list.add(Commands.slash("whoami", "Who you are to me, and this conversation's id"));
    list.add(Commands.slash("model", "The model answering here; operators can pin one")
        .addOption(OptionType.STRING, "id", "provider/model to pin, or default", false));
    list.add(Commands.slash("active", "Answer every message here (operators)"));
    list.add(Commands.slash("observe", "Read along, never answer (operators)"));
    list.add(Commands.slash("mention-only", "Answer only when mentioned or replied to (operators)"));
    return list;
  }

  private void registerCommands() {
    DiscordConnection c = connection;
    if (c == null) {
      return;
    }
    c.main().updateCommands().addCommands(commands()).queue(
        done -> log.info("[discord] Registered {} slash commands", done.size()),
        err -> log.warn("[discord] Could not register the slash commands ({}); the text commands still work",
            err.getMessage()));
  }

  /** One connection attempt's view of the gateway: READY (all shards), drops, resumes, and JDA giving up. */
  private final class Session {
    final Promise<Void> ready = Promise.promise();
    final AtomicInteger readyShards = new AtomicInteger();
    final AtomicBoolean over = new AtomicBoolean();

    boolean current() {
      return session == this;
    }

    void onReady() {
      if (readyShards.incrementAndGet() >= Math.max(1, discord.shards())) {
        context.runOnContext(v -> ready.tryComplete());
      }
    }

    void onShutdown(ShutdownEvent event) {
      if (!current() || !over.compareAndSet(false, true)) {
        return;
      }
      CloseCode code = event.getCloseCode();
      RuntimeException why = code == CloseCode.DISALLOWED_INTENTS ? new ConnectionRefused(INTENTS_REFUSED)
          : code == CloseCode.AUTHENTICATION_FAILED ? new ConnectionRefused(TOKEN_REFUSED)
          : code != null && !code.isReconnect() ? new ConnectionRefused("Discord closed the gateway with " + code.getCode()
              + " " + code.getMeaning() + "; check messaging.discord (shards, intents) and restart")
          : new IllegalStateException("the Discord gateway session ended (close code " + event.getCode() + ")");
      context.runOnContext(v -> {
        if (!ready.tryFail(why)) {
          if (why instanceof ConnectionRefused refused) {
            connectionRefused(refused.getMessage());
          } else {
            connectionLost(why.getMessage());
          }
        }
      });
    }
  }

  /** JDA's session events for one attempt, and everything people do (handed to {@link DiscordInbound}). */
  private final class Listeners implements EventListener {
    private final Session attempt;
    private final DiscordInbound inbound;

    Listeners(Session attempt, DiscordInbound inbound) {
      this.attempt = attempt;
      this.inbound = inbound;
    }

    @Override
    public void onEvent(GenericEvent event) {
      if (!attempt.current()) {
        return;
      }
      if (event instanceof ReadyEvent) {
        attempt.onReady();
      } else if (event instanceof SessionDisconnectEvent e) {
        CloseCode code = e.getCloseCode();
        reconnecting(code != null ? "gateway closed with " + code.getCode() + " " + code.getMeaning()
            : "gateway connection lost");
      } else if (event instanceof SessionResumeEvent || event instanceof SessionRecreateEvent) {
        connected();
      } else if (event instanceof ShutdownEvent e) {
        attempt.onShutdown(e);
      } else {
        inbound.onEvent(event);
      }
    }
  }
}
