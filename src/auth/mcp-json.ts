// agenthub users keep the server's bearer token in the project's `.mcp.json` (that is how Claude Code itself
// reaches the server), so taskhooks can read it from there instead of asking for it twice.
import { z } from 'zod';
import { TaskSourceError } from '../errors/task-source.js';
import { CONFIG_MAX_BYTES, readTextCapped } from '../util/safe-read.js';

const McpJsonSchema = z.object({
  mcpServers: z
    .record(
      z.string(),
      z.looseObject({
        url: z.string().optional(),
        headers: z.record(z.string(), z.string()).optional(),
      }),
    )
    .default({}),
});

export interface McpJsonAuth {
  file: string;
  server: string;
  authorization: string;
}

/** Claude Code expands `${VAR}` and `${VAR:-default}` in .mcp.json; so does this. */
function expandEnv(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g,
    (_m, name: string, fallback: string | undefined) => env[name] ?? fallback ?? '',
  );
}

const sameEndpoint = (a: string, b: string): boolean => {
  const norm = (u: string): string =>
    u
      .trim()
      .replace(/\/+$/, '')
      .replace(/\/mcp$/, '');
  return norm(a) === norm(b);
};

/**
 * The Authorization header of the `.mcp.json` entry named `serverName`, else of the entry whose url is `url`.
 * Undefined when the file, the entry or the header is missing; a file that cannot be read or parsed is a config error.
 */
export function readMcpJsonAuth(
  file: string,
  opts: { serverName?: string | undefined; url?: string | undefined; env?: NodeJS.ProcessEnv },
): McpJsonAuth | undefined {
  const unusable = (err: unknown): TaskSourceError => {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return new TaskSourceError('config', `${file} could not be read for the server token: ${why}`, {
      short: '.mcp.json unreadable',
    });
  };
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unusable(err);
  }
  let parsed: z.infer<typeof McpJsonSchema>;
  try {
    parsed = McpJsonSchema.parse(JSON.parse(text));
  } catch (err) {
    throw unusable(err);
  }
  const entries = Object.entries(parsed.mcpServers);
  const entry = opts.serverName
    ? entries.find(([name]) => name === opts.serverName)
    : entries.find(([, e]) => e.url !== undefined && opts.url !== undefined && sameEndpoint(e.url, opts.url));
  if (!entry) return undefined;
  const headers = entry[1].headers ?? {};
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
  const value = key ? expandEnv(headers[key] as string, opts.env ?? process.env).trim() : '';
  return value ? { file, server: entry[0], authorization: value } : undefined;
}
