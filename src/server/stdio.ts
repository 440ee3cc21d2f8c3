import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log/logger.js';
import { boundLineDepth, MAX_JSON_DEPTH, tooDeepReason } from '../util/json-depth.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { packageVersion } from '../util/package.js';
import type { TaskStore } from '../store/index.js';
import { registerHookTool, type HookToolOptions } from './hook-tool.js';
import type { ToolFamilyName } from './tool-families.js';

/**
 * Above any hook input Claude Code sends as one line (a Write of tens of MB): the SDK's own 10 MiB limit closes the
 * server on such a line, and every later hook of the session with it.
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

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
  const bounded = input.pipe(
    boundLineDepth(() => {
      opts.log.warn({ maxDepth: MAX_JSON_DEPTH }, 'stdio server: a message refused, nested too deep');
      output.write(`${JSON.stringify(tooDeepError)}\n`);
    }),
  );
  const transport = new StdioServerTransport(bounded, output, { maxBufferSize: MAX_LINE_BYTES });
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
