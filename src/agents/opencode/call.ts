// How taskhooks' OpenCode plugin asks for an answer from inside OpenCode's Bun process, which cannot load
// better-sqlite3: the monitor of the state directory first (its Unix socket, else its TCP port with the hook token),
// with a short wait, and else the command hook entry run by node, with a bounded wait. Neither ever throws: a failure
// is logged and answered with nothing, and the session carries on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { programToRun } from '../../util/executable.js';
import { withAbsolutePath } from '../../util/child-process.js';
import { monitorEndpoints, postToMonitor, type MonitorEndpoint, type NoAnswer } from '../../home/served-post.js';
import { MONITOR_LATE_ENV } from '../../home/monitor-late.js';
import type { OpencodeAnswer } from './hooks.js';

/** A monitor that answers at all answers a hook in a few milliseconds: past this it is busy or hung. */
const SERVED_WAIT_MS = 300;
/** Above every entry's own deadline (its watchdog ends it sooner): only a process that hangs is stopped here. */
const COMMAND_WAIT_MS = 15_000;
/** More than any answer a hook gives; what a broken process prints past it is not read. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface CallTarget {
  /** The node that runs taskhooks, and taskhooks' package folder. */
  node: string;
  root: string;
  home: string;
  /** OpenCode's process: the session's agent. */
  agentPid: number;
  cwd: string;
  log: (message: string) => void;
}

function parseAnswer(text: string): OpencodeAnswer | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  const value = JSON.parse(trimmed) as unknown;
  if (typeof value !== 'object' || value === null) return undefined;
  const { context, deny } = value as Record<string, unknown>;
  return {
    ...(typeof context === 'string' ? { context } : {}),
    ...(typeof deny === 'string' ? { deny } : {}),
  };
}

/** One POST to the monitor: its answer, or why there is none within SERVED_WAIT_MS. */
async function post(
  to: MonitorEndpoint,
  name: string,
  body: string,
  agentPid: number,
): Promise<OpencodeAnswer | NoAnswer> {
  const served = await postToMonitor(to, name, body, { agentPid, agent: 'opencode' }, SERVED_WAIT_MS);
  if (typeof served !== 'object') return served;
  try {
    return parseAnswer(served.text) ?? 'late';
  } catch {
    return 'late';
  }
}

/**
 * The command hook entry, `node dist/hooks/<name>.js --agent=opencode`, as OpenCode's child; told when a monitor took
 * the event first and gave no answer, so it answers and tells the news all the same.
 */
function runEntry(t: CallTarget, name: string, body: string, late: boolean): Promise<OpencodeAnswer | undefined> {
  return new Promise((resolve) => {
    const script = path.join(t.root, 'dist', 'hooks', `${name}.js`);
    const env = withAbsolutePath(late ? { ...process.env, [MONITOR_LATE_ENV]: '1' } : process.env);
    const node = programToRun(t.node, env);
    if (node instanceof Error) {
      t.log(`${name}: ${node.message}; nothing said`);
      return resolve(undefined);
    }
    const child = spawn(node, [script, '--agent=opencode'], { cwd: t.cwd, env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    const timer = setTimeout(() => {
      t.log(`${name}: ${script} gave no answer within ${COMMAND_WAIT_MS} ms; stopped it, nothing said`);
      child.kill('SIGKILL');
    }, COMMAND_WAIT_MS);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (out.length < MAX_ANSWER_BYTES) out += d;
    });
    child.stdin.on('error', () => undefined); // an entry that exits before reading its input
    child.on('error', (err) => {
      clearTimeout(timer);
      t.log(`${name}: cannot run ${t.node} ${script} (${err.message}); nothing said`);
      resolve(undefined);
    });
    child.on('close', () => {
      clearTimeout(timer);
      try {
        resolve(parseAnswer(out));
      } catch {
        t.log(`${name}: ${script} printed what is not an answer; nothing said`);
        resolve(undefined);
      }
    });
    child.stdin.end(body);
  });
}

/** The answer of taskhooks' entry `name` to `input`: the monitor's, else the command entry's, else nothing. */
export async function callEntry(t: CallTarget, name: string, input: object): Promise<OpencodeAnswer> {
  const body = JSON.stringify(input);
  let late = false;
  for (const to of monitorEndpoints(t.home)) {
    const served = await post(to, name, body, t.agentPid);
    if (typeof served === 'object') return served;
    // The monitor behind the socket is the one behind the port: asked again, it would say the event is taken.
    late = served === 'late';
    if (late) break;
  }
  return (await runEntry(t, name, body, late)) ?? {};
}
