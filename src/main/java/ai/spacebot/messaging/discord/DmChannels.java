package ai.spacebot.messaging.discord;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import net.dv8tion.jda.api.entities.channel.concrete.PrivateChannel;
import net.dv8tion.jda.api.requests.RestAction;

/**
 * The DM channels the adapter has seen, both ways: person → channel, so a reply goes straight to the channel (the
 * light JDA keeps no users, so it would open the DM again per message through {@code POST /users/@me/channels},
 * one rate-limit bucket for every DM the bot has), and channel → person, because a deleted DM message names only
 * its channel. Bounded: the least recently used are forgotten and reopened when needed.
 */
final class DmChannels {
  static final int MAX = 10_000;

  private final Map<String, PrivateChannel> byUser = Collections.synchronizedMap(lru());
  private final Map<String, String> userByChannel = Collections.synchronizedMap(lru());

  void remember(String userId, PrivateChannel channel) {
    byUser.put(userId, channel);
    userByChannel.put(channel.getId(), userId);
  }

  /** Forgets every channel: they belong to the JDA session that made them, and a new one is being built. */
  void clear() {
    byUser.clear();
    userByChannel.clear();
  }

  /** The person whose DM this channel is, or null when not seen since start. */
  String user(String channelId) {
    return userByChannel.get(channelId);
  }

  /** Runs {@code then} in the person's DM, opening it (once) when it is not known. */
  <T> RestAction<T> in(DiscordConnection c, String userId, Function<PrivateChannel, RestAction<T>> then) {
    PrivateChannel known = byUser.get(userId);
    if (known != null) {
      return then.apply(known);
    }
    return c.dm(userId).map(ch -> {
      remember(userId, ch);
      return ch;
    }).flatMap(then);
  }

  private static <V> Map<String, V> lru() {
    return new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > MAX;
      }
    };
  }
}
