// A session whose served hooks post to a port another process listens on is stopped before its first prompt (see
// ./stray-hooks.ts). Loaded only when the hooks name another port than the monitor's: a rare start.
import net from 'node:net';
import path from 'node:path';
import { claudeConfig, enablesTaskhooksPlugin } from '../../agents/claude/config.js';
import { envValue, HOOK_TOKEN_HEADER, hookTokenVar, referencedVar } from '../../home/hook-token-env.js';
import { pluginDataFolders, resolveHome } from '../../home/dir.js';
import { isJsonObject } from '../../util/object.js';
import { onlyListenerIs } from '../../util/port-holder.js';
import { postNotice } from '../../home/notices.js';
import { isAncestor } from '../live-session.js';
import { readHookToken, recordedHookPort } from '../../home/endpoint-record.js';
import { readLiveOwner } from '../../home/lock.js';
import { readMonitorInfo } from '../../home/monitor-info.js';
import { sleep } from '../../util/deadline.js';
import {
  hasServedShape,
  readSettings,
  servedHookTargets,
  type HooksElsewhere,
  type ServedHookTarget,
} from './stray-hooks.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookResult } from '../types.js';

/** The one file install writes Claude Code's http hooks into. */
const LOCAL_SETTINGS = path.basename(claudeConfig.configFile('local', '', {}));

/** A monitor that holds the lock but has not yet said where it serves: long enough for its parts to start. */
const STARTING_WAIT_MS = 1500;
const STARTING_POLL_MS = 50;

/** Connecting on loopback succeeds or is refused at once; a port that does neither takes no hook input either. */
const PROBE_MS = 300;

