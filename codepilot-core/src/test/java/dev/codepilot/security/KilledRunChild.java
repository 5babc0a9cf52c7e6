package dev.codepilot.security;

import static dev.codepilot.testing.TestAgents.block;

import dev.codepilot.AgentRuntime;
import dev.codepilot.testing.QueueModel;
import dev.codepilot.testing.TestAgents;
import dev.codepilot.tools.Tools;
import java.nio.file.Path;

/**
 * A runtime in a JVM of its own, for {@link FaultsTest}: args are the work dir and the session dir.
 * It runs a task whose first two steps finish, and whose third step calls a tool that prints {@code
 * in step 3} and then waits forever, to be killed there.
 */
public final class KilledRunChild {

  private KilledRunChild() {}

  public static void main(String[] args) throws Exception {
    QueueModel model =
        new QueueModel()
            .reply(
                block("print('step one')"),
                block("print('step two')"),
                block("hang()\ndone('never')"));
    AgentRuntime runtime =
        AgentRuntime.builder(TestAgents.config(Path.of(args[0])))
            .model(model)
            .consoleOutput(false)
            .session("file")
            .sessionId("killed")
            .sessionDir(Path.of(args[1]))
            .build();
    runtime.registerTool(
        Tools.builder("hang")
            .description("Waits forever.")
            .handler(
                call -> {
                  System.out.println("in step 3");
                  System.out.flush();
                  Thread.sleep(Long.MAX_VALUE);
                  return null;
                })
            .build());
    runtime.run("Work in three steps");
  }
}
