import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Logger } from '../log/logger.js';
import { MAX_JSON_DEPTH, tooDeepReason } from '../util/json-depth.js';
import { schemaChecksOfOurOwn } from '../util/json-schema.js';
import { packageVersion } from '../util/package.js';
import type { TaskStore } from '../store/index.js';
import { registerHookTool, type HookToolOptions } from './hook-tool.js';
import { boundLines, type RefusedLine } from './line-size.js';
import type { SessionPlace, ToolFamilyName } from './tools/tool-families.js';

/**
 * The answer to a line refused at a bound, for its id: a tool call gets a tool result PreToolUse's hook reads as a
 * refusal (an error would let the call through unread), any other request JSON-RPC's error. A notification gets none;
 * a message whose id cannot be read is answered with id null, as JSON-RPC has it.
 */
function refusalOf(line: RefusedLine, maxBytes: number): object | undefined {
  if (line.id === undefined && line.method !== undefined) return undefined;
  const why =
    line.why === 'size'
      ? `this message is over ${maxBytes / 1048576} MiB, more than taskhooks reads (a tool call's guards included); split it into smaller calls`
      : tooDeepReason(MAX_JSON_DEPTH, 'this message');
  const id = line.id ?? null;
  if (id === null || line.method !== 'tools/call')
    return { jsonrpc: '2.0', id, error: { code: -32600, message: `Invalid Request: ${why}` } };
  const hookOutput = {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'deny',
      permissionDecisionReason: `taskhooks: ${why}`,
    },
  };
  return { jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: JSON.stringify(hookOutput) }] } };
}

/**
 * Serves over stdin/stdout for a project's `.mcp.json` or the plugin's bridge (or over a stream pair: the monitor's
 * socket): the task store's tools when given one, the hook tool when given one. stdout is the MCP stream, so every
 * diagnostic goes to the log file. Resolves when the client closes the stream.
 */
export async function serveStdio(opts: {
  store?: TaskStore;
  /** The store's tool families offered (default the session's few). */
  tools?: readonly ToolFamilyName[];
  /** Where the session works: its project and branch for the session tools' default, and which session it is. */
  sessionPlace?: () => Promise<SessionPlace | undefined>;
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
        ...(opts.sessionPlace ? { sessionPlace: opts.sessionPlace } : {}),
      })
    : new McpServer(
        { name: 'taskhooks', version: packageVersion() },
        { capabilities: { tools: {} }, jsonSchemaValidator: schemaChecksOfOurOwn },
      );
  if (opts.hookTool) registerHookTool(server, opts.hookTool);
  const input = opts.streams?.input ?? process.stdin;
  const output = opts.streams?.output ?? process.stdout;
  // A line over the size any hook reads, or nested past the bound, is cut before anything parses it and answered here.
  const bounded = input.pipe(
    boundLines(opts.maxLineBytes, (line) => {
      opts.log.warn(
        { why: line.why, method: line.method, maxBytes: opts.maxLineBytes, maxDepth: MAX_JSON_DEPTH },
        'stdio server: a message refused, over the size it reads or nested too deep',
      );
      const answer = refusalOf(line, opts.maxLineBytes);
      if (answer) output.write(`${JSON.stringify(answer)}\n`);
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
