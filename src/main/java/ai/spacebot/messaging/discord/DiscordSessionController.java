package ai.spacebot.messaging.discord;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.utils.ConcurrentSessionController;

/**
 * JDA's session controller with the gateway URL from config ({@code gateway_url}): a single JDA asks
 * {@link #getGateway()}, a ShardManager asks {@link #getShardedGateway(JDA)}, and both must connect there. JDA
 * resumes on the {@code resume_gateway_url} its READY names, so a proxy or a local peer names itself there too.
 */
final class DiscordSessionController extends ConcurrentSessionController {
  private final String gatewayUrl;

  /** @param gatewayUrl the gateway to connect to, or null for Discord's own */
  DiscordSessionController(String gatewayUrl) {
    this.gatewayUrl = gatewayUrl;
  }

  @Override
  public String getGateway() {
    return gatewayUrl != null ? gatewayUrl : super.getGateway();
  }

  @Override
  public ShardedGateway getShardedGateway(JDA api) {
    // Still asks GET /gateway/bot: it checks the token and says how many shards may identify at once.
    ShardedGateway asked = super.getShardedGateway(api);
    return gatewayUrl == null ? asked : new ShardedGateway(gatewayUrl, asked.getShardTotal(), asked.getConcurrency());
  }
}
