// A stdio MCP server as its own process group. The SDK's StdioClientTransport kills only the child it spawned: a
// server that runs through a wrapper (a shell script, npx, a node bin that forks) leaves the rest running when it
// times out — seen as an orphan npm process that grew to hundreds of MB. Here the child leads a process group, and
// closing the transport ends the whole group.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { programEnvironment } from '../log/child-env.js';
import { programToRun } from '../util/executable.js';

/** How long a server gets to exit on SIGTERM (after its stdin closed) before the group is killed outright. */
const GRACE_MS = 1000;

export interface StdioServer {
  command: string;
  args: string[];
  env?: Record<string, string> | undefined;
  cwd?: string | undefined;
}

/**
 * The environment a local server or program runs in: the basics (PATH, HOME, locale), never the whole of this
 * process's, which may hold credentials meant for other servers, plus its own.
 */
export const childEnvironment = (own: Record<string, string> = {}): Record<string, string> => programEnvironment(own);

/** Signals a child that leads its own process group (spawned detached), and everything it started. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone already
  }
}

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();
  /** The server's stderr, readable before it starts: the last lines of a server that dies at start say why. */
  readonly stderr = new PassThrough();

  constructor(private readonly server: StdioServer) {}

  start(): Promise<void> {
    const env = childEnvironment(this.server.env);
    const command = programToRun(this.server.command, env);
    if (command instanceof Error) {
      this.onerror?.(command);
      return Promise.reject(command);
    }
    return new Promise((resolve, reject) => {
      const child = spawn(command, this.server.args, {
        env,
        cwd: this.server.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        shell: false,
      });
      this.child = child;
      // Detached, the group outlives this process unless ended: a hook exits the moment it has answered.
      const endWithUs = (): void => {
        if (child.pid) killGroup(child.pid, 'SIGKILL');
      };
      process.once('exit', endWithUs);
      child.on('error', (err) => {
        reject(err);
        this.onerror?.(err);
      });
      child.on('spawn', () => resolve());
      child.on('close', () => {
        process.off('exit', endWithUs);
        this.child = undefined;
        this.onclose?.();
      });
      child.stderr?.pipe(this.stderr);
      child.stdin?.on('error', (err) => this.onerror?.(err));
      child.stdout?.on('data', (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (err) {
            this.onerror?.(err as Error);
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stdout?.on('error', (err) => this.onerror?.(err));
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      const stdin = this.child?.stdin;
      if (!stdin) throw new Error('the stdio server is not running');
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    this.buffer.clear();
    if (!child?.pid) return;
    const { pid } = child;
    child.stdin?.end();
    killGroup(pid, 'SIGTERM');
    // Unref'd: a process that exits meanwhile ends the group on its way out (see start).
    setTimeout(() => killGroup(pid, 'SIGKILL'), GRACE_MS).unref();
  }
}
