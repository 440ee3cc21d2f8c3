import { ConfigSchema, type Config } from './schema.js';
import { findProjectFiles } from './project.js';
import { repositoryProject } from './project-name.js';
import { resolveHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { allowedKeys } from './keys.js';
import { displayUnknown, displayValue } from './display.js';
import { deleteAt, getAt } from '../util/object.js';
import { envLayer, forgetOrigins, leafPath, mergeLayer, originFor, readLayer, type Json } from './layers.js';
import { describeOrigin, howToFix, type ConfigProblem, type Origin } from './origin.js';
import { isTrusted, mcpJsonHasHeaders, projectLayer } from './trust.js';
import { CONFIG_MAX_BYTES, readTextCapped, RefusedFileError } from '../util/safe-read.js';

export type { ConfigProblem, Origin } from './origin.js';

/** A project file (`.claude/taskhooks.json`, `.mcp.json`) and what trust made of it. */
export interface ProjectFileTrust {
  file: string;
  trusted: boolean;
  /** Keys it sets that did not take effect: everything an untrusted file may not set, and the machine's sections. */
  ignored: string[];
}

export interface LoadedConfig {
  config: Config;
  home: string;
  /** Where every key that is not a default came from, by dotted key ("source.servers"). */
  origins: Map<string, Origin>;
  problems: ConfigProblem[];
  projectFile?: string;
  userFile: string;
  /** The project file, when there is one. */
  project?: ProjectFileTrust;
  /** The project's .mcp.json, when there is one: its headers are used only when it is trusted. */
  mcpJson?: ProjectFileTrust;
}

export interface LoadOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Whether the user trusted this content of `file`; a trust store that cannot be read trusts nothing, and says so. */
function trustedText(home: string, file: string, text: string, origin: Origin, problems: ConfigProblem[]): boolean {
  try {
    return isTrusted(home, file, text);
  } catch (err) {
    problems.push({ key: '(trust)', origin, message: `config: ${err instanceof Error ? err.message : String(err)}` });
    return false;
  }
}

/** The project's .mcp.json (at its git root), and whether its headers may be used. */
function mcpJsonTrust(home: string, file: string, problems: ConfigProblem[]): ProjectFileTrust | undefined {
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (err instanceof RefusedFileError)
      problems.push({
        key: '(file)',
        origin: { kind: 'project', file },
        message: `config: ${err.message}; make it a regular JSON file or remove it`,
      });
    return { file, trusted: false, ignored: [] }; // unreadable: auth says so when it needs it
  }
  const trusted = trustedText(home, file, text, { kind: 'project', file }, problems);
  return { file, trusted, ignored: !trusted && mcpJsonHasHeaders(text) ? ['headers'] : [] };
}

type Issue = NonNullable<ReturnType<typeof ConfigSchema.safeParse>['error']>['issues'][number];

/** Takes out of `merged` what one schema issue names, with a problem line saying what, from where, and the fix. */
function dropInvalid(issue: Issue, merged: Json, origins: Map<string, Origin>, problems: ConfigProblem[]): void {
  const base = issue.path;
  if (issue.code === 'unrecognized_keys') {
    for (const extra of issue.keys) {
      const keyPath = [...base, extra];
      const key = keyPath.join('.');
      const origin = originFor(key, origins);
      const allowed = allowedKeys(base);
      const where = base.length ? `under ${base.join('.')}` : 'at the top level';
      problems.push({
        key,
        origin,
        message: `config: unknown key ${key} = ${displayUnknown(key, getAt(merged, keyPath))} (allowed ${where}: ${allowed.join(', ')}; from ${describeOrigin(origin)}; ${howToFix(origin)}; it is ignored meanwhile)`,
      });
      deleteAt(merged, keyPath);
      forgetOrigins(key, origins);
    }
    return;
  }
  const leaf = leafPath(merged, base);
  const key = base.map(String).join('.');
  const origin = originFor(leaf.map(String).join('.'), origins);
  const value = getAt(merged, base);
  problems.push({
    key,
    origin,
    message: `config: ${key} = ${displayValue(key, value)} is invalid: ${issue.message} (from ${describeOrigin(origin)}; ${howToFix(origin)}; the default is used meanwhile)`,
  });
  if (leaf.length === 0) {
    for (const k of Object.keys(merged)) delete merged[k];
  } else {
    deleteAt(merged, leaf);
    forgetOrigins(leaf.map(String).join('.'), origins);
  }
}

/**
 * loadConfig, its `source.project` the repository's project (project-name.ts) when no layer sets it; `projectUnread`
 * when that project could not be read, so the folder's name stands in and the result must not be kept.
 */
export async function loadConfigOfProject(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
}): Promise<LoadedConfig & { projectUnread?: true }> {
  const loaded = loadConfig(options);
  if (loaded.config.source.project !== undefined) return loaded;
  const { name, failed } = await repositoryProject(options.cwd, loaded.home);
  if (name !== undefined) loaded.config.source.project = name;
  return failed ? { ...loaded, projectUnread: true } : loaded;
}

/**
 * Loads the effective config: environment > project `.claude/taskhooks.json` > `$TASKHOOKS_HOME/config.json` > defaults.
 * Never throws for bad input: every problem becomes one line in `problems`, and the offending value falls back to its
 * default so hooks can carry on. The CLI refuses to run while `problems` is non-empty.
 */
export function loadConfig(options: LoadOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const home = resolveHome(env);
  const userFile = homeFiles(home).config;
  const { configFile: projectFile, mcpJson: mcpJsonFile } = findProjectFiles(cwd);
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, Origin>();
  const merged: Json = {};

  const userLayer = readLayer(userFile, { kind: 'user', file: userFile }, problems);
  if (userLayer) mergeLayer(merged, userLayer.value, { kind: 'user', file: userFile }, origins);
  let project: ProjectFileTrust | undefined;
  if (projectFile) {
    const origin: Origin = { kind: 'project', file: projectFile };
    const layer = readLayer(projectFile, origin, problems);
    if (layer) {
      const trusted = trustedText(home, projectFile, layer.text, origin, problems);
      const { kept, ignored } = projectLayer(layer.value, trusted);
      mergeLayer(merged, kept, origin, origins);
      project = { file: projectFile, trusted, ignored };
    }
  }
  envLayer(env, origins, merged);
  const mcpJson = mcpJsonFile === undefined ? undefined : mcpJsonTrust(home, mcpJsonFile, problems);

  for (let attempt = 0; attempt < 20; attempt++) {
    const result = ConfigSchema.safeParse(merged);
    if (result.success) {
      const loaded: LoadedConfig = { config: result.data, home, origins, problems, userFile };
      if (projectFile) loaded.projectFile = projectFile;
      if (project) loaded.project = project;
      if (mcpJson) loaded.mcpJson = mcpJson;
      return loaded;
    }
    for (const issue of result.error.issues) dropInvalid(issue, merged, origins, problems);
  }
  // Unreachable in practice: every pass removes at least one offending value.
  const fallback: LoadedConfig = { config: ConfigSchema.parse({}), home, origins: new Map(), problems, userFile };
  return fallback;
}
