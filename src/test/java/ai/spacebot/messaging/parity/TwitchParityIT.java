package ai.spacebot.messaging.parity;

/** The parity scenarios against the Twitch adapter (Twitch4J) and {@code TwitchPeer} (InspIRCd behind websocketd). */
class TwitchParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() throws Exception {
    return new TwitchDriver();
  }
}
