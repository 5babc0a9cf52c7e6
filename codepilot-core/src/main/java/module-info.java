/**
 * CodePilot for Java: the agent runtime, the agent file, hooks and events, sessions, tools and the
 * model SPI.
 *
 * <p>Exported API: {@code dev.codepilot} (the runtime), {@code dev.codepilot.config}, {@code
 * dev.codepilot.exception} (the exception family), {@code dev.codepilot.hooks}, {@code
 * dev.codepilot.model}, {@code dev.codepilot.session} and {@code dev.codepilot.tools}. {@code
 * dev.codepilot.internal} is exported only to the project's own modules; the loop and the sandbox
 * ({@code dev.codepilot.loop}, {@code dev.codepilot.sandbox}) are not exported at all. Providers of
 * models, session stores and tool sources are found with {@link java.util.ServiceLoader}, on the
 * module path through {@code provides} and on the class path through {@code META-INF/services}.
 */
// The qualified exports name modules that are not on the core's own module path.
@SuppressWarnings("module")
module dev.codepilot {
  requires transitive com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires java.management;
  requires jdk.management;
  requires org.graalvm.polyglot;
  requires org.yaml.snakeyaml;

  exports dev.codepilot;
  exports dev.codepilot.config;
  exports dev.codepilot.exception;
  exports dev.codepilot.hooks;
  exports dev.codepilot.model;
  exports dev.codepilot.session;
  exports dev.codepilot.tools;
  exports dev.codepilot.internal to
      dev.codepilot.cli,
      dev.codepilot.mcp,
      dev.codepilot.model.anthropic,
      dev.codepilot.model.http,
      dev.codepilot.model.openai,
      dev.codepilot.opentelemetry,
      dev.codepilot.postgres,
      dev.codepilot.server;

  // Events, messages, session records and tool results are turned into JSON by reflection.
  opens dev.codepilot to
      com.fasterxml.jackson.databind;
  opens dev.codepilot.config to
      com.fasterxml.jackson.databind;
  opens dev.codepilot.hooks to
      com.fasterxml.jackson.databind;
  opens dev.codepilot.internal to
      com.fasterxml.jackson.databind;
  opens dev.codepilot.model to
      com.fasterxml.jackson.databind;
  opens dev.codepilot.session to
      com.fasterxml.jackson.databind;
  opens dev.codepilot.tools to
      com.fasterxml.jackson.databind;

  uses dev.codepilot.model.ChatModelProvider;
  uses dev.codepilot.session.SessionStoreProvider;
  uses dev.codepilot.tools.ToolSourceProvider;
}
