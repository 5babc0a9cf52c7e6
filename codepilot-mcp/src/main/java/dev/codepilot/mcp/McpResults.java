package dev.codepilot.mcp;

import dev.codepilot.tools.ToolException;
import dev.codepilot.tools.ToolOutput;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a tool's result into what the block gets: {@code structuredContent} as it is (a dict or a
 * list); otherwise the text contents joined with newlines as a str; images, audio and resources as
 * small {@code McpContent} objects ({@code type}, {@code mime_type}, and {@code data}, {@code text}
 * or {@code uri}), a mix of contents as a list; {@code isError} as an {@code McpError}. Non-text
 * contents cross to the sandbox as a dict under the key {@value #CONTENT_KEY}, which the sandbox
 * turns into {@code McpContent}; the execution result shows them as a one-line note rather than
 * their base64 data.
 */
final class McpResults {

  /** Marks a non-text content item for the sandbox (bootstrap.py {@code _mcp_content}). */
  static final String CONTENT_KEY = "__mcp_content__";

  private McpResults() {}

  static Object convert(McpSchema.CallToolResult result, String tool) throws ToolException {
    List<McpSchema.Content> contents = result.content() == null ? List.of() : result.content();
    long size = 0;
    List<Object> items = new ArrayList<>();
    boolean allText = true;
    for (McpSchema.Content content : contents) {
      Object item = item(content);
      allText &= item instanceof String;
      size += item instanceof String text ? text.length() : String.valueOf(item).length();
      items.add(item);
    }
    if (Boolean.TRUE.equals(result.isError())) {
      String text =
          items.stream()
              .filter(String.class::isInstance)
              .map(String.class::cast)
              .reduce((a, b) -> a + "\n" + b)
              .orElse("the server reported an error");
      throw new ToolException("McpError", tool + ": " + clip(text));
    }
    if (result.structuredContent() != null) {
      size = String.valueOf(result.structuredContent()).length();
    }
    if (size > McpServer.MAX_RESULT_CHARS) {
      throw ToolException.runtimeError(
          tool
              + " returned "
              + megabytes(size)
              + " of content,"
              + " more than the "
              + megabytes(McpServer.MAX_RESULT_CHARS)
              + " a result may hold;"
              + " ask the tool for less (a smaller range, a filter, a page)");
    }
    if (result.structuredContent() != null) {
      return result.structuredContent();
    }
    if (allText) {
      return String.join("\n", items.stream().map(String.class::cast).toList());
    }
    List<Object> marked =
        items.stream().map(i -> i instanceof String ? i : (Object) Map.of(CONTENT_KEY, i)).toList();
    String text = String.join("\n", items.stream().map(McpResults::note).toList());
    return new ToolOutput(marked.size() == 1 ? marked.get(0) : marked, text);
  }

  /** A text item as it is; another as a note like {@code [image image/png, 1.2 KB]}. */
  private static String note(Object item) {
    if (item instanceof String text) {
      return text;
    }
    Map<?, ?> content = (Map<?, ?>) item;
    Object payload = content.containsKey("data") ? content.get("data") : content.get("text");
    String size =
        payload == null
            ? ""
            : String.format(
                java.util.Locale.ROOT, ", %.1f KB", String.valueOf(payload).length() / 1024.0);
    Object where = content.get("uri");
    return "["
        + content.get("type")
        + (content.get("mime_type") == null ? "" : " " + content.get("mime_type"))
        + (where == null ? "" : " " + where)
        + size
        + "]";
  }

  private static Object item(McpSchema.Content content) {
    if (content instanceof McpSchema.TextContent text) {
      return text.text() == null ? "" : text.text();
    }
    Map<String, Object> item = new LinkedHashMap<>();
    switch (content) {
      case McpSchema.ImageContent image -> {
        item.put("type", "image");
        item.put("mime_type", image.mimeType());
        item.put("data", image.data());
      }
      case McpSchema.AudioContent audio -> {
        item.put("type", "audio");
        item.put("mime_type", audio.mimeType());
        item.put("data", audio.data());
      }
      case McpSchema.EmbeddedResource embedded -> {
        item.put("type", "resource");
        McpSchema.ResourceContents resource = embedded.resource();
        item.put("uri", resource.uri());
        item.put("mime_type", resource.mimeType());
        if (resource instanceof McpSchema.TextResourceContents text) {
          item.put("text", text.text());
        } else if (resource instanceof McpSchema.BlobResourceContents blob) {
          item.put("data", blob.blob());
        }
      }
      case McpSchema.ResourceLink link -> {
        item.put("type", "resource_link");
        item.put("uri", link.uri());
        item.put("name", link.name());
        item.put("mime_type", link.mimeType());
      }
      default -> item.put("type", content.type());
    }
    return item;
  }

  private static String clip(String text) {
    return text.length() <= 4000
        ? text
        : text.substring(0, 4000) + " [... " + (text.length() - 4000) + " chars cut]";
  }

  private static String megabytes(long chars) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", chars / 1048576.0);
  }
}
