package ai.spacebot.messaging.slack;

import com.slack.api.Slack;
import com.slack.api.socket_mode.SocketModeClient;
import com.slack.api.socket_mode.impl.SocketModeClientTyrusImpl;
import com.slack.api.socket_mode.queue.impl.ConcurrentLinkedMessageQueue;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import javax.websocket.ClientEndpoint;

/**
 * Bolt's Tyrus Socket Mode client, with two changes: with {@code messaging.slack.socket_url} set it (re)connects
 * to that URL instead of asking {@code apps.connections.open}, and it tells the adapter when a (re)connection is up.
 * The SDK's session monitor pings every few seconds and reconnects a session that stopped answering.
 */
@ClientEndpoint
final class SlackSocketClient extends SocketModeClientTyrusImpl {
  private final String fixedUrl;
  private final Runnable onConnected;

  private SlackSocketClient(Slack slack, String appToken, String wssUrl, String fixedUrl, Runnable onConnected)
      throws URISyntaxException {
    super(slack, appToken, wssUrl, 4, new ConcurrentLinkedMessageQueue(), true, true,
        SocketModeClient.DEFAULT_SESSION_MONITOR_INTERVAL_MILLISECONDS);
    this.fixedUrl = fixedUrl;
    this.onConnected = onConnected;
  }

  /** Blocking: asks Slack for a URL (unless one is fixed) and connects; false when no session came up. */
  static SlackSocketClient open(Slack slack, String appToken, String fixedUrl, Runnable onConnected)
      throws IOException, URISyntaxException {
    String url = fixedUrl != null ? fixedUrl : slack.issueSocketModeUrl(appToken);
    return new SlackSocketClient(slack, appToken, url, fixedUrl, onConnected);
  }

  /** Connects; true when the session answers a ping. */
  boolean start() {
    connect();
    boolean up = verifyConnection();
    if (up) {
      onConnected.run();
    }
    return up;
  }

  @Override
  public void connectToNewEndpoint() throws IOException {
    try {
      setWssUri(new URI(fixedUrl != null ? fixedUrl : getSlack().issueSocketModeUrl(getAppToken())));
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    connect();
    if (verifyConnection()) {
      onConnected.run();
    }
  }
}
