package dev.codepilot.loop;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model reply taken apart: the control block to run, the payload blocks after it, and whether a
 * fence was left open (a reply cut off mid-block must not run).
 *
 * @param controlBlock the first fenced block tagged {@code python}, {@code py} or untagged
 * @param payloads every fenced block after the control block, in order
 * @param unclosed true when the reply ended inside a fenced block
 */
public record ParsedReply(Optional<String> controlBlock, List<String> payloads, boolean unclosed) {

  public ParsedReply {
    Objects.requireNonNull(controlBlock, "controlBlock");
    payloads = List.copyOf(payloads);
  }
}
