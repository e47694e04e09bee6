package ai.spacebot.tools.web;

/**
 * The guard's answer to a URL it will not fetch. The message is meant for the model and the user as it stands:
 * what was refused, why, and how an operator allows it.
 */
public final class Refused extends RuntimeException {
  public Refused(String message) {
    super(message, null, false, false);
  }
}
