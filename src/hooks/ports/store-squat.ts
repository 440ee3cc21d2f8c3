// Claude Code's task tools pointing at a port another user holds. The local-scope entry install writes into
// ~/.claude.json names a literal port; while the monitor is down another local user may bind it, and Claude Code
// connects there before any hook runs, so that process's tools are offered to the model (the store token it was sent
// is worth nothing to it: the store server closes every other user's connection). SessionStart stops such a session,
// as it stops one whose hooks post to another process (./stray-stop.ts), once the monitor it starts serves elsewhere.
import { MCP_SERVER_NAME } from '../../agents/agent.js';
import {
  claudeJsonFile,
  isTaskhooksLocalEntry,
  localServers,
  readClaudeJsonValue,
} from '../../agents/claude/claude-json.js';
import { forgetStorePort } from '../../home/endpoint.js';
import { postNotice } from '../../home/notices.js';
import { foreignListener } from '../../util/port-holder.js';
import type { Trace } from '../trace.js';
import type { HookDeps, HookResult } from '../types.js';

/** A session's task tools on a port another user's process listens on. */
export interface SquattedStore {
  port: number;
  uid: number;
  /** The file holding the entry. */
  file: string;
}

/** The first of `dirs` whose taskhooks entry points at a port another user holds; undefined when none does. */
export function squattedStore(env: NodeJS.ProcessEnv, dirs: readonly string[]): SquattedStore | undefined {
  const value = readClaudeJsonValue(env);
  for (const dir of dirs) {
    const entry = localServers(value, dir)?.[MCP_SERVER_NAME];
    if (!isTaskhooksLocalEntry(entry)) continue;
    const port = Number(new URL(entry.url).port);
    const uid = foreignListener(port);
    if (uid !== undefined) return { port, uid, file: claudeJsonFile(env) };
  }
  return undefined;
}

/** What a person is told when a session is stopped for it: what is wrong and the fix. */
export function squattedStoreReason(s: SquattedStore, projectDir: string): string {
  return (
    `taskhooks stopped a session in ${projectDir} before any tool call: its task tools (the "taskhooks" server of ` +
    `this project in ${s.file}) connect to 127.0.0.1:${s.port}, which a process of another user (uid ${s.uid}) ` +
    `holds, not this state directory's monitor, so the tools offered there are not taskhooks'. The monitor serves ` +
    `them on another port from now on: start the session again (if it is stopped again, run \`taskhooks install\` ` +
    `in ${projectDir}).`
  );
}

/**
 * Stops the session when its task tools' port is another user's, after `moveTools` (the monitor started, which serves
 * elsewhere and points the entries there) so the next session is not stopped too. Claude Code 2.1.330 ignores
 * `continue: false` from SessionStart, so its process is ended as well.
 */
export async function stopForSquattedStore(
  deps: HookDeps,
  w: { cwd: string; root: string | undefined; trace: Trace },
  moveTools: () => Promise<unknown>,
): Promise<HookResult | undefined> {
  const squat = squattedStore(process.env, [w.cwd, ...(w.root && w.root !== w.cwd ? [w.root] : [])]);
  if (!squat) return undefined;
  const reason = squattedStoreReason(squat, w.root ?? w.cwd);
  deps.log.error({ port: squat.port, uid: squat.uid }, reason);
  if (!deps.dryRun) {
    postNotice(deps.settings.home, reason);
    // Claude Code has sent that process the token: the next monitor replaces it, though it opens nothing to that user.
    forgetStorePort(deps.settings.home);
    await moveTools();
  }
  // Shared with the stray hooks' stop, which stays a lazy file of its own.
  const stop = await import('./stray-stop.js');
  const ended = deps.dryRun ? undefined : stop.endAgent(deps);
  w.trace.push({ kind: 'store-squat', port: squat.port, uid: squat.uid, ...(ended === undefined ? {} : { ended }) });
  return stop.endSessionAnswer(reason, w.trace);
}
