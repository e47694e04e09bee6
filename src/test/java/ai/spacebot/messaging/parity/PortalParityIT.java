package ai.spacebot.messaging.parity;

/** The parity scenarios that apply to the web chat. */
class PortalParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() {
    return new PortalDriver();
  }
}
