// Calls an agent served with `codepilot mcp` through the TypeScript SDK's client: lists the
// tools, cancels a run after its second step, then runs another task. Prints one JSON line.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [command, ...args] = process.argv.slice(2);
const client = new Client({ name: "codepilot-ts-test", version: "1.0.0" });
await client.connect(new StdioClientTransport({ command, args, stderr: "inherit" }));
const out = { tools: (await client.listTools()).tools.map((t) => t.name), steps: [] };
const controller = new AbortController();
try {
  await client.callTool({ name: "run_task", arguments: { task: "work slowly" } }, undefined, {
    signal: controller.signal,
    timeout: 120000,
    onprogress: (p) => {
      out.steps.push(p.progress);
      if (p.progress >= 2) controller.abort("enough");
    },
  });
  out.cancelled = false;
} catch (e) {
  out.cancelled = true;
}
const after = await client.callTool({ name: "run_task", arguments: { task: "finish" } },
  undefined, { timeout: 120000 });
out.after = after.content.map((c) => c.text).join("\n");
out.afterIsError = after.isError === true;
console.log(JSON.stringify(out));
await client.close();
