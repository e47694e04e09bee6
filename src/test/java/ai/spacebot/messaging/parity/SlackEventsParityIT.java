package ai.spacebot.messaging.parity;

import ai.spacebot.testkit.SlackPeer;

/** The parity scenarios against the Slack adapter on the Events API (signed POSTs to /slack/events, emulate). */
class SlackEventsParityIT extends ParityScenarios {
  @Override
  protected PlatformDriver createDriver() throws Exception {
    return new SlackDriver(SlackPeer.Mode.EVENTS);
  }
}
