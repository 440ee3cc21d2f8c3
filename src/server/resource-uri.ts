// The resource a client subscribes to for one project's task changes: named here alone, for the server and its clients.
const PROJECT_TASKS_PREFIX = 'taskhooks://projects/';
const PROJECT_TASKS_SUFFIX = '/tasks';
export const PROJECT_TASKS_TEMPLATE = `${PROJECT_TASKS_PREFIX}{project}${PROJECT_TASKS_SUFFIX}`;

/** The resource a client subscribes to for one project's task changes. */
export function projectTasksUri(project: string): string {
  return `${PROJECT_TASKS_PREFIX}${encodeURIComponent(project)}${PROJECT_TASKS_SUFFIX}`;
}

/** The project a `taskhooks://projects/<name>/tasks` URI names; undefined for any other URI. */
export function projectOfUri(uri: string): string | undefined {
  if (!uri.startsWith(PROJECT_TASKS_PREFIX) || !uri.endsWith(PROJECT_TASKS_SUFFIX)) return undefined;
  const encoded = uri.slice(PROJECT_TASKS_PREFIX.length, uri.length - PROJECT_TASKS_SUFFIX.length);
  if (!encoded || encoded.includes('/')) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/** The change's sequence as a notification carries it: in `_meta`, which every MCP client accepts and may ignore. */
export const SEQUENCE_META = 'taskhooks/sequence';

/** The changes a notification carries (see src/server/pushed-changes.ts), beside its sequence. */
export const CHANGES_META = 'taskhooks/changes';

/**
 * The experimental capability a live connection's server declares when it cannot push (its store's change feed hears
 * nothing): `{ off, fix }`, two lines for a person. It then offers no `resources.subscribe`.
 */
export const PUSH_OFF_CAPABILITY = 'taskhooks/push-off';
