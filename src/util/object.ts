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

/** The fields whose value may be null made optional, and left out where they are: what a row's nullable columns read as. */
export type NonNull<T> = { [K in keyof T as null extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as null extends T[K] ? K : never]?: Exclude<T[K], null>;
};

/** The fields whose value is not null: a row's nullable columns, as the optional fields of what it is read into. */
export function nonNull<T extends object>(fields: T): NonNull<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null)) as NonNull<T>;
}
