package ai.spacebot.secrets;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's pattern layout with {@link LogRedaction} over the whole formatted line, stack trace included
 * (an exception message can carry a request URL with a key in it). Used by both appenders in logback.xml.
 */
public final class ScrubbingLayout extends PatternLayout {
  @Override
  public String doLayout(ILoggingEvent event) {
    return LogRedaction.scrub(super.doLayout(event));
  }
}
