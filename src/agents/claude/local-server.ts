// Writing Claude Code's local-scope `taskhooks` server in ~/.claude.json (`projects[<path>].mcpServers`, what `claude
// mcp add --scope local` writes): never committed, offered in sessions whether or not the folder was trusted. Written
// the way Claude Code writes it, so a session saving its own state at the same moment loses nothing: its lock
// directory held, the file read again under it, a 0600 temp file renamed over. Another taskhooks run takes that lock
// too, so two installs never write the file at once.
import { mkdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { MCP_SERVER_NAME, type AgentLocalTools, type LocalServerOutcome } from '../agent.js';
import { homeDir } from '../config-home.js';
import { UserError } from '../../errors/user.js';
import { BACKUP_MARK, backupPlace } from '../../files/file-change.js';
import type { JsonObject } from '../../files/json-doc.js';
import { resolveTarget } from '../../files/real-path.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { pause } from '../../util/file-lock.js';
import { isJsonObject } from '../../util/object.js';
import {
  claudeJsonShown,
  claudeJsonFile,
  isTaskhooksLocalEntry,
  localMcpEntry,
  localServers,
  parseClaudeJson,
  readClaudeJsonText,
  readClaudeJsonValue,
} from './claude-json.js';

/** Claude Code's lock is stale once its holder stopped refreshing it for this long (proper-lockfile's default). */
const STALE_LOCK_MS = 10_000;
const LOCK_WAIT_MS = 5_000;

function lock(file: string): () => void {
  const dir = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(dir);
      return () => rmdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    try {
      if (Date.now() - statSync(dir).mtimeMs > STALE_LOCK_MS) rmdirSync(dir);
    } catch {
      // released meanwhile: try again at once
    }
    if (Date.now() > deadline)
      throw new UserError(`${dir} is held (a Claude Code session is saving its state); run again in a moment`);
    pause(25);
  }
}

/** The value with `project`'s server `name` set or taken out; containers left empty by a removal go too. */
function withServer(value: JsonObject, project: string, name: string, entry: JsonObject | undefined): JsonObject {
  const projects: JsonObject = { ...(isJsonObject(value.projects) ? value.projects : {}) };
  const projectEntry: JsonObject = { ...(isJsonObject(projects[project]) ? projects[project] : {}) };
  const servers: JsonObject = { ...(localServers(value, project) ?? {}) };
  if (entry === undefined) delete servers[name];
  else servers[name] = entry;
  if (Object.keys(servers).length > 0) projectEntry.mcpServers = servers;
  else delete projectEntry.mcpServers;
  if (Object.keys(projectEntry).length > 0) projects[project] = projectEntry;
  else delete projects[project];
  const next: JsonObject = { ...value };
  if (Object.keys(projects).length > 0) next.projects = projects;
  else delete next.projects;
  return next;
}

const setLocalServer: AgentLocalTools['set'] = (env, project, change, mine) => {
  const file = claudeJsonFile(env);
  // A dotfile manager's link stays a link: its target is read and written, and both paths are locked, as Claude Code
  // locks the one it was given (`<path>.lock`) whichever that is.
  const real = resolveTarget(file);
  const root = resolveTarget(env.CLAUDE_CONFIG_DIR?.trim() || homeDir(env));
  if (path.relative(root, real).startsWith('..'))
    throw new UserError(
      `${file} leads to ${real}, outside ${root}: taskhooks writes only inside it — nothing was changed`,
    );
  const releases = [...new Set([file, real])].map(lock);
  try {
    return writeLocalServer({ file, real, project, ...change }, mine);
  } finally {
    for (const release of releases.reverse()) release();
  }
};

function writeLocalServer(
  w: { file: string; real: string; project: string; entry: JsonObject | undefined; stateBackups: string },
  mine: (present: unknown) => boolean,
): LocalServerOutcome {
  const { real, project, entry } = w;
  // Read once, as late as can be: Claude Code's writes that take its lock wait for this one, and one that did not
  // could land only between this read and the rename below, the few writes of the backup and the file.
  const text = readClaudeJsonText(real);
  const value = text === undefined ? undefined : parseClaudeJson(real, text);
  const present = localServers(value, project)?.[MCP_SERVER_NAME];
  if (present !== undefined && !mine(present)) return 'foreign';
  if (entry === undefined && present === undefined) return 'unchanged';
  if (entry !== undefined && JSON.stringify(present) === JSON.stringify(entry)) return 'unchanged';
  const next = withServer(value ?? {}, project, MCP_SERVER_NAME, entry);
  // The file holds the store token: its one backup, replaced by the next write, is kept in the state directory.
  const place = backupPlace(w.file, w.stateBackups);
  const backup = path.join(place.dir, `${place.prefix}last`);
  // A file that held nothing but taskhooks' server was taskhooks' to make: it goes, with its backup (a link stays).
  if (Object.keys(next).length === 0 && real === w.file) {
    rmSync(real, { force: true });
    rmSync(backup, { force: true });
    return 'deleted';
  }
  mkdirSync(path.dirname(real), { recursive: true });
  if (text !== undefined) {
    mkdirSync(place.dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(backup, text, 0o600);
    // An earlier version kept that backup beside the file.
    rmSync(`${w.file}${BACKUP_MARK}last`, { force: true });
  }
  writeFileAtomic(real, `${JSON.stringify(next, null, 2)}\n`, 0o600);
  if (value === undefined) return 'created';
  return entry === undefined ? 'removed' : 'set';
}

/** Claude Code's task tools: the store server in the project's local scope of the person's own ~/.claude.json. */
export const claudeLocalTools: AgentLocalTools = {
  get shown() {
    return claudeJsonShown();
  },
  file: claudeJsonFile,
  entry: (env, project) => localServers(readClaudeJsonValue(env), project)?.[MCP_SERVER_NAME],
  isOwn: isTaskhooksLocalEntry,
  storeEntry: (store) => ({ ...localMcpEntry(store.port, store.token) }),
  set: setLocalServer,
  repoint(env, project, store, stateBackups) {
    // Only where install put one: a project without taskhooks' server gets none; an earlier install's guard goes.
    if (!isTaskhooksLocalEntry(claudeLocalTools.entry(env, project))) return false;
    const entry = { ...localMcpEntry(store.port, store.token) };
    return setLocalServer(env, project, { entry, stateBackups }, isTaskhooksLocalEntry) === 'set';
  },
};
