// Claude Code's settings files (project, local, user) as doctor reads them: which of them register taskhooks' hooks,
// and how. Whether an entry is taskhooks' is install's call (isTaskhooksHandler, own-wiring.ts), never parsed here.
import os from 'node:os';
import { CONFIG_MAX_BYTES, readFailure, readTextCapped } from '../util/safe-read.js';
import { handlerLine, handlersOf, isTaskhooksHandler } from '../install/writing/settings.js';
import { isJsonObject } from '../util/object.js';
import { packageRoot } from '../util/package.js';
import { goneHookNodes, notOwnHooks } from '../install/own-wiring.js';
import { servedHookTargets, type ServedHookTarget } from '../hooks/ports/stray-hooks.js';
import { installedWithoutGuard } from '../hooks/unguarded-hooks.js';
import { claudeConfig, enablesTaskhooksPlugin, projectSettingsFiles } from '../agents/claude/config.js';

const HOOK_SCRIPTS = ['session-start.js', 'pre-tool-use.js'] as const;
/** The script each of those events runs: which of them a settings file registers is read from its event keys. */
const SCRIPT_OF: Partial<Record<string, (typeof HOOK_SCRIPTS)[number]>> = {
  SessionStart: 'session-start.js',
  PreToolUse: 'pre-tool-use.js',
};

export interface HookInstallation {
  /** Script name → the settings file that runs it. */
  found: Partial<Record<(typeof HOOK_SCRIPTS)[number], string>>;
  missing: string[];
  searched: string[];
  /** Settings files that exist but could not be read, with why: Claude Code cannot run hooks from them either. */
  unreadable: string[];
  /** Hooks that name taskhooks' scripts but are not what install writes for this taskhooks, each with its file. */
  notOwn: string[];
  /** The Nodes those hooks name that are gone, each with its file: a Node upgrade or uninstall removed them. */
  goneNodes: string[];
  /** Every settings file that runs taskhooks' SessionStart, and the one enabling the taskhooks plugin, if any. */
  registrations: string[];
  plugin?: string;
  /** A settings file whose hooks post to the monitor (the http transport). */
  served?: string;
  /** Those hooks: the loopback port each posts to (one, unless files were installed against different monitors). */
  servedHooks?: ServedHookTarget[];
  /**
   * Settings files whose served PreToolUse lets some calls by (a Bash filter, or a call let through while the monitor
   * cannot answer): as install writes it when no guard is on.
   */
  unguardedPreToolUse?: string[];
}

interface SettingsFile {
  hooks?: Record<string, Array<{ matcher?: unknown; hooks?: Array<Record<string, unknown>> }>>;
  enabledPlugins?: Record<string, unknown>;
}

function readSettings(file: string, unreadable: string[]): SettingsFile {
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(`${file}: ${readFailure(err)}`);
    return {};
  }
  try {
    return JSON.parse(text) as SettingsFile;
  } catch (err) {
    unreadable.push(`${file}: not valid JSON (${(err as Error).message})`);
    return {};
  }
}

/** The events whose groups hold a handler install recognises as taskhooks' (any taskhooks', any transport). */
const ourEvents = (settings: SettingsFile): string[] =>
  Object.entries(settings.hooks ?? {})
    .filter(([, groups]) => Array.isArray(groups) && groups.flatMap(handlersOf).some(isTaskhooksHandler))
    .map(([event]) => event);

/** The commands of taskhooks' handlers in a settings file, for install's recognisers to say where each one goes. */
export function ownCommands(settings: unknown): string[] {
  if (!isJsonObject(settings) || !isJsonObject(settings.hooks)) return [];
  return Object.values(settings.hooks)
    .flatMap((groups) => (Array.isArray(groups) ? groups.flatMap(handlersOf) : []))
    .filter(isTaskhooksHandler)
    .flatMap((h) => {
      const command = isJsonObject(h) ? handlerLine(h) : undefined;
      return command === undefined ? [] : [command];
    });
}

/**
 * Each settings file among `files` whose taskhooks PostToolUse entry matches otherwise than `matcher`, what install
 * writes now (an earlier version's ran on every tool call), with the matcher it has.
 */
export function otherPostToolUseMatchers(files: readonly string[], matcher: string): Array<[string, string]> {
  return files.flatMap((file): Array<[string, string]> => {
    const group = (readSettings(file, []).hooks?.PostToolUse ?? []).find((g) => handlersOf(g).some(isTaskhooksHandler));
    return group && group.matcher !== matcher ? [[file, JSON.stringify(group.matcher ?? '')]] : [];
  });
}

export function findHookInstallation(projectRoot: string, home = os.homedir(), root = packageRoot()): HookInstallation {
  // A set: in the home folder itself the project's settings are the user's.
  const searched = [
    ...new Set([...projectSettingsFiles(projectRoot), claudeConfig.configFile('user', projectRoot, { HOME: home })]),
  ];
  const found: HookInstallation['found'] = {};
  const unreadable: string[] = [];
  const registrations: string[] = [];
  let plugin: string | undefined;
  let served: string | undefined;
  const servedHooks: ServedHookTarget[] = [];
  const unguardedPreToolUse: string[] = [];
  const notOwn: string[] = [];
  const goneNodes: string[] = [];
  for (const file of searched) {
    const settings = readSettings(file, unreadable);
    if (isJsonObject(settings)) {
      notOwn.push(...notOwnHooks(settings, root).map((h) => `${file}: ${h}`));
      goneNodes.push(...goneHookNodes(settings).map((node) => `${file}: ${node}`));
    }
    if (installedWithoutGuard(settings)) unguardedPreToolUse.push(file);
    if (enablesTaskhooksPlugin(settings)) plugin ??= file;
    const targets = servedHookTargets(file, settings);
    if (targets.length > 0) served ??= file;
    servedHooks.push(...targets);
    for (const event of ourEvents(settings)) {
      if (event === 'SessionStart') registrations.push(file);
      const script = SCRIPT_OF[event];
      if (script && !found[script]) found[script] = file;
    }
  }
  return {
    found,
    missing: HOOK_SCRIPTS.filter((s) => !found[s]),
    searched,
    unreadable,
    notOwn,
    goneNodes,
    registrations,
    ...(plugin ? { plugin } : {}),
    ...(served ? { served, servedHooks } : {}),
    ...(unguardedPreToolUse.length > 0 ? { unguardedPreToolUse } : {}),
  };
}
