// `taskhooks serve` as a real child process of the built CLI on 127.0.0.1: started on a given or free port, killed
// with SIGKILL (a crash) or SIGTERM, and never left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
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
