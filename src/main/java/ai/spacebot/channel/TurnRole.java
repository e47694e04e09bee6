package ai.spacebot.channel;

import ai.spacebot.bus.Addressing;
import ai.spacebot.config.Permissions;
import io.vertx.core.json.JsonArray;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who a turn acts for: the group of the least privileged sender that caused it ({@code authority}, {@code allowed},
 * {@code everyone}) and the tools it may run. It travels with the work: a branch or worker started in the turn keeps
 * it, and the turn its result re-triggers gets it back.
 */
record TurnRole(String group, Set<String> tools) {
  static final String AUTHORITY = "authority";
  static final String ALLOWED = "allowed";
  static final String EVERYONE = "everyone";
  private static final List<String> ORDER = List.of(EVERYONE, ALLOWED, AUTHORITY);

  TurnRole {
    tools = Set.copyOf(tools);
  }

  static TurnRole of(Addressing addressing, Permissions permissions) {
    if (addressing.authority()) {
      return new TurnRole(AUTHORITY, permissions.authority());
    }
    return addressing.allowed() ? new TurnRole(ALLOWED, permissions.allowed())
        : new TurnRole(EVERYONE, permissions.everyone());
  }

  static TurnRole everyone(Permissions permissions) {
    return new TurnRole(EVERYONE, permissions.everyone());
  }

  /** Least privilege: only what both may do, under the lower group's name. */
  TurnRole and(TurnRole other) {
    Set<String> both = new LinkedHashSet<>(tools);
    both.retainAll(other.tools);
    String lower = ORDER.indexOf(group) <= ORDER.indexOf(other.group) ? group : other.group;
    return new TurnRole(lower, both);
  }

  boolean allows(String tool) {
    return tools.contains(tool);
  }

  /** The known tools this role may not run, in a stable order. */
  List<String> refused() {
    return Permissions.TOOLS.stream().filter(t -> !tools.contains(t)).toList();
  }

  JsonArray toJson() {
    return new JsonArray(Permissions.TOOLS.stream().filter(tools::contains).toList());
  }

  /** What the people are told when the model tried a tool their role may not cause. */
  static String refusal(String tool) {
    String what = switch (tool) {
      case "spawn_worker", "route" -> "work that runs commands or edits files (a worker)";
      case "branch" -> "background thinking and memory lookups";
      case "memory_save", "memory_delete", "memory_consolidate" -> "changes to my memory";
      case "send_file" -> "files from my workspace";
      case "send_message_to_another_channel" -> "messages to my other channels";
      default -> "\"" + tool + "\"";
    };
    return "Only the bot's admins can ask for " + what + " here.";
  }
}
