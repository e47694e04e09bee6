package ai.spacebot.messaging.parity;

/** The parity scenarios against the Telegram adapter and {@code TelegramPeer}. */
class TelegramParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() throws Exception {
    return new TelegramDriver();
  }
}
