import { readFileSync } from 'node:fs';
import { ConfigSchema, type Config } from './schema.js';
import { ENV_BINDINGS, isSecretKey, looksSecret, parseEnvValue } from './env.js';
import { namedLikeSecret } from '../log/redact.js';
import { findProjectConfigFile } from './project.js';
import { resolveHome } from '../home/dir.js';
import { homeFiles } from '../home/files.js';
import { allowedKeys } from './keys.js';
import { JsonSyntaxError, parseJsonFile } from '../util/json.js';
import { isJsonObject } from '../util/object.js';

export type Origin =
  | { kind: 'env'; name: string }
  | { kind: 'project'; file: string }
  | { kind: 'user'; file: string }
  | { kind: 'default' };

export interface ConfigProblem {
  key: string;
  origin: Origin;
  /** One line a person can act on: what, the value, what is allowed, where it came from. */
  message: string;
}

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


type Json = Record<string, unknown>;


export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'env':
      return `environment variable ${origin.name}`;
    case 'project':
      return `project file ${origin.file}`;
    case 'user':
      return `user file ${origin.file}`;
    case 'default':
      return 'default';
  }
}

function howToFix(origin: Origin): string {
  switch (origin.kind) {
    case 'env':
      return `fix or unset ${origin.name}`;
    case 'project':
    case 'user':
      return `edit ${origin.file}`;
    case 'default':
      return 'report this as a bug';
  }
}

/** Masks a secret as `****` plus at most its last 2 characters (none when it is short). */
function maskSecret(value: string): string {
  return value.length >= 12 ? `****${value.slice(-2)}` : '****';
}

/** A copy safe to show: values under secret keys (however deep, e.g. server.tokens.0.token) are masked. */
function masked(key: string, value: unknown, secret: (key: string) => boolean): unknown {
  if (value === undefined || value === null) return value;
  if (secret(key)) return maskSecret(typeof value === 'string' ? value : JSON.stringify(value));
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => masked(`${key}.${i}`, v, secret));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(`${key}.${k}`, v, secret)]));
}

export function displayValue(key: string, value: unknown): string {
  if (isSecretKey(key) && typeof value === 'string') return maskSecret(value);
  // Nested values are checked by name too: source.env may hold API keys for a stdio server.
  return JSON.stringify(masked(key, value, (k) => isSecretKey(k) || (k !== key && namedLikeSecret(k.slice(k.lastIndexOf('.') + 1))))) ?? 'undefined';
}

/** Like displayValue, for a key that is not ours (a misspelling): anything named like a secret is masked. */
function displayUnknown(key: string, value: unknown): string {
  return JSON.stringify(masked(key, value, looksSecret)) ?? 'undefined';
}

function mergeLayer(target: Json, layer: Json, origin: Origin, origins: Map<string, Origin>, prefix = ''): void {
  for (const [k, v] of Object.entries(layer)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isJsonObject(v) && Object.keys(v).length > 0 && !key.endsWith('.env')) {
      const existing = target[k];
      const child: Json = isJsonObject(existing) ? existing : {};
      target[k] = child;
      mergeLayer(child, v, origin, origins, key);
    } else {
      target[k] = v;
      for (const known of [...origins.keys()]) if (known.startsWith(`${key}.`)) origins.delete(known);
      origins.set(key, origin);
    }
  }
}

function readLayer(file: string, origin: Origin, problems: ConfigProblem[]): Json | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    problems.push({
      key: '(file)',
      origin,
      message: `config: cannot read ${file} (${code ?? String(err)}); fix its permissions or remove it`,
    });
    return undefined;
  }
  try {
    const parsed = parseJsonFile(text, file);
    if (!isJsonObject(parsed)) {
      problems.push({ key: '(file)', origin, message: `config: ${file} must hold a JSON object; edit it` });
      return undefined;
    }
    return parsed;
  } catch (err) {
    const detail = err instanceof JsonSyntaxError ? err.message : String(err);
    problems.push({ key: '(file)', origin, message: `config: ${detail}; fix the file or remove it (it was ignored)` });
    return undefined;
  }
}

function envLayer(env: NodeJS.ProcessEnv, origins: Map<string, Origin>, target: Json): void {
  for (const binding of ENV_BINDINGS) {
    const raw = env[binding.name];
    if (raw === undefined || raw.trim() === '') continue;
    const parts = binding.key.split('.');
    const layer: Json = {};
    let node = layer;
    for (const p of parts.slice(0, -1)) {
      const next: Json = {};
      node[p] = next;
      node = next;
    }
    node[parts[parts.length - 1] as string] = parseEnvValue(binding, raw);
    mergeLayer(target, layer, { kind: 'env', name: binding.name }, origins);
  }
}

function getAt(obj: unknown, keyPath: readonly PropertyKey[]): unknown {
  let node: unknown = obj;
  for (const p of keyPath) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return node;
}

function deleteAt(obj: Json, keyPath: readonly PropertyKey[]): void {
  const parent = getAt(obj, keyPath.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Record<PropertyKey, unknown>)[keyPath[keyPath.length - 1] as PropertyKey];
}

/** Where `key` was set: by itself, by an ancestor, or (for an object a layer filled in) by its first descendant. */
function originFor(key: string, origins: Map<string, Origin>): Origin {
  let k = key;
  for (;;) {
    const o = origins.get(k);
    if (o) return o;
    const dot = k.lastIndexOf('.');
    if (dot < 0) break;
    k = k.slice(0, dot);
  }
  for (const [known, o] of origins) if (known.startsWith(`${key}.`)) return o;
  return { kind: 'default' };
}

function forgetOrigins(key: string, origins: Map<string, Origin>): void {
  for (const known of [...origins.keys()]) if (known === key || known.startsWith(`${key}.`)) origins.delete(known);
}

/** The path of the leaf a layer set: array elements belong to their array. */
function leafPath(merged: Json, path: readonly PropertyKey[]): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const p of path) {
    if (Array.isArray(getAt(merged, out))) break;
    out.push(p);
  }
  return out;
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
