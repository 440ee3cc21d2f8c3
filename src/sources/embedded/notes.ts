import { VIA_MONITOR } from '../../cache/snapshots.js';

/**
 * The embedded store knows a project once its first task is added: until then there is nothing wrong, only nothing
 * yet, and the session is told how to add one in words every route can follow: the agent's add_task tool, there on
 * both routes and every agent (a plugin user has no `taskhooks` on PATH). No double quotes or angle brackets: the
 * context's sanitizer turns those into lookalikes, as it does for any text a source sends.
 */
export const firstTaskNote = (project: string): string =>
  `no tasks yet in project ${project}: ask the agent to add one (its add_task tool)`;

/**
 * What the context, `doctor`, `monitor status` and the CLI call the built-in store (config's `source.adapter:
 * embedded`) as the server that answered: in process, or through the monitor's store server.
 */
export const BUILT_IN_STORE = 'built-in store';
export const BUILT_IN_VIA_MONITOR = `${BUILT_IN_STORE}${VIA_MONITOR}`;
