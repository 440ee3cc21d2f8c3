// The real OpenCode (test/peers.json) in a test, offline: its config, data, cache and state folders in the test's
// HOME, its model a loopback stand-in of an OpenAI-compatible Chat Completions API, declared as a provider in
// OPENCODE_CONFIG_CONTENT (so the project's opencode.json holds only what install wrote), run as
// `opencode run --auto PROMPT </dev/null` or as `opencode serve` for a session that outlives a turn. The stand-in is
// ./chat-completions.ts, a turn per user message, OpenCode's title request (no tools) answered and not recorded.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { peer } from './peers.js';

export const OPENCODE = peer('opencode-ai').entry;

/** OpenCode's environment: its folders in `home`, the stand-in at `apiUrl` as its only model, no updates or fetches. */
export function opencodeEnv(env: NodeJS.ProcessEnv, home: string, apiUrl: string): NodeJS.ProcessEnv {
  const provider = {
    npm: '@ai-sdk/openai-compatible',
    name: 'stand-in',
    options: { baseURL: apiUrl, apiKey: 'fake' },
    models: { standin: { name: 'standin', tool_call: true } },
  };
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    OPENCODE_CONFIG_CONTENT: JSON.stringify({
      provider: { standin: provider },
      model: 'standin/standin',
      small_model: 'standin/standin',
      autoupdate: false,
      share: 'disabled',
    }),
    OPENCODE_DISABLE_MODELS_FETCH: '1',
    OPENCODE_DISABLE_AUTOUPDATE: '1',
    OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
  };
}

/** One `opencode run` turn in `cwd`, every permission granted (no one to ask), stdin closed. */
export function runOpencode(
  cwd: string,
  env: NodeJS.ProcessEnv,
  prompt = 'hi',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      OPENCODE,
      ['run', '--auto', prompt],
      // OpenCode takes its project from PWD, which a child inherits from the test unless it is set.
      { cwd, env: { ...env, PWD: cwd }, timeout: 120_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

export interface OpencodeServer {
  url: string;
  process: ChildProcess;
  /** Sends a prompt to a new session and returns its id; the turn runs on. */
  prompt(text: string): Promise<string>;
  close(): Promise<void>;
}

/** `opencode serve` in `cwd` on a free loopback port: a session there stays when its turn ends. */
export async function serveOpencode(cwd: string, env: NodeJS.ProcessEnv): Promise<OpencodeServer> {
  const child = spawn(OPENCODE, ['serve', '--hostname', '127.0.0.1', '--port', '0'], {
    cwd,
    env: { ...env, PWD: cwd },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let said = '';
  const url = await new Promise<string>((resolve, reject) => {
    const look = (d: Buffer) => {
      said += d.toString('utf8');
      const m = /https?:\/\/127\.0\.0\.1:\d+/.exec(said);
      if (m) resolve(m[0]);
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`opencode serve exited ${code}: ${said}`)));
  });
  const post = async (route: string, body: unknown) => {
    const res = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
  return {
    url,
    process: child,
    async prompt(text) {
      const session = await post('/session', {});
      const id = String(session.id);
      await post(`/session/${id}/prompt_async`, { parts: [{ type: 'text', text }] });
      return id;
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
