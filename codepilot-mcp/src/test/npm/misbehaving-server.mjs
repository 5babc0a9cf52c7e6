// An MCP server (stdio) that misbehaves on request, for the client's failure tests.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import crypto from "node:crypto";

const server = new McpServer({ name: "misbehaving", version: "1.0.0" });
const text = (t) => ({ content: [{ type: "text", text: t }] });

const instance = crypto.randomUUID();
server.tool("ok", "Answers with an id of this process.", {}, async () => text(instance));
server.tool("crash", "Exits in the middle of the call.", {}, async () => process.exit(3));
server.tool("hang", "Never answers.", {}, () => new Promise(() => {}));
server.tool("big", "Answers with 10 MB of text.", {}, async () => text("x".repeat(10 << 20)));
server.tool("fail", "Reports an error.", { why: z.string() },
  async ({ why }) => ({ isError: true, content: [{ type: "text", text: "failed: " + why }] }));
server.tool("garbage", "Writes something that is not JSON-RPC, then never answers.", {},
  () => { process.stdout.write("this is not json\n"); return new Promise(() => {}); });

await server.connect(new StdioServerTransport());
