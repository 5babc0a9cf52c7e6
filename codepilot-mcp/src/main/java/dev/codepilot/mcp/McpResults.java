package dev.codepilot.mcp;

import dev.codepilot.tools.ToolException;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a tool's result into what the block gets: {@code structuredContent} as it is (a dict or
 * a list); otherwise the text contents joined with newlines as a str; images, audio and
 * resources as small dicts ({@code type}, {@code mime_type}, and {@code data} or {@code uri});
 * {@code isError} as an {@code McpError}.
 */
final class McpResults {

  private McpResults() {
  }

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
      String text = items.stream().filter(String.class::isInstance).map(String.class::cast)
          .reduce((a, b) -> a + "\n" + b).orElse("the server reported an error");
      throw new ToolException("McpError", tool + ": " + clip(text));
    }
    if (result.structuredContent() != null) {
      size = String.valueOf(result.structuredContent()).length();
    }
    if (size > McpServer.MAX_RESULT_CHARS) {
      throw ToolException.runtimeError(tool + " returned " + megabytes(size) + " of content,"
          + " more than the " + megabytes(McpServer.MAX_RESULT_CHARS) + " a result may hold;"
          + " ask the tool for less (a smaller range, a filter, a page)");
    }
    if (result.structuredContent() != null) {
      return result.structuredContent();
    }
    if (allText) {
      return String.join("\n", items.stream().map(String.class::cast).toList());
    }
    return items.size() == 1 ? items.get(0) : items;
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
    return text.length() <= 4000 ? text : text.substring(0, 4000) + " [... "
        + (text.length() - 4000) + " chars cut]";
  }

  private static String megabytes(long chars) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", chars / 1048576.0);
  }
}
