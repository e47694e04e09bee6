package ai.spacebot.messaging;

import ai.spacebot.bus.DeliveryFailure;

/** A delivery step failed in a way the adapter understood (429 with its wait, 403, 5xx). */
public final class DeliveryException extends RuntimeException {
  private final DeliveryFailure failure;

  public DeliveryException(DeliveryFailure failure) {
    super(failure.error(), null, false, false);
    this.failure = failure;
  }

  public DeliveryFailure failure() {
    return failure;
  }

  public static DeliveryException permanent(String error) {
    return new DeliveryException(DeliveryFailure.permanent(error));
  }

  public static DeliveryException transientFailure(String error) {
    return new DeliveryException(DeliveryFailure.transientFailure(error));
  }

  public static DeliveryException rateLimited(String error, long retryAfterMillis) {
    return new DeliveryException(DeliveryFailure.rateLimited(error, retryAfterMillis));
  }
}
