package ai.spacebot.api;

import ai.spacebot.config.ApiConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one client from holding the server's connections: a bound on concurrent connections per client
 * address, and a deadline for a request to arrive in full. The idle timeout alone does not stop a client
 * that trickles a byte every few seconds and never finishes its headers (slowloris); the deadline does.
 *
 * <p>All state lives on the API verticle's event loop (connection, request and timer handlers all run
 * there), so plain maps suffice. The per-address bound is per API verticle instance (the API runs as one).
 */
final class ConnectionGuard {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Vertx vertx;
  private final ApiConfig config;
  private final Map<String, Integer> perAddress = new HashMap<>();
  private final Map<HttpConnection, Watch> watches = new IdentityHashMap<>();
  /** Addresses already reported at their limit, so a flood logs one line, not one per refused connection. */
  private final Map<String, Boolean> reported = new HashMap<>();

  ConnectionGuard(Vertx vertx, ApiConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** For {@code HttpServer.connectionHandler}: counts the connection and starts its request deadline. */
  void onConnection(HttpConnection connection) {
    String address = connection.remoteAddress() == null ? "unknown" : connection.remoteAddress().hostAddress();
    int open = perAddress.merge(address, 1, Integer::sum);
    Watch watch = new Watch(connection);
    watches.put(connection, watch);
    connection.closeHandler(v -> {
      watch.cancel();
      watches.remove(connection);
      if (perAddress.merge(address, -1, Integer::sum) <= 0) {
        perAddress.remove(address);
      }
      if (perAddress.getOrDefault(address, 0) < config.maxConnectionsPerAddress()) {
        reported.remove(address);
      }
    });
    if (open > config.maxConnectionsPerAddress()) {
      if (reported.put(address, Boolean.TRUE) == null) {
        log.warn("{} holds {} connections (api.max_connections_per_address); further ones are closed at once",
            address, config.maxConnectionsPerAddress());
      }
      connection.close();
      return;
    }
    watch.arm();
  }

  /** Wraps the router: each request restarts its connection's deadline. */
  Handler<HttpServerRequest> requests(Handler<HttpServerRequest> next) {
    return request -> {
      Watch watch = watches.get(request.connection());
      if (watch != null) {
        watch.started(request);
      }
      next.handle(request);
    };
  }

  /** One connection's deadline: for the request now arriving, or for the next one after a response ended. */
  private final class Watch {
    private final HttpConnection connection;
    private HttpServerRequest current;
    private boolean waitedOnce;
    private long timer = -1;

    Watch(HttpConnection connection) {
      this.connection = connection;
    }

    void arm() {
      cancel();
      timer = vertx.setTimer(config.requestTimeoutMs(), id -> check());
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    void started(HttpServerRequest request) {
      current = request;
      waitedOnce = false;
      arm();
    }

    private void check() {
      timer = -1;
      if (current == null) {
        close("sent no complete request headers");
      } else if (!current.response().ended()) {
        if (!current.isEnded()) {
          close("did not finish sending its request");
        } else {
          arm(); // answering takes as long as it takes (an event stream, a reindex): not the client's doing
        }
      } else if (!waitedOnce) {
        // The response ended at some point in the last period; give the next request a full period.
        waitedOnce = true;
        arm();
      } else {
        close("sent no next request on a kept-alive connection");
      }
    }

    private void close(String why) {
      log.debug("Closing a connection from {}: it {} within {} ms", connection.remoteAddress(), why,
          config.requestTimeoutMs());
      connection.close();
    }
  }
}
