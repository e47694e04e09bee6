package ai.spacebot.messaging.telegram;

import ai.spacebot.bus.Addresses;
import ai.spacebot.config.SpacebotConfig;
import ai.spacebot.config.TelegramConfig;
import ai.spacebot.messaging.AdapterVerticle;
import ai.spacebot.messaging.Bindings;
import ai.spacebot.messaging.Capabilities;
import ai.spacebot.bus.OutboundMessage;
import ai.spacebot.messaging.format.Dialect;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.methods.AnswerCallbackQuery;
import org.telegram.telegrambots.meta.api.methods.GetMe;
import org.telegram.telegrambots.meta.api.methods.updates.DeleteWebhook;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.Update;

/**
 * The Telegram adapter, on TelegramBots 10.2 pointed at {@code messaging.telegram.api_url}. It learns who it is
 * ({@code getMe}), then receives updates by long polling ({@link TelegramPoller}: the default; the webhook is
 * deleted first, since Telegram serves one or the other) or through the webhook our API server serves (mode
 * {@code webhook}: {@code setWebhook} with the secret Telegram sends back in a header). Each update is normalised
 * ({@link UpdateNormaliser}), its files fetched into the workspace ({@link AttachmentFetcher}) and stored before
 * Telegram is told it arrived; replies go out as {@link TelegramSender}'s steps.
 */
public final class TelegramAdapterVerticle extends AdapterVerticle {
  private static final Logger log = LoggerFactory.getLogger(TelegramAdapterVerticle.class);
  static final String OFFSET = "offset";

  private final SpacebotConfig config;
  private final TelegramConfig telegram;
  private final Bindings bindings;
  private TelegramApi api;
  private TelegramSender sender;
  private TelegramPoller poller;
  private UpdateNormaliser normaliser;
  private AttachmentFetcher fetcher;
  private MessageConsumer<JsonObject> webhook;

  public TelegramAdapterVerticle(SpacebotConfig config, MeterRegistry registry) {
    super(registry);
    this.config = config;
    this.telegram = config.messaging().telegram();
    this.bindings = new Bindings(config);
  }

  @Override
  public String platform() {
    return UpdateNormaliser.PLATFORM;
  }

  @Override
  protected boolean enabled() {
    return telegram.enabled();
  }

  @Override
  protected String disabledHint() {
    return "set TELEGRAM_BOT_TOKEN to the token @BotFather gave you (or messaging.telegram.token)";
  }

  @Override
  public Capabilities capabilities() {
    return new Capabilities(TelegramSender.MAX_LENGTH, Dialect.TELEGRAM_HTML, telegram.typingIntervalMillis(), true,
        false, true, false, true);
  }

