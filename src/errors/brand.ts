// Each bundle of the build (every hook, each lazy file, dist/network.js) compiles its own copy of the error classes,
// so an error thrown in one is not `instanceof` another's class. A brand under a registry symbol (Symbol.for is the
// same in every copy and every realm of the process) keeps its identity across them, as the MCP SDK and execa do.
export const TASK_SOURCE_ERROR = Symbol.for('taskhooks.TaskSourceError');

/** Whether `err` was made by any copy of TaskSourceError; this module loads nothing, so any bundle may carry it. */
export function hasTaskSourceBrand(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { [TASK_SOURCE_ERROR]?: unknown })[TASK_SOURCE_ERROR] === true
  );
}
