package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.SlackPeer;

/** The parity scenarios against the Slack adapter in Socket Mode (Bolt, our Socket Mode server, emulate). */
class SlackSocketParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() throws Exception {
    return new SlackDriver(SlackPeer.Mode.SOCKET);
  }
}
