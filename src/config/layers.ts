// The layers of configuration (user file, project file, environment) read and merged key by key, remembering
// where each key came from.
import { CONFIG_MAX_BYTES, readFailure, readTextCapped } from '../util/safe-read.js';
import { JsonSyntaxError, parseJsonFile } from '../util/json.js';
import { jsonDepthScan, MAX_JSON_DEPTH, tooDeepReason } from '../util/json-depth.js';
import { getAt, isJsonObject } from '../util/object.js';
import { ENV_BINDINGS, parseEnvValue } from './env.js';
import { isRecordKey } from './keys.js';
import type { ConfigProblem, Origin } from './origin.js';

export type Json = Record<string, unknown>;

/** Guard lists add up across layers: a project (or the environment) can only protect more than the user does. */
const ADDITIVE = new Set(['hooks.guards.protectedPaths', 'hooks.guards.protectedBranches']);
/** Guard modes hold at the strictest any layer asks for (weakest first). */
const STRICTEST = new Set(['hooks.guards.requireActiveTask']);
const MODES = ['off', 'ask', 'deny'];

/** The value a layer's `v` gives `key` over what the layers below it set (`existing`). */
function layered(key: string, existing: unknown, v: unknown): unknown {
  if (ADDITIVE.has(key) && Array.isArray(existing) && Array.isArray(v)) return [...new Set([...existing, ...v])];
  if (STRICTEST.has(key) && MODES.includes(String(existing)) && MODES.includes(String(v))) {
    return MODES.indexOf(String(existing)) > MODES.indexOf(String(v)) ? existing : v;
  }
  return v;
}

export function mergeLayer(target: Json, layer: Json, origin: Origin, origins: Map<string, Origin>, prefix = ''): void {
  for (const [k, v] of Object.entries(layer)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (isJsonObject(v) && Object.keys(v).length > 0 && !isRecordKey(key)) {
      const existing = target[k];
      const child: Json = isJsonObject(existing) ? existing : {};
      target[k] = child;
      mergeLayer(child, v, origin, origins, key);
    } else {
      target[k] = layered(key, target[k], v);
      for (const known of [...origins.keys()]) if (known.startsWith(`${key}.`)) origins.delete(known);
      origins.set(key, origin);
    }
  }
}

/** Keys an earlier version named otherwise, by section: a file that still holds one reads as the new name. */
const RENAMED: ReadonlyArray<{ section: string; from: string; to: string }> = [
  { section: 'monitor', from: 'embeddedPort', to: 'storeServerPort' },
];

/** `value` with each old key under its new name; where a file has both, the new one stands. */
function renameOldKeys(value: Json): Json {
  for (const { section, from, to } of RENAMED) {
    const part = value[section];
    if (!isJsonObject(part) || !(from in part)) continue;
    const { [from]: old, ...rest } = part;
    value[section] = to in rest ? rest : { ...rest, [to]: old };
  }
  return value;
}

/** A config file's object and its exact text (what trust is checked against); undefined when absent or unusable. */
export function readLayer(
  file: string,
  origin: Origin,
  problems: ConfigProblem[],
): { value: Json; text: string } | undefined {
  let text: string;
  try {
    text = readTextCapped(file, CONFIG_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    problems.push({
      key: '(file)',
      origin,
      message: `config: cannot read ${file} (${readFailure(err)}); make it a readable JSON file or remove it`,
    });
    return undefined;
  }
  // Nested past any config's depth, a file would overflow the stack of the walks over it: refused before parsing.
  if (jsonDepthScan().scan(Buffer.from(text)) !== -1) {
    problems.push({
      key: '(file)',
      origin,
      message: `config: ${tooDeepReason(MAX_JSON_DEPTH, file)} (it was ignored)`,
    });
    return undefined;
  }
  try {
    const parsed = parseJsonFile(text, file);
    if (!isJsonObject(parsed)) {
      problems.push({ key: '(file)', origin, message: `config: ${file} must hold a JSON object; edit it` });
      return undefined;
    }
    return { value: renameOldKeys(parsed), text };
  } catch (err) {
    const detail = err instanceof JsonSyntaxError ? err.message : String(err);
    problems.push({ key: '(file)', origin, message: `config: ${detail}; fix the file or remove it (it was ignored)` });
    return undefined;
  }
}

export function envLayer(env: NodeJS.ProcessEnv, origins: Map<string, Origin>, target: Json): void {
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

/** Where `key` was set: by itself, by an ancestor, or (for an object a layer filled in) by its first descendant. */
export function originFor(key: string, origins: Map<string, Origin>): Origin {
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

export function forgetOrigins(key: string, origins: Map<string, Origin>): void {
  for (const known of [...origins.keys()]) if (known === key || known.startsWith(`${key}.`)) origins.delete(known);
}

/** The path of the leaf a layer set: array elements belong to their array. */
export function leafPath(merged: Json, path: readonly PropertyKey[]): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const p of path) {
    if (Array.isArray(getAt(merged, out))) break;
    out.push(p);
  }
  return out;
}
