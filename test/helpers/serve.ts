// `taskhooks serve` as a real child process of the built CLI on 127.0.0.1: started on a given or free port, killed
// with SIGKILL (a crash) or SIGTERM, and never left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import { hookEnv, ROOT } from './hooks.js';

export const CLI = path.join(ROOT, 'dist/cli.js');

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** What it printed on stdout so far (its start-up lines). */
  stdout(): string;
  /** Ends the process (SIGKILL by default: as a crash) and waits for it. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts `taskhooks serve` with `args` (e.g. `--db FILE --token T`) and resolves once it listens. */
export async function startServe(
  home: string,
  args: string[],
  port?: number,
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const p = port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, 'serve', '--port', String(p), ...args], {
    env: hookEnv(home, env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      // The last start-up line: every line before it has been printed.
      if (out.includes('Ctrl-C stops.')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`taskhooks serve exited (${code}) before listening: ${err.trim() || out.trim()}`)),
    );
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await listening;
  return {
    url: `http://127.0.0.1:${p}/mcp`,
    port: p,
    child,
    stdout: () => out,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/**
 * One tool call the way agenthub's hooks send it to `serve`: a single stateless POST with `token`, no initialize.
 * Answers the parsed envelope (a failed call's too), or `{ toolError }` with the text of a tool error.
 */
export async function postToolCall(
  url: string,
  token: string,
  name: string,
  args: Record<string, unknown>,
): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { result: { content: { text: string }[]; isError?: boolean } };
  const text = body.result.content[0]?.text ?? '';
  if (body.result.isError) return { toolError: text };
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Creates project `name` with its branch `main` through the server at `url`; answers the branch's id. */
export async function projectWithMain(url: string, token: string, name: string): Promise<string> {
  const project = await postToolCall(url, token, 'manage_project', { action: 'create', name });
  const branch = await postToolCall(url, token, 'manage_git_branch', {
    action: 'create',
    project_id: project.data.project.id,
    git_branch_name: 'main',
  });
  return branch.data.git_branch.id as string;
}

/**
 * A plain loopback listener that is not taskhooks' (a local service, another user's squatter) on `port` (0: any),
 * answering `{}` and noting every request it gets, headers and body; closed by `cleanups`.
 */
export async function loopbackListener(
  cleanups: Array<() => unknown>,
  port = 0,
): Promise<{ port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`);
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  return { port: (server.address() as AddressInfo).port, seen };
}
