package ai.spacebot.messaging.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.updates.GetUpdates;
import org.telegram.telegrambots.meta.api.methods.updates.SetWebhook;
import org.telegram.telegrambots.meta.api.objects.Update;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;

/**
 * The Bot API as Vert.x futures, on TelegramBots' OkHttp client: its {@code executeAsync} runs the call on OkHttp's
 * threads and we take the answer back on the adapter's context, so no event loop ever waits for Telegram.
 *
 * <p>Two clients share one connection pool: the long poll has its own dispatcher and a read timeout longer than
 * the poll's, so cancelling a poll (a reconnect, a stop) never touches a send in flight, and a send is never queued
 * behind the poll. OkHttp allows 5 calls per host by default; a busy bot sends to many chats at once, so more.
 */
final class TelegramApi {
  private final Vertx vertx;
  private final Context context;
  private final String token;
  private final String apiUrl;
  /** Update JSON as TelegramBots reads it; fields newer than the library are skipped, not fatal. */
  static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final OkHttpClient http;
  private final OkHttpClient pollHttp;
  private final OkHttpTelegramClient client;
  private final OkHttpTelegramClient pollClient;

  TelegramApi(Vertx vertx, Context context, String token, String apiUrl, int pollTimeoutSeconds) {
    this.vertx = vertx;
    this.context = context;
    this.token = token;
    this.apiUrl = apiUrl;
    TelegramUrl url = telegramUrl(apiUrl);
    Dispatcher sends = new Dispatcher();
    sends.setMaxRequests(256);
    sends.setMaxRequestsPerHost(64);
    this.http = new OkHttpClient.Builder().dispatcher(sends).connectTimeout(10, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS).writeTimeout(60, TimeUnit.SECONDS).build();
    // OkHttp would quietly repeat a poll whose connection dropped; the poller must see it, to report and reconnect.
    this.pollHttp = http.newBuilder().dispatcher(new Dispatcher()).retryOnConnectionFailure(false)
        .readTimeout(pollTimeoutSeconds + 15L, TimeUnit.SECONDS).build();
    this.client = new OkHttpTelegramClient(MAPPER, http, token, url);
    this.pollClient = new OkHttpTelegramClient(MAPPER, pollHttp, token, url);
  }

  /**
   * TelegramBots builds {@code scheme://host:port/bot<token>/<method>} and cannot take a path prefix.
   *
   * @throws IllegalArgumentException naming what is wrong with the URL
   */
  static TelegramUrl telegramUrl(String apiUrl) {
    URI uri;
    try {
      uri = URI.create(apiUrl);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("messaging.telegram.api_url is not a URL: " + apiUrl);
    }
    String scheme = uri.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || uri.getHost() == null) {
      throw new IllegalArgumentException("messaging.telegram.api_url must be an http(s) URL, got " + apiUrl);
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      throw new IllegalArgumentException("messaging.telegram.api_url must be a server address without a path "
          + "(TelegramBots adds /bot<token>/<method>), got " + apiUrl);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
    return new TelegramUrl(scheme, uri.getHost(), port, false);
  }

  <T extends Serializable> Future<T> call(BotApiMethod<T> method) {
    return async(() -> client.executeAsync(method));
  }

  Future<Message> sendDocument(SendDocument method) {
    return async(() -> client.executeAsync(method));
  }

  Future<Boolean> setWebhook(SetWebhook method) {
    return async(() -> client.executeAsync(method));
  }

  Future<ArrayList<Update>> poll(GetUpdates method) {
    return async(() -> pollClient.executeAsync(method));
  }

  /** Abandons the long poll in flight, if any (it fails with an I/O error its caller ignores). */
  void cancelPolls() {
    pollHttp.dispatcher().cancelAll();
  }

  /**
   * Downloads a file Telegram holds ({@code getFile}'s {@code file_path}) to {@code target}, refusing more than
   * {@code maxBytes}. TelegramBots' own download always goes to api.telegram.org, so it is done here, against the
   * configured server, on a worker thread (a blocking stream into a file).
   */
  Future<Long> download(String filePath, Path target, long maxBytes) {
    return vertx.executeBlocking(() -> {
      Request request = new Request.Builder().url(apiUrl + "/file/bot" + token + "/" + filePath).get().build();
      try (Response response = http.newCall(request).execute()) {
        ResponseBody body = response.body();
        if (!response.isSuccessful() || body == null) {
          throw new IOException("Telegram answered " + response.code() + " for the file");
        }
        if (body.contentLength() > maxBytes) {
          throw new TooLarge(body.contentLength(), maxBytes);
        }
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        long total = 0;
        try (InputStream in = body.byteStream(); OutputStream out = Files.newOutputStream(partial)) {
          byte[] buffer = new byte[64 * 1024];
          for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > maxBytes) {
              throw new TooLarge(total, maxBytes);
            }
            out.write(buffer, 0, n);
          }
        } catch (IOException | RuntimeException e) {
          Files.deleteIfExists(partial);
          throw e;
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return total;
      }
    }, false);
  }

  /** A file larger than {@code messaging.telegram.max_attachment_bytes}. */
  static final class TooLarge extends RuntimeException {
    TooLarge(long size, long max) {
      super("larger than the limit of " + max + " bytes (messaging.telegram.max_attachment_bytes)"
          + (size > 0 ? ": at least " + size + " bytes" : ""), null, false, false);
    }
  }

  private <T> Future<T> async(Call<T> call) {
    CompletableFuture<T> future;
    try {
      future = call.run();
    } catch (TelegramApiException | RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(future, context);
  }

  void close() {
    cancelPolls();
    http.dispatcher().executorService().shutdown();
    pollHttp.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /** TelegramBots declares a checked exception on its async calls; it is thrown for local validation only. */
  private interface Call<T> {
    CompletableFuture<T> run() throws TelegramApiException;
  }
}
