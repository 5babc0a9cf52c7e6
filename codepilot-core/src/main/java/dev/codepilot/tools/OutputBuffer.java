package dev.codepilot.tools;

import dev.codepilot.internal.Text;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects a process's output in bounded memory: the first {@code headCapacity} bytes and the last
 * {@code tailCapacity} bytes are kept, everything between is only counted. A process may print
 * gigabytes; the buffer never holds more than the two capacities. Thread-safe: one thread
 * {@linkplain #drain drains} a stream while others read the text so far.
 */
final class OutputBuffer {

  private final byte[] head;
  private int headSize;
  private final byte[] tail;
  private int tailStart;
  private int tailSize;
  private long total;

  OutputBuffer(int headCapacity, int tailCapacity) {
    this.head = new byte[headCapacity];
    this.tail = new byte[tailCapacity];
  }

  /** Reads {@code in} to its end (or until it fails), keeping what fits. */
  void drain(InputStream in) {
    byte[] chunk = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(chunk)) > 0) {
        append(chunk, 0, n);
      }
    } catch (IOException e) {
      // The stream was closed under us (the process was killed); what was read is kept.
    }
  }

  synchronized void append(byte[] bytes, int offset, int length) {
    total += length;
    int toHead = Math.min(length, head.length - headSize);
    System.arraycopy(bytes, offset, head, headSize, toHead);
    headSize += toHead;
    offset += toHead;
    length -= toHead;
    if (length == 0 || tail.length == 0) {
      return;
    }
    if (length >= tail.length) {
      System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
      tailStart = 0;
      tailSize = tail.length;
      return;
    }
    for (int i = 0; i < length; i++) {
      int at = (tailStart + tailSize) % tail.length;
      tail[at] = bytes[offset + i];
      if (tailSize < tail.length) {
        tailSize++;
      } else {
        tailStart = (tailStart + 1) % tail.length;
      }
    }
  }

  /** Every byte the stream has delivered so far, kept or not. */
  synchronized long totalBytes() {
    return total;
  }

  /** The bytes held in memory right now; never more than the two capacities together. */
  synchronized int retainedBytes() {
    return headSize + tailSize;
  }

  synchronized boolean isEmpty() {
    return total == 0;
  }

  /**
   * The output as text of at most about {@code limit} characters: the whole of it when it fits,
   * else its head and tail with a {@code [... N chars truncated ...]} marker between them (or
   * {@code N bytes} when the middle was never kept).
   */
  synchronized String text(int limit) {
    String headText = new String(head, 0, headSize, StandardCharsets.UTF_8);
    byte[] tailBytes = new byte[tailSize];
    for (int i = 0; i < tailSize; i++) {
      tailBytes[i] = tail[(tailStart + i) % tail.length];
    }
    String tailText = new String(tailBytes, StandardCharsets.UTF_8);
    long dropped = total - headSize - tailSize;
    if (dropped == 0) {
      return Text.truncate(headText + tailText, limit);
    }
    int headChars = Math.min(headText.length(), limit * 2 / 3);
    int tailChars = Math.min(tailText.length(), limit - headChars);
    long droppedBytes =
        dropped
            + headText.substring(headChars).getBytes(StandardCharsets.UTF_8).length
            + tailText
                .substring(0, tailText.length() - tailChars)
                .getBytes(StandardCharsets.UTF_8)
                .length;
    return headText.substring(0, headChars)
        + "\n[... "
        + droppedBytes
        + " bytes truncated ...]\n"
        + tailText.substring(tailText.length() - tailChars);
  }
}