/** Whether something accepts connections on 127.0.0.1:`port`. */
export function listensOnLoopback(port: number, waitMs = PROBE_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (listening: boolean) => {
      socket.destroy();
      resolve(listening);
    };
    socket.setTimeout(waitMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Hooks that would hand their input to another process: where they post, and where the home's monitor answers. */
export interface StrayHooks {
  files: string[];
  ports: number[];
  /** The port the home's monitor serves hooks on; null when it serves none, undefined when no monitor runs. */
  monitorPort: number | null | undefined;
}

/** Of the hooks posting elsewhere, those whose port something listens on; undefined when none does. */
export async function findStrayHooks(elsewhere: HooksElsewhere): Promise<StrayHooks | undefined> {
  const candidates = [...new Set(elsewhere.targets.map((t) => t.port))];
  const listening = await Promise.all(candidates.map((p) => listensOnLoopback(p)));
  const ports = candidates.filter((_, i) => listening[i]);
  if (ports.length === 0) return undefined;
  const files = [...new Set(elsewhere.targets.filter((t) => ports.includes(t.port)).map((t) => t.file))];
  return { files, ports, monitorPort: elsewhere.monitorPort };
}

/** What a person is told when a session is stopped for stray hooks: what is wrong and the fix. */
export function strayHooksReason(stray: StrayHooks, projectDir: string): string {
  const where =
    stray.monitorPort === undefined
      ? 'while no taskhooks monitor runs for this state directory'
      : stray.monitorPort === null
        ? 'where this state directory’s monitor serves no hooks'
        : `while this state directory’s monitor answers on ${stray.monitorPort}`;
  return (
    `taskhooks stopped a session in ${projectDir} before any tool call: the hooks in ${stray.files.join(' and ')} ` +
    `post every tool call's input and the hook token to 127.0.0.1:${stray.ports.join(', ')}, where another process ` +
    `listens, ${where}. Run \`taskhooks install\` in ${projectDir}, then start the session again.`
  );
}

/** Another state directory's monitor of this user's, where a project's hooks post: a second route into the project. */
export interface OtherRoute {
  home: string;
  pid: number;
}

/** The state directories a second route keeps: the default one and each earlier plugin release's data folder. */
function knownHomes(): string[] {
  const home = resolveHome({});
  return [home, ...pluginDataFolders(home, {})];
}

/**
 * The monitor of another home of this user's that `t` posts to: the home its token variable names, whose lock's live
 * pid is the only listener on the port (only the same user can see a process's sockets, so a squatter never passes).
 */
export function otherRoute(home: string, t: ServedHookTarget): OtherRoute | undefined {
  const name = isJsonObject(t.handler.headers) ? referencedVar(t.handler.headers[HOOK_TOKEN_HEADER]) : undefined;
  if (name === undefined || name === hookTokenVar(home)) return undefined;
  for (const other of knownHomes()) {
    if (hookTokenVar(other) !== name) continue;
    const owner = readLiveOwner(other);
    if (owner && readMonitorInfo(other)?.hookPort === t.port && onlyListenerIs(owner.pid, t.port))
      return { home: other, pid: owner.pid };
  }
  return undefined;
}

/**
 * What a session is told when its project is served by two routes: it goes on, and the person picks one. Kept short:
 * a session's notes are cut at 500 characters.
 */
export function twoRoutesLine(route: OtherRoute, o: { files: string[]; projectDir: string }): string {
  const files = o.files.map((f) => path.relative(o.projectDir, f) || f).join(' and ');
  return (
    `two routes: remove one. ${files} posts to the taskhooks monitor of ${route.home} (pid ${route.pid}), not this ` +
    `session's: events answered twice, tasks split in two stores. Keep one: \`claude plugin uninstall ` +
    `taskhooks@taskhooks\` (the plugin), or \`taskhooks uninstall\` in ${o.projectDir} (install's hooks).`
  );
}

/**
 * Both routes in one project: install's hooks in its settings and the plugin enabled. They share the state directory
 * and its monitor, so each event is answered twice: the line that says so, else undefined.
 */
export function bothRoutesLine(o: { files: readonly string[]; read: (file: string) => unknown; projectDir: string }) {
  const userFile = claudeConfig.configFile('user', '', process.env);
  const plugin = [...o.files, userFile].find((f) => enablesTaskhooksPlugin(o.read(f)));
  if (!plugin) return undefined;
  const { own } = ownAndForeign(
    o.files.flatMap((f) => servedHookTargets(f, o.read(f))),
    o.read,
  );
  if (own.length === 0) return undefined;
  const files = [...new Set(own.map((t) => path.relative(o.projectDir, t.file) || t.file))].join(' and ');
  return (
    `two routes: remove one. ${files} holds taskhooks install's hooks and ${plugin} enables the taskhooks plugin: ` +
    `every event is answered twice. Keep one: \`claude plugin uninstall taskhooks@taskhooks\` (the plugin), or ` +
    `\`taskhooks uninstall\` in ${o.projectDir} (install's hooks); the tasks stay either way.`
  );
}

/**
 * Stops the session when something listens where its hooks post. Claude Code 2.1.330 ignores `continue: false` from
 * SessionStart, so the agent's process is ended too (docs/limitations.md); the answer still says it, for a version
 * that honours it, and the next session and CLI command are told why. Where what listens is this user's monitor of
 * another home, the session goes on and is told of the two routes instead (the line is returned).
 */
export async function stopForStrayHooks(
  deps: HookDeps,
  w: { projectDir: string; trace: Trace },
  elsewhere: HooksElsewhere,
): Promise<HookResult | string | undefined> {
  const stray = await findStrayHooks(elsewhere);
  if (!stray) return undefined;
  const { home } = deps.settings;
  const routes = elsewhere.targets.filter((t) => stray.ports.includes(t.port)).map((t) => otherRoute(home, t));
  const [route] = routes;
  if (route && routes.every((r) => r?.home === route.home)) {
    const line = twoRoutesLine(route, { files: stray.files, projectDir: w.projectDir });
    deps.log.warn({ other: route.home, pid: route.pid, files: stray.files }, 'two routes into one project');
    return line;
  }
  const reason = strayHooksReason(stray, w.projectDir);
  deps.log.error({ ports: stray.ports, monitorPort: stray.monitorPort, files: stray.files }, reason);
  // The reason is recorded before the agent is ended: whoever looks once it is gone finds it there.
  if (!deps.dryRun) postNotice(deps.settings.home, reason);
  const ended = deps.dryRun ? undefined : endAgent(deps);
  w.trace.push({
    kind: 'stray-hooks',
    ports: stray.ports,
    monitorPort: stray.monitorPort,
    ...(ended === undefined ? {} : { ended }),
  });
  return endSessionAnswer(reason, w.trace);
}

/** SessionStart's answer that stops the session, saying why to the person and the model alike. */
export function endSessionAnswer(reason: string, trace: Trace): HookResult {
  return {
    output: {
      continue: false,
      stopReason: reason,
      systemMessage: reason,
      hookSpecificOutput: { hookEventName: 'SessionStart', additionalContext: reason },
    },
    trace,
  };
}

/**
 * Ends the agent that started this hook (SIGTERM, as closing its terminal would); its pid, or undefined. A command
 * hook ends only the ancestor Claude Code names itself as (CLAUDE_PID), never a guess such as a shell's parent; the
 * monitor ends the pid its socket's caller gave, which only the home's owner can reach.
 */
export function endAgent(deps: HookDeps): number | undefined {
  const pid = deps.callerPid?.();
  const named = pid !== undefined && (pid === Number(process.env.CLAUDE_PID) || !isAncestor(pid));
  if (pid === undefined || pid <= 1 || pid === process.pid || !named) {
    deps.log.warn({ pid }, 'session stopped: no agent process named itself, so only the answer asks it to stop');
    return undefined;
  }
  try {
    process.kill(pid, 'SIGTERM');
    return pid;
  } catch (err) {
    deps.log.warn({ err, pid }, 'session stopped: could not end the agent process');
    return undefined;
  }
}

/** Hooks that miss the monitor without another process to hand their input to: where, and where they belong. */
export interface MissedHooks {
  /** Posting elsewhere than the monitor answers or, with none running, will answer. */
  missed: ServedHookTarget[];
  /** Where they belong: the monitor's port (null: it serves none), or the one it takes back when it starts. */
  expected: number | null | undefined;
  /** Posting to the right port with a token the monitor no longer takes: every call of theirs is refused. */
  oldToken: ServedHookTarget[];
}

/** Of the hooks not answered as installed, those a session should be told of; undefined when none. */
export function missedHooks(home: string, elsewhere: HooksElsewhere): MissedHooks | undefined {
  const { monitorPort } = elsewhere;
  // No monitor yet: the one this start launches takes back the port last written, so that is where hooks belong.
  const expected = monitorPort === undefined ? recordedHookPort(home) : monitorPort;
  const missed =
    expected === undefined
      ? []
      : expected === null
        ? elsewhere.targets
        : elsewhere.targets.filter((t) => t.port !== expected);
  const token = readHookToken(home);
  const oldToken = elsewhere.all.filter((t) => t.port === expected && token !== undefined && t.token !== token);
  return missed.length === 0 && oldToken.length === 0 ? undefined : { missed, expected, oldToken };
}

/**
 * The one line a session is told when its hooks miss the monitor and nothing else listens where they post: tool calls
 * then go unanswered and guarded ones are refused, with no other word to the person.
 */
export function missedHooksLine(elsewhere: MissedHooks, projectDir: string): string {
  const port = elsewhere.missed[0]?.port;
  const where =
    elsewhere.expected === null
      ? 'this state directory’s monitor serves no hooks'
      : `the monitor answers on ${elsewhere.expected}`;
  const what =
    port !== undefined
      ? `post to 127.0.0.1:${port}, where nothing answers, while ${where}`
      : 'carry a hook token the monitor no longer takes (it was replaced when the monitor moved)';
  return `this project's hooks ${what}: tool calls get no task news and guarded ones are refused. Run \`taskhooks install\` in ${projectDir}, then restart this session.`;
}

/**
 * The port the home's monitor serves hooks on. A monitor holding the lock that has not yet published it is waited
 * for a moment; `starting` when it still has not, since it may be about to listen on the very port the hooks name.
 */
async function monitorHookPort(home: string): Promise<number | null | undefined | 'starting'> {
  for (let waited = 0; ; waited += STARTING_POLL_MS) {
    const info = readMonitorInfo(home);
    if (info) return info.hookPort;
    if (!readLiveOwner(home)) return undefined;
    if (waited >= STARTING_WAIT_MS) return 'starting';
    await sleep(STARTING_POLL_MS);
  }
}

/**
 * Each hook install wrote (its entry's shape, in the local settings file it writes them to), with the token it sends:
 * a variable's value from the person's own settings; and the rest, which only look like it.
 */
function ownAndForeign(
  targets: readonly ServedHookTarget[],
  read: (file: string) => unknown,
): { own: ServedHookTarget[]; foreign: ServedHookTarget[] } {
  const own: ServedHookTarget[] = [];
  const foreign: ServedHookTarget[] = [];
  let user: unknown;
  for (const t of targets) {
    if (path.basename(t.file) !== LOCAL_SETTINGS || !hasServedShape(t.handler)) {
      foreign.push(t);
      continue;
    }
    const name = referencedVar(t.token);
    if (name === undefined) own.push(t);
    else {
      user ??= read(claudeConfig.configFile('user', '', process.env));
      const token = envValue(user, name);
      own.push({ ...t, ...(token === undefined ? { token: '' } : { token }) });
    }
  }
  return { own, foreign };
}

/**
 * The project's served hooks that post to another port than the one this home's monitor serves on; undefined when
 * there are none (the usual case), or when that cannot be told apart from this home's monitor starting up. Hooks
 * install did not write come back as `foreign`, never among those acted on.
 */
export async function hooksElsewhere(o: {
  home: string;
  files: readonly string[];
  read?: (file: string) => unknown;
}): Promise<HooksElsewhere | undefined> {
  const read = o.read ?? readSettings;
  const { own, foreign } = ownAndForeign(
    o.files.flatMap((f) => servedHookTargets(f, read(f))),
    read,
  );
  if (own.length === 0 && foreign.length === 0) return undefined;
  const monitorPort = own.length === 0 ? readMonitorInfo(o.home)?.hookPort : await monitorHookPort(o.home);
  if (monitorPort === 'starting') return undefined;
  const elsewhere = own.filter((t) => t.port !== monitorPort);
  const token = readHookToken(o.home);
  const settled = elsewhere.length === 0 && own.every((t) => token === undefined || t.token === token);
  if (settled && foreign.length === 0) return undefined;
  return { targets: elsewhere, all: settled ? [] : own, foreign, monitorPort };
}

/**
 * The one line a session is told of hooks that look like the monitor's but that install did not write (a repository's
 * own, say): taskhooks neither answers them nor stops the session for them.
 */
export function foreignHooksLine(foreign: readonly ServedHookTarget[], projectDir: string): string {
  const files = [...new Set(foreign.map((t) => path.relative(projectDir, t.file) || t.file))];
  const where = [...new Set(foreign.map((t) => `127.0.0.1:${t.port}`))].join(', ');
  return `${files.join(' and ')} holds http hooks posting to ${where} that taskhooks did not write: they are not taskhooks' (whatever they send goes where they say); an earlier taskhooks install's is replaced by \`taskhooks install\`.`;
}
