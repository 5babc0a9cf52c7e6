package dev.codepilot.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** "just now", "3 min ago", "yesterday", or a date for anything older than a month. */
final class RelativeTime {

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd");
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm");

  private RelativeTime() {}

  static String since(Instant then, Instant now) {
    long seconds = Duration.between(then, now).toSeconds();
    if (seconds < 10) {
      return "just now";
    }
    if (seconds < 60) {
      return seconds + " s ago";
    }
    long minutes = seconds / 60;
    if (minutes < 60) {
      return minutes + " min ago";
    }
    long hours = minutes / 60;
    if (hours < 24) {
      return hours + " h ago";
    }
    long days = hours / 24;
    if (days == 1) {
      return "yesterday";
    }
    if (days < 30) {
      return days + " days ago";
    }
    return DATE.format(then.atZone(ZoneId.systemDefault()));
  }

  /** Local date and time to the minute. */
  static String local(Instant instant) {
    return DATE_TIME.format(instant.atZone(ZoneId.systemDefault()));
  }
}
