package ai.spacebot.llm.usage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The bounds of a usage report: parsed from what an operator types, printed in the budget's zone. */
public final class UsageTimes {
  private UsageTimes() {}

  /**
   * Epoch ms of a report bound: {@code 2025-03-01} (a date in {@code zone}: its start for {@code from},
   * the start of the next day for {@code to}, so a date range includes its last day), a date-time with
   * an offset ({@code 2025-03-01T10:00:00Z}) or without one (read in {@code zone}), or epoch ms.
   *
   * @throws IllegalArgumentException naming {@code field}
   */
  public static long parse(String field, String value, ZoneId zone, boolean end) {
    String v = value.strip();
    try {
      if (v.matches("\\d{1,16}")) {
        return Long.parseLong(v);
      }
      if (v.length() == 10) {
        LocalDate day = LocalDate.parse(v);
        return (end ? day.plusDays(1) : day).atStartOfDay(zone).toInstant().toEpochMilli();
      }
      try {
        return OffsetDateTime.parse(v).toInstant().toEpochMilli();
      } catch (DateTimeException e) {
        return LocalDateTime.parse(v).atZone(zone).toInstant().toEpochMilli();
      }
    } catch (DateTimeException | NumberFormatException e) {
      throw new IllegalArgumentException(field + " must be an ISO-8601 date (2025-03-01), date-time (2025-03-01T10:00:00Z) "
          + "or epoch milliseconds, got \"" + value + "\"");
    }
  }

  /** An ISO-8601 date-time with the zone's offset, e.g. {@code 2025-03-01T00:00:00+01:00}. */
  public static String format(long millis, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(Instant.ofEpochMilli(millis).atZone(zone).toOffsetDateTime());
  }
}
