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

/** Every leaf key in schema order, dotted ("cache.taskTtlSeconds"); arrays and records are leaves. */
export function configKeys(node = ConfigSchema as unknown as SchemaNode, prefix = ''): string[] {
  const shape = unwrap(node)._zod.def.shape;
  if (!shape) return [prefix];
  return Object.entries(shape).flatMap(([k, child]) => configKeys(child, prefix ? `${prefix}.${k}` : k));
}
