// What a source knows of its own failures, as data beside its adapter: the layers below it (the tool session, the
// MCP client, OIDC) raise errors with their kind's usual remedy, and the source that knows its server names a better one.
import { isTaskSourceError, type TaskSourceErrorKind, withFix } from '../errors/task-source.js';
import type { TaskSource } from './source.js';

/** A source's remedy for each kind of failure it knows better than the usual one. */
export type AdapterFixes = Readonly<Partial<Record<TaskSourceErrorKind, string>>>;

/** What to do when a server answers, but not as source `name` reads it. */
export const otherSourceFix = (name: string): string =>
  `the server does not speak ${name}: set TASKHOOKS_ADAPTER (source.adapter) to the source it is (docs/sources.md lists them), or read it with the generic adapter (mcp)`;

/** The remedies of a source that reaches MCP servers at source.servers (agenthub, the generic source). */
export const mcpServerFixes = (name: string): AdapterFixes => ({
  unavailable:
    'start the task server, or point MCP_SERVER_URL (source.servers) at one that runs; raise source.timeoutMs if it is just slow',
  timeout:
    'start the task server, or point MCP_SERVER_URL (source.servers) at one that runs; raise source.timeoutMs if it is just slow',
  auth: 'check KEYCLOAK_URL/KEYCLOAK_REALM (or auth.issuer), KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET, or MCP_API_TOKEN / the Authorization header in .mcp.json',
  protocol: otherSourceFix(name),
});

/** `err` with the source's remedy where it carries only its kind's usual one. */
export function fixedFor(err: unknown, fixes: AdapterFixes): unknown {
  if (!isTaskSourceError(err) || !err.usualFix) return err;
  const fix = fixes[err.kind];
  return fix === undefined ? err : withFix(err, fix);
}

/** The source, whose every failure carries the adapter's remedy where it knows one. */
export function withAdapterFixes(source: TaskSource, fixes: AdapterFixes): TaskSource {
  // A proxy, so that every operation (the optional ones too, and any a source adds) is covered without a list.
  return new Proxy(source, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = value.apply(target, args);
          return result instanceof Promise
            ? result.catch((err: unknown) => Promise.reject(fixedFor(err, fixes)))
            : result;
        } catch (err) {
          throw fixedFor(err, fixes);
        }
      };
    },
  });
}
