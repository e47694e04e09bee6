package ai.spacebot.channel;

import java.util.ArrayList;
import java.util.List;

/** What the channel tools decided during one turn. */
final class TurnState {
  String reply;
  /** The reply's thread name and structured parts, if the model gave them. */
  String threadName;
  io.vertx.core.json.JsonObject rich;
  boolean skipped;
  String skipReason;
  final List<String> reactions = new ArrayList<>();
  /** Workspace-relative files to send with the reply ({@code send_file}). */
  final List<String> files = new ArrayList<>();
  /** Lines for the people about tools the model tried that this turn's role may not cause. */
  final java.util.Set<String> refusals = new java.util.LinkedHashSet<>();
}
