import { ConfigSchema, type Config } from './schema.js';
import { findProjectConfigFile } from './project.js';
import { resolveHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { allowedKeys } from './keys.js';
import { displayUnknown, displayValue } from './display.js';
import { deleteAt, envLayer, forgetOrigins, getAt, leafPath, mergeLayer, originFor, readLayer, type Json } from './layers.js';
import { describeOrigin, howToFix, type ConfigProblem, type Origin } from './origin.js';

export type { ConfigProblem, Origin } from './origin.js';

export interface LoadedConfig {
  config: Config;
  home: string;
  /** Where every key that is not a default came from, by dotted key ("source.servers"). */
  origins: Map<string, Origin>;
  problems: ConfigProblem[];
  projectFile?: string;
  userFile: string;
}

export interface LoadOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
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
  const projectFile = findProjectConfigFile(cwd);
  const problems: ConfigProblem[] = [];
  const origins = new Map<string, Origin>();
  const merged: Json = {};

  const userLayer = readLayer(userFile, { kind: 'user', file: userFile }, problems);
  if (userLayer) mergeLayer(merged, userLayer, { kind: 'user', file: userFile }, origins);
  if (projectFile) {
    const projectLayer = readLayer(projectFile, { kind: 'project', file: projectFile }, problems);
    if (projectLayer) mergeLayer(merged, projectLayer, { kind: 'project', file: projectFile }, origins);
  }
  envLayer(env, origins, merged);

  for (let attempt = 0; attempt < 20; attempt++) {
    const result = ConfigSchema.safeParse(merged);
    if (result.success) {
      const loaded: LoadedConfig = { config: result.data, home, origins, problems, userFile };
      if (projectFile) loaded.projectFile = projectFile;
      return loaded;
    }
    for (const issue of result.error.issues) {
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
        continue;
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
  }
  // Unreachable in practice: every pass removes at least one offending value.
  const fallback: LoadedConfig = { config: ConfigSchema.parse({}), home, origins: new Map(), problems, userFile };
  return fallback;
}
