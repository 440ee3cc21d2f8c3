// The config keys the schema defines, read from the schema itself so lists and messages never drift from it.
import { ConfigSchema } from './schema.js';

type SchemaNode = {
  _zod: { def: { type: string; innerType?: SchemaNode; element?: SchemaNode; shape?: Record<string, SchemaNode> } };
};

/** The schema under its optional/default/prefault wrappers. */
function unwrap(node: SchemaNode): SchemaNode {
  let cur = node;
  while (cur._zod.def.innerType) cur = cur._zod.def.innerType;
  return cur;
}

/** The keys the schema allows directly under `keyPath` (none when that is not an object). */
export function allowedKeys(keyPath: readonly PropertyKey[]): string[] {
  let node = ConfigSchema as unknown as SchemaNode;
  for (const p of keyPath) {
    const def = unwrap(node)._zod.def;
    const next = def.type === 'array' ? def.element : def.shape?.[String(p)];
    if (!next) return [];
    node = next;
  }
  return Object.keys(unwrap(node)._zod.def.shape ?? {});
}

/** The dotted keys whose value is a record (source.env, source.statuses, source.tool.args): set and shown whole. */
function recordKeys(node = ConfigSchema as unknown as SchemaNode, prefix = '', out = new Set<string>()): Set<string> {
  const def = unwrap(node)._zod.def;
  if (def.type === 'record') out.add(prefix);
  for (const [k, child] of Object.entries(def.shape ?? {})) recordKeys(child, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

let records: Set<string> | undefined;

/**
 * Whether `key` is a record: a leaf of the configuration like an array, so a layer sets it whole (its entries are
 * names the user chose, not keys of the schema) and it has one origin.
 */
export function isRecordKey(key: string): boolean {
  records ??= recordKeys();
  return records.has(key);
}

/** Every leaf key in schema order, dotted ("cache.taskTtlSeconds"); arrays and records are leaves. */
export function configKeys(node = ConfigSchema as unknown as SchemaNode, prefix = ''): string[] {
  const shape = unwrap(node)._zod.def.shape;
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([k, child]) => configKeys(child, prefix ? `${prefix}.${k}` : k));
}
