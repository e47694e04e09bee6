package ai.spacebot.config;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tools each group of senders may cause to run, per agent ({@code permissions:} at the top level for every
 * agent, {@code agents[].permissions} for one). A sender is in {@code authority} (a binding's or adapter's authority
 * users or roles; the operator's web chat), else in {@code allowed} (allowed users or roles), else in
 * {@code everyone}. {@code reply} and {@code skip} are always granted: without them the bot could not even say no.
 *
 * @param everyoneAnswered false: messages from senders in neither list are kept in the transcript, never answered
 */
public record Permissions(Set<String> authority, Set<String> allowed, Set<String> everyone, boolean everyoneAnswered) {
  /** Every tool a sender can cause: the channel's own, and through a branch the memory tools. */
  public static final List<String> TOOLS = List.of("reply", "skip", "react", "send_file", "branch", "spawn_worker",
      "route", "cancel", "memory_save", "memory_recall", "memory_delete", "memory_consolidate", "channel_recall",
      "send_message_to_another_channel");
  public static final Set<String> ALWAYS = Set.of("reply", "skip");
  /**
   * What people who are not admins get by default: answers, reactions, branches and memory. Not workers (they run
   * commands), nor {@code route}/{@code cancel} (steering or stopping work someone else started), nor
   * {@code send_file} (the workspace holds what admins' workers made).
   */
  public static final Set<String> PUBLIC = Set.of("reply", "skip", "react", "branch", "memory_save", "memory_recall",
      "memory_delete", "memory_consolidate", "channel_recall");
  /**
   * What trusted members (a binding's allowed users and roles) get by default: the public tools, and posting in the
   * agent's other channels. Not everyone: a stranger could otherwise make the bot speak, in its own name, in every
   * channel it is bound to.
   */
  public static final Set<String> TRUSTED = Set.of("reply", "skip", "react", "branch", "memory_save", "memory_recall",
      "memory_delete", "memory_consolidate", "channel_recall", "send_message_to_another_channel");
  public static final Permissions DEFAULTS = new Permissions(Set.copyOf(TOOLS), TRUSTED, PUBLIC, true);

  public Permissions {
    authority = withAlways(authority);
    allowed = withAlways(allowed);
    everyone = withAlways(everyone);
  }

  private static Set<String> withAlways(Set<String> tools) {
    Set<String> out = new LinkedHashSet<>(tools == null ? Set.of() : tools);
    out.addAll(ALWAYS);
    return Set.copyOf(out);
  }
}
