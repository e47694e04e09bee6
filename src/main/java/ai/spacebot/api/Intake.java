package ai.spacebot.api;

/** Whether the API accepts new messages; closed first during a graceful stop. */
public final class Intake {
  private volatile boolean open = true;

  public boolean isOpen() {
    return open;
  }

  public void close() {
    open = false;
  }
}
