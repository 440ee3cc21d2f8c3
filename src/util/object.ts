/** A JSON object, as JSON.parse makes of `{…}`: not null, not an array. */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `keyPath` inside nested objects (or arrays), undefined where the path leaves them. */
export function getAt(obj: unknown, keyPath: readonly PropertyKey[]): unknown {
  let node: unknown = obj;
  for (const p of keyPath) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[p];
  }
  return node;
}

/** Removes the value at `keyPath`, if its parent is there. */
export function deleteAt(obj: Record<string, unknown>, keyPath: readonly PropertyKey[]): void {
  const parent = getAt(obj, keyPath.slice(0, -1));
  if (parent && typeof parent === 'object')
    delete (parent as Record<PropertyKey, unknown>)[keyPath[keyPath.length - 1] as PropertyKey];
}
