package ai.spacebot.messaging.parity;

/** The parity scenarios against the Discord adapter (JDA) and {@code DiscordPeer} behind Prism. */
class DiscordParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() throws Exception {
    return new DiscordDriver();
  }
}