  @Override
  protected Future<Void> connect() {
    try {
      api = new TelegramApi(vertx, context, telegram.token(), telegram.apiUrl(), telegram.pollTimeoutSeconds());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new ConnectionRefused(e.getMessage()));
    }
    TelegramApi current = api;
    return current.call(new GetMe()).recover(err -> {
      Integer code = TelegramErrors.code(err);
      if (code != null && (code == 401 || code == 404)) {
        return Future.failedFuture(new ConnectionRefused("Telegram refused the bot token ("
            + TelegramErrors.describe(err) + "); set TELEGRAM_BOT_TOKEN to the token @BotFather gave you "
            + "(/mybots > your bot > API Token)"));
      }
      return Future.failedFuture(new TelegramPoller.PollFailed("getMe failed: " + TelegramErrors.describe(err)));
    }).compose(me -> {
      BotIdentity bot = new BotIdentity(me.getId(), me.getUserName());
      normaliser = new UpdateNormaliser(telegram, bindings, bot);
      fetcher = new AttachmentFetcher(current, config, telegram.maxAttachmentBytes());
      log.info("[telegram] Signed in as @{} ({}), {}", bot.username(), bot.id(),
          TelegramConfig.WEBHOOK.equals(telegram.mode()) ? "webhook " + telegram.webhookUrl() : "long polling");
      return TelegramConfig.WEBHOOK.equals(telegram.mode()) ? startWebhook(current) : startPolling(current);
    });
  }

  private Future<Void> startPolling(TelegramApi current) {
    poller = new TelegramPoller(vertx, current, telegram.pollTimeoutSeconds(), new TelegramPoller.Listener() {
      @Override
      public Future<Void> batch(List<Update> updates) {
        return store(updates);
      }

      @Override
      public Future<Void> saveOffset(int offset) {
        return saveState(OFFSET, Integer.toString(offset));
      }

      @Override
      public void lost(String why) {
        connectionLost(why);
      }

      @Override
      public void refused(String what) {
        connectionRefused(what);
      }
    });
    TelegramPoller started = poller;
    return current.call(DeleteWebhook.builder().dropPendingUpdates(false).build())
        .recover(err -> Future.failedFuture(new TelegramPoller.PollFailed("deleteWebhook failed: "
            + TelegramErrors.describe(err))))
        .compose(ok -> loadState(OFFSET))
        .compose(saved -> started.start(saved == null ? null : Integer.valueOf(saved)));
  }

  private Future<Void> startWebhook(TelegramApi current) {
    SetWebhook set = SetWebhook.builder().url(telegram.webhookUrl()).secretToken(telegram.webhookSecret())
        .allowedUpdates(TelegramPoller.UPDATES).build();
    return current.setWebhook(set)
        .recover(err -> {
          Integer code = TelegramErrors.code(err);
          if (code != null && code == 400) {
            return Future.failedFuture(new ConnectionRefused("Telegram refused the webhook "
                + telegram.webhookUrl() + " (" + TelegramErrors.describe(err)
                + "); messaging.telegram.webhook_url must be a public https URL"));
          }
          return Future.failedFuture(new TelegramPoller.PollFailed("setWebhook failed: "
              + TelegramErrors.describe(err)));
        })
        .compose(ok -> {
          if (webhook == null) {
            webhook = vertx.eventBus().consumer(Addresses.webhook(platform()), this::onWebhook);
            return webhook.completion();
          }
          return Future.succeededFuture();
        });
  }

  /** The API server's webhook route: {secret, body}; answered once the update is stored, so Telegram retries otherwise. */
  private void onWebhook(Message<JsonObject> msg) {
    String secret = msg.body().getString("secret");
    if (!sameSecret(secret, telegram.webhookSecret())) {
      msg.fail(401, "unauthorized");
      return;
    }
    Update update;
    try {
      update = TelegramApi.MAPPER.readValue(msg.body().getString("body", ""), Update.class);
    } catch (Exception e) {
      msg.fail(400, "the body is not a Telegram update");
      return;
    }
    if (update == null || update.getUpdateId() == null) {
      msg.fail(400, "the body is not a Telegram update (no update_id)");
      return;
    }
    store(List.of(update)).onSuccess(v -> msg.reply(new JsonObject()))
        .onFailure(err -> msg.fail(503, "the update could not be stored: " + err.getMessage()));
  }

  private static boolean sameSecret(String given, String expected) {
    if (given == null || expected == null) {
      return false;
    }
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Stores a batch: one conversation's updates one after another (its transcript keeps Telegram's order), different
   * conversations side by side. Completes when all are stored, fails if any could not be.
   */
  private Future<Void> store(List<Update> updates) {
    Map<String, List<Normalised>> byConversation = new LinkedHashMap<>();
    for (Update update : updates) {
      Normalised n;
      try {
        n = normaliser.normalise(update);
      } catch (RuntimeException e) {
        // A malformed update must not stop the ones behind it; it is skipped and confirmed.
        log.warn("[telegram] Skipping update {} that could not be read: {}", update.getUpdateId(), describe(e));
        continue;
      }
      if (n instanceof Normalised.Ignored ignored) {
        log.debug("[telegram] Update {} ignored: {}", update.getUpdateId(), ignored.why());
        continue;
      }
      byConversation.computeIfAbsent(conversationOf(n), k -> new ArrayList<>()).add(n);
    }
    List<Future<Void>> chains = new ArrayList<>();
    for (List<Normalised> items : byConversation.values()) {
      Future<Void> chain = Future.succeededFuture();
      for (Normalised n : items) {
        chain = chain.compose(v -> storeOne(n));
      }
      chains.add(chain);
    }
    return Future.all(chains).mapEmpty();
  }

  private Future<Void> storeOne(Normalised n) {
    if (n instanceof Normalised.Inbound inbound) {
      return fetcher.attach(inbound).compose(this::submit).mapEmpty();
    }
    if (n instanceof Normalised.Edit edit) {
      return submitEdit(edit.edit());
    }
    Normalised.Click click = (Normalised.Click) n;
    // Telegram shows a spinner on the button until it is answered; answered at once, whatever happens next.
    TelegramApi current = api;
    if (current != null) {
      current.call(new AnswerCallbackQuery(click.callbackQueryId())).onFailure(err ->
          log.debug("[telegram] answerCallbackQuery failed: {}", TelegramErrors.describe(err)));
    }
    return submit(click.message()).mapEmpty();
  }

  private static String conversationOf(Normalised n) {
    if (n instanceof Normalised.Inbound inbound) {
      return inbound.message().conversationId();
    }
    if (n instanceof Normalised.Edit edit) {
      return edit.edit().conversationId();
    }
    return ((Normalised.Click) n).message().conversationId();
  }

  @Override
  protected Future<Void> disconnect() {
    if (poller != null) {
      poller.stop();
      poller = null;
    }
    Future<Void> unregistered = Future.succeededFuture();
    if (webhook != null) {
      unregistered = webhook.unregister();
      webhook = null;
    }
    if (api != null) {
      api.close();
      api = null;
    }
    return unregistered;
  }

  @Override
  protected List<Step> plan(OutboundMessage message) {
    return sender().plan(message);
  }

  @Override
  protected void sendTyping(String conversationId) {
    if (api != null) {
      sender().typing(conversationId);
    }
  }

  private TelegramSender sender() {
    if (sender == null) {
      sender = new TelegramSender(vertx, () -> api, config);
    }
    return sender;
  }
}
