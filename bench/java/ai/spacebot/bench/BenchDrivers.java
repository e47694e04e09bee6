package ai.spacebot.bench;

import ai.spacebot.messaging.parity.PlatformDriver;

/** The platform drivers a benchmark can run against (the parity suite's, with their peers started). */
final class BenchDrivers {
  private BenchDrivers() {}

  static PlatformDriver create(String platform) throws Exception {
    throw new IllegalArgumentException("no driver for " + platform + " (telegram, discord)");
  }
}
