// A process writing tasks: the built `taskhooks mcp`, spoken to in raw JSON-RPC over its stdio so requests can be
// pipelined and the process killed at any moment. A tools/call is answered after its transaction committed: the
// answer on stdout is the acknowledgement.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { hookEnv, ROOT } from '../helpers/hooks.js';

const CLI = path.join(ROOT, 'dist/cli.js');

export interface NewTrackerTask {
  task_id: string;
  project_id: string;
  title: string;
  description: string;
  priority: string;
  labels: string[];
}

export interface StdioWriter {
  readonly pid: number;
  /** add_task with a batch (all or none); resolves true once acknowledged, false when the process died first. */
  add(tasks: NewTrackerTask[]): Promise<boolean>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

export async function startWriter(home: string, timeoutMs = 20_000): Promise<StdioWriter> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'mcp', '--tools', 'tracker'], {
    env: hookEnv(home),
    cwd: home,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const waiting = new Map<number, { resolve(ok: boolean): void; reject(err: Error): void }>();
  let nextId = 1;
  let buffered = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const w of waiting.values()) w.resolve(false);
    waiting.clear();
  });
  child.stdin?.on('error', () => undefined); // writes racing the kill
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const msg = JSON.parse(line) as { id?: number; error?: unknown; result?: { isError?: boolean } };
      const w = msg.id === undefined ? undefined : waiting.get(msg.id);
      if (!w || msg.id === undefined) continue;
      waiting.delete(msg.id);
      if (msg.error || msg.result?.isError) w.reject(new Error(`the writer refused a request: ${line}`));
      else w.resolve(true);
    }
  });
  const request = (method: string, params: unknown): Promise<boolean> => {
    const id = nextId++;
    const answered = new Promise<boolean>((resolve, reject) => waiting.set(id, { resolve, reject }));
    child.stdin?.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    return answered;
  };
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const ready = await request('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'crash-test', version: '0' },
  });
  clearTimeout(timer);
  if (!ready) throw new Error('taskhooks mcp exited before answering initialize');
  child.stdin?.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  return {
    pid: child.pid ?? 0,
    add: (tasks) => request('tools/call', { name: 'add_task', arguments: { tasks } }),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
