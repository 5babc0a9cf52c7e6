package dev.codepilot.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How MCP tool and parameter names become Python names blocks can write. */
class McpToolNamesTest {

  @Test
  void keywordsHardAndSoftGetATrailingUnderscore() {
    assertThat(McpTool.pythonName("class")).isEqualTo("class_");
    assertThat(McpTool.pythonName("lambda")).isEqualTo("lambda_");
    assertThat(McpTool.pythonName("match")).isEqualTo("match_");
    assertThat(McpTool.pythonName("type")).isEqualTo("type_");
  }

  @Test
  void otherCharactersBecomeUnderscoresAndANameStartsWithALetter() {
    assertThat(McpTool.pythonName("read-file")).isEqualTo("read_file");
    assertThat(McpTool.pythonName("2fa")).isEqualTo("t2fa");
    assertThat(McpTool.pythonName("_")).isEqualTo("t_");
    assertThat(McpTool.pythonName("echo")).isEqualTo("echo");
  }
}
