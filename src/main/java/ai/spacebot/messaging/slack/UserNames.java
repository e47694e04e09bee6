package ai.spacebot.messaging.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.response.users.UsersInfoResponse;
import com.slack.api.model.User;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * People's display names ({@code users.info}) and channels' names ({@code conversations.info}), asked once each and
 * kept: Slack's events carry only ids. Called
 * on Bolt's threads (a blocking call is fine there); a lookup that fails gives the id and is tried again next time.
 */
final class UserNames {
  private static final Logger log = LoggerFactory.getLogger(UserNames.class);
  private static final int MAX = 10_000;

  private final Supplier<MethodsClient> client;
  private final Map<String, String> names = new ConcurrentHashMap<>();
  private final Map<String, String> channels = new ConcurrentHashMap<>();

  UserNames(Supplier<MethodsClient> client) {
    this.client = client;
  }

  String name(String userId) {
    if (userId == null) {
      return "unknown";
    }
    String known = names.get(userId);
    if (known != null) {
      return known;
    }
    MethodsClient c = client.get();
    if (c == null) {
      return userId;
    }
    try {
      UsersInfoResponse r = c.usersInfo(q -> q.user(userId));
      if (!r.isOk() || r.getUser() == null) {
        log.debug("[slack] users.info {}: {}", userId, r.getError());
        return userId;
      }
      String name = display(r.getUser());
      if (names.size() >= MAX) {
        names.clear();
      }
      names.put(userId, name);
      return name;
    } catch (Exception e) {
      log.debug("[slack] users.info {} failed: {}", userId, e.getMessage());
      return userId;
    }
  }

  /** {@code #name} of a channel (what GET /api/channels and the prompt's channel list show), or its id. */
  String channel(String channelId) {
    if (channelId == null) {
      return null;
    }
    String known = channels.get(channelId);
    if (known != null) {
      return known;
    }
    MethodsClient c = client.get();
    if (c == null) {
      return channelId;
    }
    try {
      var r = c.conversationsInfo(q -> q.channel(channelId));
      if (!r.isOk() || r.getChannel() == null || r.getChannel().getName() == null) {
        log.debug("[slack] conversations.info {}: {}", channelId, r.getError());
        return channelId;
      }
      String name = "#" + r.getChannel().getName();
      if (channels.size() >= MAX) {
        channels.clear();
      }
      channels.put(channelId, name);
      return name;
    } catch (Exception e) {
      log.debug("[slack] conversations.info {} failed: {}", channelId, e.getMessage());
      return channelId;
    }
  }

  static String display(User u) {
    User.Profile p = u.getProfile();
    if (p != null && p.getDisplayName() != null && !p.getDisplayName().isBlank()) {
      return p.getDisplayName();
    }
    if (p != null && p.getRealName() != null && !p.getRealName().isBlank()) {
      return p.getRealName();
    }
    if (u.getRealName() != null && !u.getRealName().isBlank()) {
      return u.getRealName();
    }
    return u.getName() != null ? u.getName() : u.getId();
  }

  int size() {
    return names.size();
  }
}
