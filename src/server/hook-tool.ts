// The hook tool of `taskhooks mcp`: what Claude Code's `mcp_tool` hooks call to run a hook event in this long-lived
// process instead of starting one per tool call. The model must never call it, so it is kept from the model: MCP Apps'
// `_meta.ui.visibility` without "model" (Claude Code 2.1.330 hides such a tool from the model and still lets a hook
// call it); its description says the same to a client that shows it anyway.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import * as z from 'zod';

export interface HookToolOptions {
  name: string;
  /** Runs the event named by the arguments; the hook's JSON output as text. */
  call(args: Record<string, unknown>): Promise<string>;
}

/** The arguments an `mcp_tool` hook sends: the event's name and the hook input's fields, each one text or absent. */
const HookToolArgs = z.object({ event: z.string() }).catchall(z.union([z.string(), z.number(), z.boolean()]));

export function registerHookTool(server: McpServer, tool: HookToolOptions): void {
  server.registerTool(
    tool.name,
    {
      description:
        "Internal to taskhooks' Claude Code hooks, which call it on every tool call; never call it yourself, it does nothing for you.",
      inputSchema: HookToolArgs,
      _meta: { ui: { visibility: ['app'] } },
    },
    async (args) => ({ content: [{ type: 'text', text: await tool.call(args) }] }),
  );
}
