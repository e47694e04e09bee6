package ai.spacebot.bench;

import ai.spacebot.messaging.parity.DiscordDriver;
import ai.spacebot.messaging.parity.PlatformDriver;
import ai.spacebot.messaging.parity.SlackDriver;
import ai.spacebot.messaging.parity.TelegramDriver;
import ai.spacebot.messaging.parity.WebhookDriver;
import ai.spacebot.messaging.parity.TwitchDriver;
import ai.spacebot.testkit.DiscordPeer;
import ai.spacebot.testkit.SlackPeer;

/** The platform drivers a benchmark can run against (the parity suite's, with their peers started). */
final class BenchDrivers {
  private BenchDrivers() {}

  /**
   * {@code discord} runs its peer without Prism: Prism (one Node process validating each call against a 1.2 MB
   * spec) would be most of what is measured; {@code discord-prism} keeps it, for comparison. {@code slack} is Socket
   * Mode, {@code slack-events} the Events API, both against emulate behind the fault proxy.
   */
  /** emulate's own limit of 5000 calls an hour per token would stop a load test (see SlackProxy#spreadTokens). */
  private static SlackDriver spread(SlackDriver driver) {
    driver.peer().proxy().spreadTokens(true);
    return driver;
  }

  static PlatformDriver create(String platform) throws Exception {
    return switch (platform) {
      case "telegram" -> new TelegramDriver();
      case "discord" -> new DiscordDriver(DiscordPeer.startDirect());
      case "discord-prism" -> new DiscordDriver(DiscordPeer.start());
      case "slack" -> spread(new SlackDriver(SlackPeer.Mode.SOCKET));
      case "slack-events" -> spread(new SlackDriver(SlackPeer.Mode.EVENTS));
      case "webhook" -> new WebhookDriver();
      case "twitch" -> new TwitchDriver();
      default -> throw new IllegalArgumentException("no driver for " + platform
          + " (telegram, discord, discord-prism, slack, slack-events, twitch, webhook)");
    };
  }
}
