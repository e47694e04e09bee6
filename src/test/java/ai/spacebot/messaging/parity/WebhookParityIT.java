package ai.spacebot.messaging.parity;

/** The parity scenarios against the generic webhook adapter and a local callback receiver. */
class WebhookParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() {
    return new WebhookDriver();
  }
}
