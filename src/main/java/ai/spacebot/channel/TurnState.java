package ai.spacebot.channel;

import java.util.ArrayList;
import java.util.List;

/** What the channel tools decided during one turn. */
final class TurnState {
  String reply;
  boolean skipped;
  String skipReason;
  final List<String> reactions = new ArrayList<>();
}
