package ai.spacebot.messaging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files a reply sends, as paths inside the agent's workspace; one that points out of it is refused. */
public final class WorkspaceFiles {
  private WorkspaceFiles() {}

  /** @param root the agent's workspace; @param files workspace-relative paths from the reply */
  public static List<Path> resolve(Path root, List<String> files) {
    if (files.isEmpty()) {
      return List.of();
    }
    Path base = root.toAbsolutePath().normalize();
    List<Path> paths = new ArrayList<>();
    for (String f : files) {
      Path p = base.resolve(f).normalize();
      if (!p.startsWith(base) || p.equals(base)) {
        throw DeliveryException.permanent("\"" + f + "\" is outside the agent's workspace; only files in it can be sent");
      }
      paths.add(p);
    }
    return paths;
  }
}
