import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log/logger.js';
import { boundLineDepth, MAX_JSON_DEPTH, tooDeepReason } from '../util/json-depth.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { packageVersion } from '../util/package.js';
import type { TaskStore } from '../store/index.js';
import { registerHookTool, type HookToolOptions } from './hook-tool.js';
import { boundLineSize } from './line-size.js';
import type { ToolFamilyName } from './tools/tool-families.js';

/** The answer to a message over the size read: a tool result PreToolUse's hook reads as a refusal. */
const tooLarge = (id: number | string, maxBytes: number) => ({
  jsonrpc: '2.0',
  id,
  result: {
    content: [
      {
        type: 'text',
        text: JSON.stringify({
          hookSpecificOutput: {
            hookEventName: 'PreToolUse',
            permissionDecision: 'deny',
            permissionDecisionReason: `taskhooks: this message is over ${maxBytes / 1048576} MiB, more than taskhooks reads (a tool call's guards included); split it into smaller calls`,
          },
        }),
      },
    ],
  },
});

const tooDeepError = {
  jsonrpc: '2.0',
  id: null,
  error: { code: -32600, message: `Invalid Request: ${tooDeepReason(MAX_JSON_DEPTH, 'the message')}` },
};

/**
 * Serves over stdin/stdout for a project's `.mcp.json` or the plugin's bridge (or over a stream pair: the monitor's
 * socket): the task store's tools when given one, the hook tool when given one. stdout is the MCP stream, so every
 * diagnostic goes to the log file. Resolves when the client closes the stream.
 */
export async function serveStdio(opts: {
  store?: TaskStore;
  /** The store's tool families offered (default the session's few), and the session's project for their default. */
  tools?: readonly ToolFamilyName[];
  sessionProject?: () => Promise<string | undefined>;
  hookTool?: HookToolOptions;
  log: Logger;
  /** The longest message read (the hooks' input limit): a longer one is refused before anything parses it. */
  maxLineBytes: number;
  streams?: { input: Readable; output: Writable };
}): Promise<void> {
  // The store's tools (and their modules) only for a server that serves a store.
  const server = opts.store
    ? (await import('./server.js')).createTaskServer({
        store: opts.store,
        log: opts.log,
        tools: opts.tools ?? ['session'],
        ...(opts.sessionProject ? { sessionProject: opts.sessionProject } : {}),
      })
    : new McpServer(
        { name: 'taskhooks', version: packageVersion() },
        { capabilities: { tools: {} }, jsonSchemaValidator: schemaChecksOfOurOwn },
      );
  if (opts.hookTool) registerHookTool(server, opts.hookTool);
  const input = opts.streams?.input ?? process.stdin;
  const output = opts.streams?.output ?? process.stdout;
  // A line nested past the bound is cut before the SDK parses it, and answered here: JSON-RPC's error for a request
  // whose id could not be read, since its id is in the part not read.
  // A line over the size any hook reads is cut before anything parses it; a tool call is answered with PreToolUse's
  // refusal (which the hook tool's mcp_tool hook reads as its answer), anything else with JSON-RPC's error.
  const sized = input.pipe(
    boundLineSize(opts.maxLineBytes, (id) => {
      opts.log.warn({ maxBytes: opts.maxLineBytes }, 'stdio server: a message refused, over the size it reads');
      if (id !== undefined) output.write(`${JSON.stringify(tooLarge(id, opts.maxLineBytes))}\n`);
    }),
  );
  const bounded = sized.pipe(
    boundLineDepth(() => {
      opts.log.warn({ maxDepth: MAX_JSON_DEPTH }, 'stdio server: a message refused, nested too deep');
      output.write(`${JSON.stringify(tooDeepError)}\n`);
    }),
  );
  // Room above the cut line: the SDK's own limit closes the server on a longer one, and every later hook with it.
  const transport = new StdioServerTransport(bounded, output, { maxBufferSize: 2 * opts.maxLineBytes });
  await server.connect(transport);
  // A stream handed over paused (the monitor's socket after its first line) is read from here on.
  if (input.isPaused()) input.resume();
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    input.once('end', () => resolve());
    input.once('close', () => resolve());
  });
  opts.log.info({ store: opts.store !== undefined, hooks: opts.hookTool !== undefined }, 'stdio server started');
  await closed;
  await server.close();
}
